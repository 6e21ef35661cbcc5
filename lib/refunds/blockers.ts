import type { DbOrTx } from '@/db';
import { otherRefundOfOrderIn } from '@/db/queries/refunds';
import type { Order } from '@/db/schema';
import { providerProfile } from '@/lib/providers/registry';
import { IN_FLIGHT_STATUSES } from './lifecycle';

const REFUNDABLE_ORDER_STATUSES = new Set(['paid', 'partially_refunded']);

/**
 * Why no new refund can be made on this order right now, or null. Where the provider has no refund
 * objects (reconciliation by order totals, e.g. Frontpayment, frontpayment.md §9), the only way to
 * tell what a refund did is to watch the order's refunded total, so while one is in flight or its
 * outcome is unknown, nothing new is sent on that order.
 */
export async function refundBlocker(
  db: DbOrTx,
  order: Pick<Order, 'id' | 'provider' | 'status' | 'refundDeadline' | 'lineIdsKnown'>,
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
  const profile = providerProfile(order.provider);
  if (!order.lineIdsKnown && profile.capabilities.lineIdsRequired) {
    return `${profile.label} did not list the ids of this order's lines, and a refund must name them, so Refund Desk cannot send one for this order. Refund it in ${profile.label}'s own portal, or ask ${profile.label} support for the line ids and refresh the order.`;
  }
  if (profile.capabilities.reconciliation === 'order_totals') {
    const inFlight = await otherRefundOfOrderIn(db, order.id, IN_FLIGHT_STATUSES);
    if (inFlight) {
      return inFlight.status === 'outcome_unknown'
        ? `A refund on this order has an unknown outcome at ${profile.label}. New refunds wait until it is reconciled.`
        : `A refund on this order is still being processed by ${profile.label}. New refunds wait until it settles.`;
    }
  }
  return null;
}
