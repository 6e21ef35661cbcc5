import { createTranslator } from 'use-intl/core';
import { z } from 'zod';
import { auditOutcomeEnum } from '@/db/schema/enums';
import { isNonPersonActor, isUuid } from '@/db/queries/filters';
import { MESSAGES } from '@/messages';

/**
 * The audit log's URL state (PRODUCT.md §2.7): one definition for the `/audit` page and the CSV
 * export at `/api/audit/export`. Unlike the refund history, a value that does not parse is never
 * dropped silently: an auditor who asked for a narrower view must not be shown a wider one
 * without noticing, so the page shows the error (and lists nothing) and the export answers 400.
 */

/**
 * The errors in English, from the catalogue (messages/en/audit.json `filterErrors`): the export
 * answers with them, and the page says them in the reader's language (filterErrorInWords).
 */
const english = createTranslator({ locale: 'en', messages: MESSAGES.en, namespace: 'audit.filterErrors' });
type Field = 'actor' | 'action' | 'entityType' | 'entityId' | 'from' | 'to' | 'outcome' | 'before';

const emptyToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

/** A repeated key (`?action=a&action=b`) is an error rather than a silent pick of one. */
const one = <S extends z.core.SomeType>(schema: S, field: Field) =>
  z.preprocess((value, ctx) => {
    if (!Array.isArray(value)) return emptyToUndefined(value);
    ctx.addIssue({ code: 'custom', message: english(`one.${field}`) });
    return undefined;
  }, schema);

// Actions look like `refund.status_changed` or `access.denied`; a trailing `.` or `*` asks for a prefix.
const ACTION = /^[A-Za-z0-9_:-]+(?:\.[A-Za-z0-9_:-]+)*(?:\.|\.?\*)?$/;
const ENTITY_TYPE = /^[A-Za-z0-9_:-]+$/;
const DAY_MESSAGE = english('day');

// z.iso.date knows month lengths and leap years: 2026-02-31 is an error, not the 3rd of March.
const day = (field: 'from' | 'to') => one(z.iso.date({ error: DAY_MESSAGE }).optional(), field);

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
        error: english('actor'),
      })
      .optional(),
    'actor',
  ),
  /** `refund.approved` exactly, or `refund.` / `refund.*` for every refund action. */
  action: one(z.string().trim().max(100, english('actionLength')).regex(ACTION, english('actionShape')).optional(), 'action'),
  entityType: one(
    z.string().trim().max(50, english('entityTypeLength')).regex(ENTITY_TYPE, english('entityTypeUnknown')).optional(),
    'entityType',
  ),
  entityId: one(z.string().trim().max(200, english('entityIdLength')).optional(), 'entityId'),
  from: day('from'),
  to: day('to'),
  outcome: one(z.enum(auditOutcomeEnum.enumValues, { error: english('outcome') }).optional(), 'outcome'),
  /** Keyset cursor: list events with a smaller `seq` than this (the page's "Older events"). */
  before: one(
    z
      .string()
      .regex(/^[1-9]\d{0,14}$/, english('page'))
      .transform(Number)
      .optional(),
    'before',
  ),
};

export const DATE_RANGE_MESSAGE = english('dateRange');

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
