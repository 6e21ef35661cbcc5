import type { OrderStatus } from '@/db/schema/enums';
import type { PlanResult, ProviderProfile } from '@/lib/providers/types';

/**
 * "Fakepay": a third provider that exists only in tests, to show that a provider is added by its
 * own folder (this one: profile, client, sandbox module), a registry entry and a sandbox module —
 * nothing in lib/refunds, lib/orders, db/ or the UI asks which provider it is talking to.
 * It has refund objects and honours an Idempotency-Key for a minute.
 */
const ORDER_STATUS: Record<string, OrderStatus> = { PAID: 'paid', OPEN: 'open' };

export const fakepayProfile: ProviderProfile = {
  id: 'fakepay' as ProviderProfile['id'],
  label: 'Fakepay',
  notificationLabel: 'Webhook',
  attemptKeyLabel: 'Idempotency-Key',
  orderNumberPrefix: 'FK',
  capabilities: {
    idempotentRetryWindowMs: 60_000,
    reconciliation: 'refund_objects',
    approvalRequestCodes: [],
    lineIdsRequired: true,
  },
  describeError: (code) => ({ message: `Fakepay said ${code}.`, action: 'Try again later.' }),
  orderStatus: (status) => ORDER_STATUS[status],
  refundRules: () => ({ wholeUnitsOnly: false, amountPerLine: true, note: 'Fakepay refunds an amount per line.' }),
  paymentForLine: (_kind, _line, payments) => payments[0] ?? null,
  choosesPayment: () => false,
  plan({ payments, drafts }): PlanResult {
    const payment = payments[0] ?? null;
    if (!payment) return { ok: false, fieldErrors: { _form: ['This order has no payment to refund.'] } };
    const amountMinor = drafts.reduce((sum, d) => sum + d.amountMinor, 0);
    return { ok: true, plan: { mode: 'amount', payment: null, allocations: [{ payment, tender: payment.tender, amountMinor }] } };
  },
  interpretWebhook: () => ({ kind: 'ignored', why: 'Fakepay sends no webhooks' }),
};
