import type { DbOrTx } from '@/db';
import { otherRefundOfOrderIn } from '@/db/queries/refunds';
import type { Order } from '@/db/schema';
import { providerProfile } from '@/lib/providers/registry';
import { IN_FLIGHT_STATUSES } from './lifecycle';

const REFUNDABLE_ORDER_STATUSES = new Set(['paid', 'partially_refunded']);

/** Why no refund can be made, as a key for people's languages (errors.code.order_not_refundable). */
export type BlockReason =
  | 'invoiced'
  | 'refunded'
  | 'not_paid'
  | 'deadline_passed'
  | 'line_ids_unknown'
  | 'outcome_unknown'
  | 'in_flight'
  | 'nothing_left';

export interface RefundBlock {
  reason: BlockReason;
  provider: string;
  /** The English sentence (logs, tests, and the fallback when no catalogue has it). */
  message: string;
}

/** The translator's values for a block: `errors.code.order_not_refundable` selects on `reason`. */
export const blockParams = (block: Pick<RefundBlock, 'reason' | 'provider'>) => ({
  reason: block.reason,
  provider: block.provider,
});

/**
 * Why no new refund can be made on this order right now, or null. Where the provider has no refund
 * objects (reconciliation by order totals, e.g. Frontpayment, frontpayment.md §9), the only way to
 * tell what a refund did is to watch the order's refunded total, so while one is in flight or its
 * outcome is unknown, nothing new is sent on that order.
 */
export async function refundBlock(
  db: DbOrTx,
  order: Pick<Order, 'id' | 'provider' | 'status' | 'refundDeadline' | 'lineIdsKnown'>,
  now = new Date(),
): Promise<RefundBlock | null> {
  const profile = providerProfile(order.provider);
  const block = (reason: BlockReason, message: string): RefundBlock => ({ reason, provider: profile.label, message });
  if (!REFUNDABLE_ORDER_STATUSES.has(order.status)) {
    return order.status === 'invoiced'
      ? block('invoiced', 'The invoice for this order is still outstanding: it cannot be refunded until it is paid.')
      : order.status === 'refunded'
        ? block('refunded', 'Everything on this order has been refunded.')
        : block('not_paid', 'This order has not been paid, so there is nothing to refund.');
  }
  if (order.refundDeadline && order.refundDeadline < now)
    return block('deadline_passed', 'The refund deadline for this order has passed.');
  if (!order.lineIdsKnown && profile.capabilities.lineIdsRequired) {
    return block(
      'line_ids_unknown',
      `${profile.label} did not list the ids of this order's lines, and a refund must name them, so Refund Desk cannot send one for this order. Refund it in ${profile.label}'s own portal, or ask ${profile.label} support for the line ids and refresh the order.`,
    );
  }
  if (profile.capabilities.reconciliation === 'order_totals') {
    const inFlight = await otherRefundOfOrderIn(db, order.id, IN_FLIGHT_STATUSES);
    if (inFlight) {
      return inFlight.status === 'outcome_unknown'
        ? block(
            'outcome_unknown',
            `A refund on this order has an unknown outcome at ${profile.label}. New refunds wait until it is reconciled.`,
          )
        : block(
            'in_flight',
            `A refund on this order is still being processed by ${profile.label}. New refunds wait until it settles.`,
          );
    }
  }
  return null;
}

/** The same, as its English sentence. */
export async function refundBlocker(
  db: DbOrTx,
  order: Pick<Order, 'id' | 'provider' | 'status' | 'refundDeadline' | 'lineIdsKnown'>,
  now = new Date(),
) {
  return (await refundBlock(db, order, now))?.message ?? null;
}
