import { and, asc, desc, eq, gte, inArray, lt, lte, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { queryRows, type Db, type DbOrTx } from '@/db';
import { cursorBatches, cursorDate } from '@/db/cursor';
import {
  orders,
  providerRefunds,
  refundLines,
  refunds,
  users,
  type Provider,
  type RefundReason,
  type RefundStatus,
} from '@/db/schema';
import { escapeLike, utcDayRange } from './filters';

/**
 * The refund history (PRODUCT.md §2.6). The page and the CSV export share `buildHistoryFilter`, the
 * columns and the order, so what the page lists, page after page, is exactly what the export
 * writes (db/queries/refund-history.test.ts checks it for random filters). Keyset pagination (never OFFSET) keeps every page as cheap as the first at millions of
 * rows; the indexes that serve each sort are in db/schema/refunds.ts.
 */

/** The most rows one page of listRefundHistory returns. */
export const HISTORY_PAGE_SIZE_MAX = 1000;

export const HISTORY_SORTS = ['created_desc', 'created_asc', 'amount_desc', 'amount_asc'] as const;
export type HistorySort = (typeof HISTORY_SORTS)[number];
export const DEFAULT_HISTORY_SORT: HistorySort = 'created_desc';

/** What narrows the history; lib/refunds/history-schema.ts parses the URL into this. */
export interface RefundHistoryFilter {
  /** First UTC day, `YYYY-MM-DD`. */
  from?: string;
  /** Last UTC day, inclusive. */
  to?: string;
  status?: RefundStatus[];
  provider?: Provider;
  /** The requesting user's id. */
  agent?: string;
  reason?: RefundReason;
  /** Minor units, whatever the currency. */
  min?: number;
  max?: number;
  /** Order number or provider reference, exactly or by prefix. */
  order?: string;
  currency?: string;
}

export interface RefundHistoryParams extends RefundHistoryFilter {
  sort: HistorySort;
  cursor?: string;
}

const SORT_COLUMNS = {
  created: refunds.createdAt,
  amount: refunds.amountMinor,
} as const;

function sortOf(sort: HistorySort) {
  const [key, direction] = sort.split('_') as [keyof typeof SORT_COLUMNS, 'asc' | 'desc'];
  return { key, direction };
}

// The created key travels as text with microseconds: timestamptz holds µs, a JS Date only ms, and
// a cursor rounded to ms would skip or repeat rows created within the same millisecond.
const createdKey = sql<string>`to_char(${refunds.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
const CREATED_KEY = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

const cursorSchema = z.discriminatedUnion('k', [
  z.object({
    s: z.enum(HISTORY_SORTS),
    k: z.literal('created'),
    v: z
      .string()
      .regex(CREATED_KEY)
      .refine((v) => !Number.isNaN(Date.parse(v))),
    id: z.uuid(),
  }),
  z.object({ s: z.enum(HISTORY_SORTS), k: z.literal('amount'), v: z.number().int().safe(), id: z.uuid() }),
]);
type Cursor = z.output<typeof cursorSchema>;

/** Opaque to the URL: base64url JSON of the sort, the last row's sort key and its id. */
export function encodeHistoryCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

/** A cursor that does not parse, or belongs to another sort, means the first page. */
export function decodeHistoryCursor(value: string | undefined, sort: HistorySort): Cursor | undefined {
  if (!value) return undefined;
  try {
    const json: unknown = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
    const parsed = cursorSchema.safeParse(json);
    if (!parsed.success || parsed.data.s !== sort || parsed.data.k !== sortOf(sort).key) return undefined;
    return parsed.data;
  } catch {
    return undefined;
  }
}

/**
 * Orders whose number or provider reference starts with `text` (lowercase), case-insensitively.
 * Besides the LIKE, the prefix is written as the range the lower(...) text_pattern_ops indexes
 * hold it in (`~>=~ text and ~<~ text-with-its-last-character-raised`): PostgreSQL derives that
 * range from a LIKE only when it sees the pattern while planning, and a prepared statement's
 * reused plan does not, which left it reading every order.
 */
function ordersMatching(text: string): SQL {
  const like = `${escapeLike(text)}%`;
  const last = text.charCodeAt(text.length - 1);
  // Raising a surrogate or the highest code unit would not give the next string: LIKE alone.
  const upper = last < 0xd7ff ? text.slice(0, -1) + String.fromCharCode(last + 1) : null;
  const on = (column: SQL) =>
    upper ? sql`(${column} ~>=~ ${text} and ${column} ~<~ ${upper} and ${column} like ${like})` : sql`${column} like ${like}`;
  return sql`(${on(sql`lower(${orders.orderNumber})`)} or ${on(sql`lower(${orders.providerRef})`)})`;
}

/** An order search matching at most this many orders sorts their refunds instead of walking an index. */
const FEW_ORDERS = 2000;

/** Whether an order search matches few orders (at most FEW_ORDERS): one bounded index read. */
async function fewOrdersMatch(db: DbOrTx, order: string) {
  const [row] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from (select 1 from ${orders} where ${ordersMatching(order)} limit ${FEW_ORDERS + 1}) m`,
  );
  return (row?.n ?? 0) <= FEW_ORDERS;
}

