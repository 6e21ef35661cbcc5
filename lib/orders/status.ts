import type { OrderStatus, Provider } from '@/db/schema/enums';
import { providerProfile } from '@/lib/providers/registry';

/**
 * Provider order status → our status. The provider's profile maps its own statuses; refund
 * progress is derived from money (what was paid and what came back), because Forage orders stay
 * `succeeded` after refunds and Frontpayment's partial spelling is unconfirmed (frontpayment.md §7).
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
  const status = providerProfile(provider).orderStatus(raw) ?? 'open';
  if (status !== 'paid' || money.paidMinor === 0) return status;
  if (money.refundedMinor >= money.paidMinor) return 'refunded';
  if (money.refundedMinor > 0) return 'partially_refunded';
  return 'paid';
}
