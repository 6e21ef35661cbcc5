import { z } from 'zod';
import { auditOutcomeEnum } from '@/db/schema/enums';
import { isNonPersonActor, isUuid } from '@/db/queries/filters';

/**
 * The audit log's URL state (PRODUCT.md §2.7): one definition for the `/audit` page and the CSV
 * export at `/api/audit/export`. Unlike the refund history, a value that does not parse is never
 * dropped silently: an auditor who asked for a narrower view must not be shown a wider one
 * without noticing, so the page shows the error (and lists nothing) and the export answers 400.
 */

const emptyToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

/** A repeated key (`?action=a&action=b`) is an error rather than a silent pick of one. */
const one = <S extends z.core.SomeType>(schema: S, label: string) =>
  z.preprocess((value, ctx) => {
    if (!Array.isArray(value)) return emptyToUndefined(value);
    ctx.addIssue({ code: 'custom', message: `Give one ${label}.` });
    return undefined;
  }, schema);

// Actions look like `refund.status_changed` or `access.denied`; a trailing `.` or `*` asks for a prefix.
const ACTION = /^[A-Za-z0-9_:-]+(?:\.[A-Za-z0-9_:-]+)*(?:\.|\.?\*)?$/;
const ENTITY_TYPE = /^[A-Za-z0-9_:-]+$/;
const DAY_MESSAGE = 'Use a date like 2026-01-31.';

// z.iso.date knows month lengths and leap years: 2026-02-31 is an error, not the 3rd of March.
const day = (label: string) => one(z.iso.date({ error: DAY_MESSAGE }).optional(), label);

const fields = {
  /**
   * Who, as picked from the form's list: a user's id, or an actor that is no person (`system`,
   * `provider:forage`, `no-account`). Links from before the list searched part of an email; they
   * are refused, saying so, rather than quietly showing everyone.
   */
  actor: one(
    z
      .string()
      .trim()
      .toLowerCase()
      .refine((v) => isUuid(v) || isNonPersonActor(v), {
        error: 'Pick who from the list: a person, the system or a provider. The log is no longer searched by part of an email.',
      })
      .optional(),
    'actor',
  ),
  /** `refund.approved` exactly, or `refund.` / `refund.*` for every refund action. */
  action: one(
    z
      .string()
      .trim()
      .max(100, 'Keep the action under 100 characters.')
      .regex(ACTION, 'Use an action like refund.approved, or refund. for all refund actions.')
      .optional(),
    'action',
  ),
  entityType: one(
    z.string().trim().max(50, 'Keep the record type under 50 characters.').regex(ENTITY_TYPE, 'Unknown record type.').optional(),
    'record type',
  ),
  entityId: one(z.string().trim().max(200, 'Keep the record id under 200 characters.').optional(), 'record id'),
  from: day('start date'),
  to: day('end date'),
  outcome: one(z.enum(auditOutcomeEnum.enumValues, { error: 'Use success or failure.' }).optional(), 'outcome'),
  /** Keyset cursor: list events with a smaller `seq` than this (the page's "Older events"). */
  before: one(
    z
      .string()
      .regex(/^[1-9]\d{0,14}$/, 'That page link is not valid; start again from the newest events.')
      .transform(Number)
      .optional(),
    'page',
  ),
};

export const DATE_RANGE_MESSAGE = 'The end date is before the start date.';

/** The page's and the export's query string. Unknown keys are ignored; a bad value is an error. */
export const auditSearchParams = z
  .object(fields)
  .refine((v) => !v.from || !v.to || v.from <= v.to, { path: ['to'], error: DATE_RANGE_MESSAGE });

export type AuditSearch = z.output<typeof auditSearchParams>;

/** What narrows the list: everything but the page cursor. */
export type AuditFilter = Omit<AuditSearch, 'before'>;

export const AUDIT_FILTER_KEYS = ['actor', 'action', 'entityType', 'entityId', 'from', 'to', 'outcome'] as const;

export type AuditFieldErrors = Partial<Record<keyof AuditSearch, string[]>>;

export type ParsedAuditSearch =
  { ok: true; filter: AuditFilter; before: number | undefined } | { ok: false; fieldErrors: AuditFieldErrors };

export function parseAuditSearch(raw: Record<string, string | string[] | undefined>): ParsedAuditSearch {
  const parsed = auditSearchParams.safeParse(raw);
  if (!parsed.success) return { ok: false, fieldErrors: z.flattenError(parsed.error).fieldErrors as AuditFieldErrors };
  const { before, ...filter } = parsed.data;
  return { ok: true, filter: withoutUndefined(filter), before };
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** The raw values as typed, for refilling the form after an error (first value of a repeated key). */
export function rawAuditValues(raw: Record<string, string | string[] | undefined>): Partial<Record<keyof AuditSearch, string>> {
  const out: Partial<Record<keyof AuditSearch, string>> = {};
  for (const key of [...AUDIT_FILTER_KEYS, 'before'] as const) {
    const value = raw[key];
    const first = Array.isArray(value) ? value[0] : value;
    if (typeof first === 'string') out[key] = first;
  }
  return out;
}

/** The filter (and cursor) back to a query string; empty values left out. */
export function auditQuery(filter: AuditFilter, before?: number): URLSearchParams {
  const query = new URLSearchParams();
  for (const key of AUDIT_FILTER_KEYS) {
    const value = filter[key];
    if (value) query.set(key, value);
  }
  if (before) query.set('before', String(before));
  return query;
}

export function isAuditFiltered(filter: AuditFilter) {
  return AUDIT_FILTER_KEYS.some((key) => Boolean(filter[key]));
}