/** The filter as SQL conditions on `refunds` joined to `orders` — the one definition. */
export function buildHistoryFilter(filter: RefundHistoryFilter): SQL | undefined {
  const conditions: SQL[] = [];
  const { from, to } = utcDayRange(filter);
  if (from) conditions.push(gte(refunds.createdAt, from));
  if (to) conditions.push(lt(refunds.createdAt, to));
  if (filter.status?.length) conditions.push(inArray(refunds.status, filter.status));
  if (filter.provider) conditions.push(eq(orders.provider, filter.provider));
  if (filter.agent) conditions.push(eq(refunds.requestedBy, filter.agent));
  if (filter.currency) conditions.push(eq(refunds.currency, filter.currency));
  // Minor units, whatever the currency: 1000 is $10.00 and 10,00 kr alike (the form says so).
  if (filter.min !== undefined) conditions.push(gte(refunds.amountMinor, filter.min));
  if (filter.max !== undefined) conditions.push(lte(refunds.amountMinor, filter.max));
  if (filter.reason) {
    // A refund matches when any of its lines has the reason.
    conditions.push(
      sql`exists (select 1 from ${refundLines} where ${refundLines.refundId} = ${refunds.id} and ${refundLines.reason} = ${filter.reason})`,
    );
  }
  const order = filter.order?.trim().toLowerCase();
  if (order) conditions.push(sql`${refunds.orderId} in (select ${orders.id} from ${orders} where ${ordersMatching(order)})`);
  return conditions.length ? and(...conditions) : undefined;
}

/**
 * Rows after the cursor in the sort order. The plain bound on the key repeats what the row
 * comparison implies, so an index that has the key after an equality column — (status,
 * created_at) or (requested_by, created_at) — starts at the cursor instead of filtering its way
 * there; the row comparison alone is only an index condition on (key, id) indexes.
 */
function afterCursor(cursor: Cursor): SQL {
  const desc = sortOf(cursor.s).direction === 'desc';
  const op = sql.raw(desc ? '<' : '>');
  const bound = sql.raw(desc ? '<=' : '>=');
  const [column, value] =
    cursor.k === 'created' ? [refunds.createdAt, sql`${cursor.v}::timestamptz`] : [refunds.amountMinor, sql`${cursor.v}::bigint`];
  return sql`(${column} ${bound} ${value} and (${column}, ${refunds.id}) ${op} (${value}, ${cursor.id}::uuid))`;
}

/**
 * The sort key as an expression no index provides, for an order search that matches few orders:
 * their refunds are found through the orders and sorted. Given the bare column the planner may
 * instead walk the whole created-at index from the newest refund, filtering each by order and
 * expecting a match soon — for a prefix whose orders are all from one month that read 500,000
 * rows (6–15 s) at 1M refunds, their dates not being spread as it assumes. A search matching many
 * orders ("BN-0") keeps the walk, which then finds its page quickly.
 */
function sortedNotWalked(key: keyof typeof SORT_COLUMNS): SQL {
  return key === 'created' ? sql`(${refunds.createdAt} + interval '0 seconds')` : sql`(${refunds.amountMinor} + 0)`;
}

/**
 * The page's refunds first, by id and sort key alone, then their details for those rows only.
 * The first step reads only the sort key, the filters' columns and ids, so an order search is
 * answered from the (order_id, created_at, id) index alone, without reading each matching
 * refund's row (a broad prefix matches thousands) before the top of the sort is known.
 */
async function fetchPage(db: DbOrTx, filter: RefundHistoryFilter, sort: HistorySort, after: Cursor | undefined, limit: number) {
  const { key, direction } = sortOf(sort);
  const by = direction === 'desc' ? desc : asc;
  const order = filter.order?.trim().toLowerCase();
  const sortMatches = order ? await fewOrdersMatch(db, order) : false;
  let matching = db.select({ id: refunds.id }).from(refunds).$dynamic();
  // Only the provider filter reads `orders` (an order search is a subquery on refunds.order_id).
  if (filter.provider) matching = matching.innerJoin(orders, eq(orders.id, refunds.orderId));
  const ids = matching
    .where(and(buildHistoryFilter(filter), after ? afterCursor(after) : undefined))
    .orderBy(by(sortMatches ? sortedNotWalked(key) : SORT_COLUMNS[key]), by(refunds.id))
    .limit(limit + 1)
    .as('ids');
  const rows = await db
    .select({
      id: refunds.id,
      createdAt: refunds.createdAt,
      status: refunds.status,
      amountMinor: refunds.amountMinor,
      currency: refunds.currency,
      orderId: orders.id,
      orderNumber: orders.orderNumber,
      provider: orders.provider,
      providerRef: orders.providerRef,
      customerName: orders.customerName,
      requestedBy: refunds.requestedBy,
      requestedByName: users.name,
      // Copies on the refund's row, kept by the triggers of migration 0022.
      reasons: refunds.reasons,
      providerRefundRefs: refunds.providerRefundRefs,
      createdKey,
    })
    .from(ids)
    .innerJoin(refunds, eq(refunds.id, ids.id))
    .innerJoin(orders, eq(orders.id, refunds.orderId))
    .innerJoin(users, eq(users.id, refunds.requestedBy))
    .orderBy(by(SORT_COLUMNS[key]), by(refunds.id));

  const hasMore = rows.length > limit;
  const page = hasMore ? rows.slice(0, limit) : rows;
  const last = page.at(-1);
  const next: Cursor | null =
    hasMore && last
      ? key === 'created'
        ? { s: sort, k: 'created', v: last.createdKey, id: last.id }
        : { s: sort, k: 'amount', v: last.amountMinor, id: last.id }
      : null;
  return { rows: page.map(({ createdKey: _key, ...row }) => row), next };
}

