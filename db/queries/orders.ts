import { and, asc, desc, eq, gte, ilike, lt, notInArray, or, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '@/db';
import {
  orderLines,
  orderPayments,
  orders,
  providerRefunds,
  RELEASED_REFUND_STATUSES,
  refunds,
  type OrderStatus,
  type Provider,
} from '@/db/schema';
import { timestamp } from '@/db/sql';
import { escapeLike } from './filters';

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
    listOrderLines(db, id),
    db
      .select()
      .from(orderPayments)
      .where(eq(orderPayments.orderId, id))
      .orderBy(asc(orderPayments.createdAt), asc(orderPayments.providerPaymentRef)),
  ]);
  return { order, lines, payments };
}

/** An order's lines in their order on the receipt. */
export function listOrderLines(db: DbOrTx, orderId: string) {
  return db.select().from(orderLines).where(eq(orderLines.orderId, orderId)).orderBy(asc(orderLines.position));
}

/** Which provider holds the order, and under what reference; null when there is no such order. */
export async function getOrderProviderRef(db: DbOrTx, id: string) {
  const [order] = await db
    .select({ provider: orders.provider, providerRef: orders.providerRef })
    .from(orders)
    .where(eq(orders.id, id));
  return order ?? null;
}

/** The local mirror of a provider's order, locked for the rest of the transaction; null if not imported yet. */
export async function getOrderByProviderRefForUpdate(db: DbOrTx, provider: Provider, providerRef: string) {
  const [order] = await db
    .select()
    .from(orders)
    .where(and(eq(orders.provider, provider), eq(orders.providerRef, providerRef)))
    // Not FOR UPDATE: refunds' foreign keys take KEY SHARE on it (db/queries/refunds.ts lockOrder).
    .for('no key update');
  return order ?? null;
}

export async function insertOrder(db: DbOrTx, values: typeof orders.$inferInsert): Promise<string> {
  const [order] = await db.insert(orders).values(values).returning({ id: orders.id });
  return order!.id;
}

export function updateOrder(db: DbOrTx, id: string, values: Partial<typeof orders.$inferInsert>) {
  return db.update(orders).set(values).where(eq(orders.id, id));
}

export function insertOrderLines(db: DbOrTx, lines: (typeof orderLines.$inferInsert)[]) {
  return db.insert(orderLines).values(lines).returning({ id: orderLines.id, providerLineId: orderLines.providerLineId });
}

export function setOrderLinePaid(db: DbOrTx, lineId: string, paidMinor: number) {
  return db.update(orderLines).set({ paidMinor }).where(eq(orderLines.id, lineId));
}

/** Gives a line the provider's own id, once the provider lists it (it was numbered on import). */
export function setOrderLineProviderId(db: DbOrTx, lineId: string, providerLineId: string) {
  return db.update(orderLines).set({ providerLineId }).where(eq(orderLines.id, lineId));
}

export function insertOrderPayments(db: DbOrTx, payments: (typeof orderPayments.$inferInsert)[]) {
  return db
    .insert(orderPayments)
    .values(payments)
    .returning({ id: orderPayments.id, ref: orderPayments.providerPaymentRef, tender: orderPayments.tender });
}

/** A payment as the provider reports it now: added when new, its amount updated when known. */
export function upsertOrderPayment(
  db: DbOrTx,
  payment: Pick<typeof orderPayments.$inferInsert, 'orderId' | 'providerPaymentRef' | 'tender' | 'amountMinor'>,
) {
  return db
    .insert(orderPayments)
    .values(payment)
    .onConflictDoUpdate({
      target: [orderPayments.orderId, orderPayments.providerPaymentRef],
      set: { amountMinor: payment.amountMinor },
    });
}

/** The provider refund refs of the order's refunds made through Refund Desk. */
export async function ourProviderRefundRefs(db: DbOrTx, orderId: string): Promise<Set<string>> {
  const rows = await db
    .select({ ref: providerRefunds.providerRefundRef })
    .from(providerRefunds)
    .innerJoin(refunds, eq(refunds.id, providerRefunds.refundId))
    .where(eq(refunds.orderId, orderId));
  return new Set(rows.map((r) => r.ref).filter((ref): ref is string => ref !== null));
}

/** What was refunded at the provider on one payment outside Refund Desk (seen on sync). */
export function setPaymentExternallyRefunded(db: DbOrTx, orderId: string, providerPaymentRef: string, minor: number) {
  return db
    .update(orderPayments)
    .set({ externallyRefundedMinor: minor })
    .where(and(eq(orderPayments.orderId, orderId), eq(orderPayments.providerPaymentRef, providerPaymentRef)));
}

/** What the order's refunds hold or have paid back: every refund not released (rejected, expired, …). */
export async function heldRefundsMinor(db: DbOrTx, orderId: string): Promise<number> {
  const [ours] = await db
    .select({ held: sql<number>`coalesce(sum(${refunds.amountMinor}), 0)::bigint`.mapWith(Number) })
    .from(refunds)
    .where(and(eq(refunds.orderId, orderId), notInArray(refunds.status, [...RELEASED_REFUND_STATUSES])));
  return ours?.held ?? 0;
}

/** An order's payments (or a reservation's captures and charges), oldest first. */
export function listOrderPayments(db: DbOrTx, orderId: string) {
  return db
    .select()
    .from(orderPayments)
    .where(eq(orderPayments.orderId, orderId))
    .orderBy(asc(orderPayments.createdAt), asc(orderPayments.providerPaymentRef));
}
