import { createHash } from 'node:crypto';
import { sql, type SQL } from 'drizzle-orm';

/**
 * What the seed derives from a row number: ids, prices and quantities, the same on every run (see
 * bench/seed.ts).
 */

export const BENCH_USERS = 16;
export const DAY_S = 86_400;
export const HISTORY_DAYS = 400;
/** Orders are placed evenly over the 400 days before `now`, ending an hour before it. */
export const SPAN_S = HISTORY_DAYS * DAY_S - 3600;

/** A valid version-4 UUID (as SQL) from a prefix and a number: same input, same id. */
export const uuidSql = (prefix: string, n: SQL | string) =>
  sql`overlay(overlay(md5(${sql.raw(`'${prefix}'`)} || (${typeof n === 'string' ? sql.raw(n) : n})::text) placing '4' from 13) placing '8' from 17)::uuid`;

/** The same id computed in JS, for audit events that name refunds and orders. */
export function benchUuid(prefix: string, n: number): string {
  const hex = createHash('md5').update(`${prefix}${n}`).digest('hex');
  const h = `${hex.slice(0, 12)}4${hex.slice(13, 16)}8${hex.slice(17)}`;
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** A reproducible number in [0, mod) from an integer expression and a salt. */
export const pick = (expr: string, salt: number, mod: number | string) =>
  `abs(hashint8extended((${expr})::bigint, ${salt}) % (${mod}))`;

export const unitPrice = (o: string, k: string) => `(500 + ${pick(`(${o}) * 4 + (${k})`, 11, 19_500)})`;
export const quantity = (o: string, k: string) => `(1 + ${pick(`(${o}) * 4 + (${k})`, 13, 4)})`;
export const paid = (o: string, k: string) => `(${unitPrice(o, k)} * ${quantity(o, k)})`;
