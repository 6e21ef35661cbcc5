import { z } from 'zod';
import { utcDayRange } from '@/db/queries/filters';
import { orderStatusEnum, PROVIDERS } from '@/db/schema/enums';

const emptyToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const day = z.preprocess(emptyToUndefined, z.iso.date({ error: 'Use a date like 2026-01-31.' }).optional());

/** The orders list's URL state; anything unparseable is dropped rather than failing the page. */
export const orderSearchParams = z.object({
  q: z.preprocess(emptyToUndefined, z.string().trim().max(200).optional()),
  provider: z.preprocess(emptyToUndefined, z.enum(PROVIDERS).optional()).catch(undefined),
  status: z.preprocess(emptyToUndefined, z.enum(orderStatusEnum.enumValues).optional()).catch(undefined),
  from: day.catch(undefined),
  to: day.catch(undefined),
  cursor: z.string().max(200).optional().catch(undefined),
});

export type OrderSearchParams = z.infer<typeof orderSearchParams>;

/** `to` is inclusive for people; the query wants an exclusive bound, so add a day. */
export function dateRange(params: OrderSearchParams) {
  return utcDayRange(params);
}
