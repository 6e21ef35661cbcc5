import { and, eq, inArray } from 'drizzle-orm';
import type { DbOrTx } from '@/db';
import { refunds, type Order } from '@/db/schema';

const REFUNDABLE_ORDER_STATUSES = new Set(['paid', 'partially_refunded']);

/**
 * Why no new refund can be made on this order right now, or null. Frontpayment has no refund id
 * and no idempotency key (frontpayment.md §9): the only way to tell what a refund did is to watch
 * the order's refundedAmount, so while one is in flight or its outcome is unknown, nothing new is
 * sent on that order.
 */
export async function refundBlocker(
  db: DbOrTx,
  order: Pick<Order, 'id' | 'provider' | 'status' | 'refundDeadline'>,
  now = new Date(),
) {
  if (!REFUNDABLE_ORDER_STATUSES.has(order.status)) {
    return order.status === 'invoiced'
      ? 'The invoice for this order is still outstanding: it cannot be refunded until it is paid.'
      : order.status === 'refunded'
        ? 'Everything on this order has been refunded.'
        : 'This order has not been paid, so there is nothing to refund.';
  }
  if (order.refundDeadline && order.refundDeadline < now) return 'The refund deadline for this order has passed.';
  if (order.provider === 'frontpayment') {
    const [inFlight] = await db
      .select({ id: refunds.id, status: refunds.status })
      .from(refunds)
      .where(
        and(eq(refunds.orderId, order.id), inArray(refunds.status, ['approved', 'submitting', 'processing', 'outcome_unknown'])),
      )
      .limit(1);
    if (inFlight) {
      return inFlight.status === 'outcome_unknown'
        ? 'A refund on this order has an unknown outcome at Frontpayment. New refunds wait until it is reconciled.'
        : 'A refund on this order is still being processed by Frontpayment. New refunds wait until it settles.';
    }
  }
  return null;
}
