import { z } from 'zod';
import { DEFAULT_HISTORY_SORT, HISTORY_SORTS, type HistorySort } from '@/db/queries/refund-history';
import { PROVIDERS, refundReasonEnum, refundStatusEnum } from '@/db/schema/enums';
import { parseDecimal, toDecimalString } from '@/lib/money';

/** The refund history's URL state (PRODUCT.md §2.6): one definition for the page and the CSV export. */

// The sorts are the query's (db/queries/refund-history.ts); the URL accepts exactly those.
export { DEFAULT_HISTORY_SORT, HISTORY_SORTS, type HistorySort };

/** The currencies our providers settle in (Forage USD, Frontpayment NOK). */
export const HISTORY_CURRENCIES = ['USD', 'NOK'] as const;

export const AMOUNT_RANGE_MESSAGE = 'The minimum amount is above the maximum, so the amount range is not applied.';

const emptyToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

/** `status=a&status=b` and `status=a,b` both mean "a or b". */
function oneOrMany(v: unknown) {
  if (v === undefined) return undefined;
  const list = (Array.isArray(v) ? v : [v])
    .flatMap((item) => (typeof item === 'string' ? item.split(',') : [item]))
    .map((item) => (typeof item === 'string' ? item.trim() : item))
    .filter((item) => item !== '');
  return list.length ? list : undefined;
}

const day = z.preprocess(emptyToUndefined, z.iso.date({ error: 'Use a date like 2026-01-31.' }).optional());

// People type "12.50" or "12,50"; at most 2 decimals (both currencies), exact, never a float.
// 13 whole digits keep the minor units a safe integer.
const AMOUNT = /^\d{1,13}(?:[.,]\d{1,2})?$/;
const amount = z.preprocess(
  emptyToUndefined,
  z
    .string()
    .trim()
    .regex(AMOUNT, 'Use an amount like 12.50.')
    .transform((text) => parseDecimal(text.replace(',', '.'), 'USD'))
    .optional(),
);

const fields = {
  from: day,
  to: day,
  status: z.preprocess(
    oneOrMany,
    z
      .array(z.enum(refundStatusEnum.enumValues, { error: 'Unknown refund status.' }))
      .max(refundStatusEnum.enumValues.length)
      .transform((list) => [...new Set(list)])
      .optional(),
  ),
  provider: z.preprocess(emptyToUndefined, z.enum(PROVIDERS, { error: 'Unknown provider.' }).optional()),
  agent: z.preprocess(emptyToUndefined, z.uuid({ error: 'Choose a person from the list.' }).optional()),
  reason: z.preprocess(emptyToUndefined, z.enum(refundReasonEnum.enumValues, { error: 'Unknown reason.' }).optional()),
  min: amount,
  max: amount,
  order: z.preprocess(emptyToUndefined, z.string().trim().max(100, 'Keep the order reference under 100 characters.').optional()),
  currency: z.preprocess(
    (v) => (typeof v === 'string' ? emptyToUndefined(v.toUpperCase()) : v),
    z.enum(HISTORY_CURRENCIES, { error: 'Use USD or NOK.' }).optional(),
  ),
  sort: z.preprocess(emptyToUndefined, z.enum(HISTORY_SORTS, { error: 'Unknown sort.' }).default(DEFAULT_HISTORY_SORT)),
  cursor: z.preprocess(emptyToUndefined, z.string().max(500).optional()),
};

const amountRangeOk = (v: { min?: number; max?: number }) => v.min === undefined || v.max === undefined || v.min <= v.max;

/** The page: anything unparseable is dropped rather than failing the page. */
export const historySearchParams = z.object({
  from: fields.from.catch(undefined),
  to: fields.to.catch(undefined),
  status: fields.status.catch(undefined),
  provider: fields.provider.catch(undefined),
  agent: fields.agent.catch(undefined),
  reason: fields.reason.catch(undefined),
  min: fields.min.catch(undefined),
  max: fields.max.catch(undefined),
  order: fields.order.catch(undefined),
  currency: fields.currency.catch(undefined),
  sort: fields.sort.catch(DEFAULT_HISTORY_SORT),
  cursor: fields.cursor.catch(undefined),
});

/** The export: the same fields, but a bad value is an error the caller sees (HTTP 400). */
export const historyExportQuery = z.object(fields).refine(amountRangeOk, { path: ['max'], error: AMOUNT_RANGE_MESSAGE });

export type HistoryParams = z.output<typeof historySearchParams>;

/** The filter part of the URL state: what the page lists and the export writes. */
export type HistoryFilter = Omit<HistoryParams, 'sort' | 'cursor'>;

/**
 * Parses the page's search params. A minimum above the maximum is not applied (the listing, the
 * next-page links and the export all leave it out) and comes back as a message for the form,
 * with the amounts as typed so the person can correct them.
 */
export function parseHistorySearch(raw: Record<string, string | string[] | undefined>) {
  const parsed = historySearchParams.parse(raw);
  const amounts = {
    min: parsed.min === undefined ? undefined : toDecimalString(parsed.min, 'USD'),
    max: parsed.max === undefined ? undefined : toDecimalString(parsed.max, 'USD'),
  };
  if (amountRangeOk(parsed)) return { params: parsed, amounts, rangeError: undefined };
  return { params: { ...parsed, min: undefined, max: undefined }, amounts, rangeError: AMOUNT_RANGE_MESSAGE };
}

/** URLSearchParams → the plain object zod sees; repeated keys become arrays. */
export function searchParamsToRecord(search: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(search.keys())) {
    const values = search.getAll(key);
    out[key] = values.length === 1 ? values[0]! : values;
  }
  return out;
}

/** The URL state back to a query string (the default sort and empty values left out). */
export function historyQuery(params: Partial<HistoryParams>): URLSearchParams {
  const query = new URLSearchParams();
  for (const key of ['from', 'to'] as const) if (params[key]) query.set(key, params[key]);
  for (const status of params.status ?? []) query.append('status', status);
  for (const key of ['provider', 'agent', 'reason'] as const) if (params[key]) query.set(key, params[key]);
  if (params.min !== undefined) query.set('min', toDecimalString(params.min, 'USD'));
  if (params.max !== undefined) query.set('max', toDecimalString(params.max, 'USD'));
  if (params.order) query.set('order', params.order);
  if (params.currency) query.set('currency', params.currency);
  if (params.sort && params.sort !== DEFAULT_HISTORY_SORT) query.set('sort', params.sort);
  if (params.cursor) query.set('cursor', params.cursor);
  return query;
}

export function isFiltered(params: HistoryFilter) {
  return Boolean(
    params.from ||
    params.to ||
    params.status?.length ||
    params.provider ||
    params.agent ||
    params.reason ||
    params.min !== undefined ||
    params.max !== undefined ||
    params.order ||
    params.currency,
  );
}
