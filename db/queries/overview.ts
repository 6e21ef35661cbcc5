import { and, count, eq, gte, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '@/db';
import { orders, refunds, SETTLED_REFUND_STATUSES } from '@/db/schema';

/** Settled refunds since a moment, per provider and currency. */
export function refundedSince(db: DbOrTx, since: Date) {
  return db
    .select({
      provider: orders.provider,
      currency: refunds.currency,
      amountMinor: sql<number>`sum(${refunds.amountMinor})::bigint`.mapWith(Number),
      refunds: count(),
    })
    .from(refunds)
    .innerJoin(orders, eq(orders.id, refunds.orderId))
    .where(and(inArray(refunds.status, [...SETTLED_REFUND_STATUSES]), gte(refunds.createdAt, since)))
    .groupBy(orders.provider, refunds.currency)
    .orderBy(orders.provider);
}

export function refundCountsByStatus(db: DbOrTx) {
  return db.select({ status: refunds.status, refunds: count() }).from(refunds).groupBy(refunds.status);
}
