import type { OrderStatus } from '@/db/schema/enums';
import type { PlanResult, ProviderProfile, WebhookChange } from '../types';
import { APPROVABLE_KEYS, describeFrontpaymentError } from './errors';

/** Order states (frontpayment.md §7). Refund progress comes from the money, not from these. */
const ORDER_STATUS: Record<string, OrderStatus> = {
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
};

export const frontpaymentProfile: ProviderProfile = {
  id: 'frontpayment',
  label: 'Frontpayment',
  notificationLabel: 'Callback',
  attemptKeyLabel: 'Attempt key (ours; Frontpayment takes none)',
  orderNumberPrefix: 'FP',
  get capabilities() {
    return {
      // No idempotency key (§9): never re-sent; the order's refundedAmount tells what happened.
      idempotentRetryWindowMs: null,
      reconciliation: 'order_totals' as const,
      approvalRequestCodes: APPROVABLE_KEYS,
      // Refund lines name the order-line `id` from the order details (§4 "Retrieve Product ID").
      lineIdsRequired: true,
    };
  },
  describeError: describeFrontpaymentError,
  orderStatus: (status) => ORDER_STATUS[status],
  refundRules: () => ({
    wholeUnitsOnly: false,
    amountPerLine: true,
    note: 'Frontpayment refunds an amount per line, up to what is left on the line.',
  }),
  paymentForLine: (kind, _line, payments) => (kind === 'reservation' ? null : (payments[0] ?? null)),
  choosesPayment: (kind) => kind === 'reservation',

  plan({ kind, payments, drafts, paymentRef }): PlanResult {
    const total = drafts.reduce((sum, d) => sum + d.amountMinor, 0);
    if (kind !== 'reservation') {
      const payment = payments[0] ?? null;
      const tender = payment?.tender ?? (kind === 'invoiced' ? 'invoiced' : 'regular');
      return { ok: true, plan: { mode: 'amount', payment: null, allocations: [{ payment, tender, amountMinor: total }] } };
    }
    // A reservation refunds from one capture or charge (§4 `source` and `reference`).
    const movement = paymentRef
      ? payments.find((p) => p.providerPaymentRef === paymentRef)
      : payments.length === 1
        ? payments[0]
        : undefined;
    if (!movement || (movement.tender !== 'captured' && movement.tender !== 'charged')) {
      return { ok: false, fieldErrors: { paymentRef: ['Choose the capture or charge to refund from.'] } };
    }
    if (total > movement.amountMinor - movement.externallyRefundedMinor) {
      return { ok: false, fieldErrors: { paymentRef: ['More than this capture or charge holds.'] } };
    }
    return {
      ok: true,
      plan: {
        mode: 'amount',
        payment: movement,
        allocations: [{ payment: movement, tender: movement.tender, amountMinor: total }],
      },
    };
  },

  interpretWebhook(_eventType, payload): WebhookChange {
    // Callbacks carry the order's status only (§8): the order is read again to see what changed.
    const orderUuid = (payload as { orderUuid?: unknown } | null)?.orderUuid;
    return typeof orderUuid === 'string' && orderUuid
      ? { kind: 'order_changed', orderRef: orderUuid }
      : { kind: 'ignored', why: 'callback without an order' };
  },
};