export type RefundHistoryRow = Awaited<ReturnType<typeof fetchPage>>['rows'][number];

/** One page of the history. `nextCursor` goes into the URL as `cursor` for the next page. */
export async function listRefundHistory(db: DbOrTx, params: Partial<RefundHistoryParams>, options: { limit?: number } = {}) {
  const limit = Math.min(Math.max(options.limit ?? 25, 1), HISTORY_PAGE_SIZE_MAX);
  const sort = params.sort ?? DEFAULT_HISTORY_SORT;
  const after = decodeHistoryCursor(params.cursor, sort);
  const { rows, next } = await fetchPage(db, params, sort, after, limit);
  return { rows, nextCursor: next ? encodeHistoryCursor(next) : null };
}

/**
 * The export as one set-based statement: the history's filter, columns and order (the page's
 * fetchPage). The reasons and provider references are the refund row's own copies (migration
 * 0022): aggregating 1.2M lines and 770k provider refunds per export took ~6 of its ~8 s at 1M.
 */
export function historyExportQuery(params: Partial<RefundHistoryParams>): SQL {
  const { key, direction } = sortOf(params.sort ?? DEFAULT_HISTORY_SORT);
  const by = sql.raw(direction);
  const where = buildHistoryFilter(params);
  return sql`select ${refunds.id}, ${refunds.createdAt}, ${refunds.status},
      ${refunds.amountMinor}, ${refunds.currency}, ${orders.id}, ${orders.orderNumber}, ${orders.provider},
      ${orders.providerRef}, ${orders.customerName}, ${refunds.requestedBy}, ${users.name},
      ${refunds.reasons}::text[], ${refunds.providerRefundRefs}
    from ${refunds}
    join ${orders} on ${orders.id} = ${refunds.orderId}
    join ${users} on ${users.id} = ${refunds.requestedBy}
    ${where ? sql`where ${where}` : sql``}
    order by ${SORT_COLUMNS[key]} ${by}, ${refunds.id} ${by}`;
}

/** One row of historyExportQuery as the page's query returns it. */
function exportRow(v: unknown[]): RefundHistoryRow {
  return {
    id: v[0] as string,
    createdAt: cursorDate(v[1]),
    status: v[2] as RefundStatus,
    amountMinor: Number(v[3]),
    currency: v[4] as string,
    orderId: v[5] as string,
    orderNumber: v[6] as string,
    provider: v[7] as Provider,
    providerRef: v[8] as string,
    customerName: v[9] as string,
    requestedBy: v[10] as string,
    requestedByName: v[11] as string,
    reasons: v[12] as RefundReason[],
    providerRefundRefs: v[13] as string[],
  };
}

/**
 * Every row matching the filter, in the chosen order, in batches: one statement through a
 * server-side cursor (db/cursor.ts), so memory stays flat however many rows there are and a slow
 * reader holds the database back instead of filling the server's memory. One snapshot: a refund
 * that changes while a long export runs is written as it was when the export started. Starts at
 * the first row whatever `cursor` says.
 */
export async function* streamRefundHistoryBatches(
  db: Db,
  params: Partial<RefundHistoryParams>,
  options: { batchSize?: number } = {},
): AsyncGenerator<RefundHistoryRow[], void, undefined> {
  for await (const batch of cursorBatches(db, historyExportQuery(params), options)) yield batch.map(exportRow);
}

/** streamRefundHistoryBatches, one row at a time. */
export async function* streamRefundHistory(
  db: Db,
  params: Partial<RefundHistoryParams>,
  options: { batchSize?: number } = {},
): AsyncGenerator<RefundHistoryRow, void, undefined> {
  for await (const batch of streamRefundHistoryBatches(db, params, options)) yield* batch;
}

/**
 * The lines of a refund that was completed before the desk saw it (the demo's past refunds), and
 * what each provider refund paid back. The refund row itself is recorded by the lifecycle
 * (lib/refunds/lifecycle.ts `recordPastRefund`), the one writer of a refund's status.
 */
export async function insertPastRefundParts(
  db: DbOrTx,
  refundId: string,
  lines: Omit<typeof refundLines.$inferInsert, 'refundId'>[],
  providerRefundRows: Omit<typeof providerRefunds.$inferInsert, 'refundId'>[],
) {
  await db.insert(refundLines).values(lines.map((l) => ({ ...l, refundId })));
  await db.insert(providerRefunds).values(providerRefundRows.map((p) => ({ ...p, refundId })));
}
