import type { OrderStatus, Provider } from '@/db/schema/enums';

/**
 * Provider order status → our status. Refund progress is derived from money (what was paid and
 * what came back), because Forage orders stay `succeeded` after refunds and Frontpayment's partial
 * spelling is unconfirmed (frontpayment.md §7).
 */
export function normalizeOrderStatus(
  provider: Provider,
  providerStatus: string,
  money: { paidMinor: number; refundedMinor: number },
): OrderStatus {
  const raw = providerStatus
    .trim()
    .toUpperCase()
    .replace(/[\s-]+/g, '_');
  const base: OrderStatus | undefined =
    provider === 'forage'
      ? ({ SUCCEEDED: 'paid', CANCELED: 'cancelled', CANCELLED: 'cancelled', FAILED: 'cancelled', DRAFT: 'open' } as const)[raw]
      : (
          {
            SENT: 'open',
            PAID: 'paid',
            PARTIAL_REFUNDED: 'paid',
            PARTIALLY_REFUNDED: 'paid',
            REFUNDED: 'paid',
            CANCELLED: 'cancelled',
            EXPIRED: 'expired',
            INVOICED: 'invoiced',
            RESERVED: 'reserved',
            RESEVRED: 'reserved', // sic: spelled so in one Frontpayment table (frontpayment.md §7)
            CAPTURED: 'paid',
            CHARGED: 'paid',
          } as const
        )[raw];
  const status = base ?? 'open';
  if (status !== 'paid' || money.paidMinor === 0) return status;
  if (money.refundedMinor >= money.paidMinor) return 'refunded';
  if (money.refundedMinor > 0) return 'partially_refunded';
  return 'paid';
}
