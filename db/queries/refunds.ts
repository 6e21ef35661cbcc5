import { asc, desc, eq } from 'drizzle-orm';
import type { DbOrTx } from '@/db';
import { orders, refunds, users, type RefundStatus } from '@/db/schema';

/** The refunds of one order, newest first, with who asked for them. */
export function listOrderRefunds(db: DbOrTx, orderId: string) {
  return db
    .select({
      id: refunds.id,
      status: refunds.status,
      amountMinor: refunds.amountMinor,
      currency: refunds.currency,
      createdAt: refunds.createdAt,
      statusReason: refunds.statusReason,
      providerErrorCode: refunds.providerErrorCode,
      requestedByName: users.name,
    })
    .from(refunds)
    .innerJoin(users, eq(users.id, refunds.requestedBy))
    .where(eq(refunds.orderId, orderId))
    .orderBy(desc(refunds.createdAt));
}

/** Refunds across orders for the history and approval screens (filters arrive with the history issue). */
export function listRefunds(db: DbOrTx, options: { status?: RefundStatus; oldestFirst?: boolean; limit?: number } = {}) {
  const limit = Math.min(Math.max(options.limit ?? 50, 1), 200);
  return db
    .select({
      id: refunds.id,
      status: refunds.status,
      amountMinor: refunds.amountMinor,
      currency: refunds.currency,
      createdAt: refunds.createdAt,
      expiresAt: refunds.expiresAt,
      orderId: orders.id,
      orderNumber: orders.orderNumber,
      provider: orders.provider,
      customerName: orders.customerName,
      requestedByName: users.name,
    })
    .from(refunds)
    .innerJoin(orders, eq(orders.id, refunds.orderId))
    .innerJoin(users, eq(users.id, refunds.requestedBy))
    .where(options.status ? eq(refunds.status, options.status) : undefined)
    .orderBy(options.oldestFirst ? asc(refunds.createdAt) : desc(refunds.createdAt), asc(refunds.id))
    .limit(limit);
}
