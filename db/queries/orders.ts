import { and, asc, desc, eq, gte, ilike, lt, or, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '@/db';
import { orderLines, orderPayments, orders, type OrderStatus, type Provider } from '@/db/schema';
import { timestamp } from '@/db/sql';

export interface OrderSearch {
  q?: string;
  provider?: Provider;
  status?: OrderStatus;
  /** Inclusive lower bound on `placed_at`. */
  from?: Date;
  /** Exclusive upper bound on `placed_at`. */
  to?: Date;
  /** Keyset cursor: the last row of the previous page. */
  after?: { placedAt: Date; id: string };
  limit?: number;
}

export type OrderSummary = Awaited<ReturnType<typeof searchOrders>>['rows'][number];

function escapeLike(text: string) {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * Order search: order number and provider reference match exactly or by prefix; customer name and
 * email by substring, case-insensitively. Newest first with keyset pagination.
 */
export async function searchOrders(db: DbOrTx, search: OrderSearch) {
  const limit = Math.min(Math.max(search.limit ?? 25, 1), 100);
  const conditions: SQL[] = [];
  const q = search.q?.trim();
  if (q) {
    const prefix = `${escapeLike(q)}%`;
    const contains = `%${escapeLike(q.toLowerCase())}%`;
    conditions.push(
      or(
        ilike(orders.orderNumber, prefix),
        ilike(orders.providerRef, prefix),
        sql`lower(${orders.customerEmail}) like ${contains}`,
        sql`lower(${orders.customerName}) like ${contains}`,
      )!,
    );
  }
  if (search.provider) conditions.push(eq(orders.provider, search.provider));
  if (search.status) conditions.push(eq(orders.status, search.status));
  if (search.from) conditions.push(gte(orders.placedAt, search.from));
  if (search.to) conditions.push(lt(orders.placedAt, search.to));
  if (search.after) {
    conditions.push(sql`(${orders.placedAt}, ${orders.id}) < (${timestamp(search.after.placedAt)}, ${search.after.id}::uuid)`);
  }

  const rows = await db
    .select({
      id: orders.id,
      orderNumber: orders.orderNumber,
      provider: orders.provider,
      providerRef: orders.providerRef,
      kind: orders.kind,
      status: orders.status,
      currency: orders.currency,
      totalMinor: orders.totalMinor,
      customerName: orders.customerName,
      customerEmail: orders.customerEmail,
      placedAt: orders.placedAt,
    })
    .from(orders)
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(desc(orders.placedAt), desc(orders.id))
    .limit(limit + 1);

  const hasMore = rows.length > limit;
  const page = hasMore ? rows.slice(0, limit) : rows;
  const last = page.at(-1);
  return { rows: page, next: hasMore && last ? { placedAt: last.placedAt, id: last.id } : null };
}

export async function getOrder(db: DbOrTx, id: string) {
  const [order] = await db.select().from(orders).where(eq(orders.id, id));
  if (!order) return null;
  const [lines, payments] = await Promise.all([
    db.select().from(orderLines).where(eq(orderLines.orderId, id)).orderBy(asc(orderLines.position)),
    db
      .select()
      .from(orderPayments)
      .where(eq(orderPayments.orderId, id))
      .orderBy(asc(orderPayments.createdAt), asc(orderPayments.providerPaymentRef)),
  ]);
  return { order, lines, payments };
}
