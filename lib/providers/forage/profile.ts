import type { OrderStatus, Tender } from '@/db/schema/enums';
import type { PaymentRow, PlanResult, ProviderProfile, WebhookChange } from '../types';
import { describeForageError } from './errors';
import { parseForageTime, refundStatus } from './mapping';

/** Forage pays SNAP-eligible items from SNAP, EBT Cash items from EBT Cash, the rest by card. */
const TENDER_BY_ELIGIBILITY = { snap: 'ebt_snap', ebt_cash: 'ebt_cash', non_ebt: 'credit_tpp' } as const satisfies Record<
  string,
  Tender
>;

/** Order states (forage.md §7). Refund progress comes from the money, not from these. */
const ORDER_STATUS: Record<string, OrderStatus> = {
  SUCCEEDED: 'paid',
  CANCELED: 'cancelled',
  CANCELLED: 'cancelled',
  FAILED: 'cancelled',
  DRAFT: 'open',
};

function paymentForLine(line: { eligibility: string | null }, payments: PaymentRow[]) {
  const wanted = TENDER_BY_ELIGIBILITY[(line.eligibility ?? 'non_ebt') as keyof typeof TENDER_BY_ELIGIBILITY];
  return payments.find((p) => p.tender === wanted) ?? null;
}

/** How long Forage honours an Idempotency-Key (forage.md §9: 10 minutes is assumed; the docs disagree). */
const keyLifetimeMs = () => Number(process.env.FORAGE_IDEMPOTENCY_LIFETIME_MS || 10 * 60_000);

export const forageProfile: ProviderProfile = {
  id: 'forage',
  label: 'Forage',
  notificationLabel: 'Webhook',
  attemptKeyLabel: 'Idempotency-Key',
  orderNumberPrefix: 'FG',
  get capabilities() {
    return {
      idempotentRetryWindowMs: keyLifetimeMs(),
      reconciliation: 'refund_objects' as const,
      approvalRequestCodes: [],
      lineIdsRequired: true,
    };
  },
  describeError: describeForageError,
  orderStatus: (status) => ORDER_STATUS[status],
  refundRules: () => ({
    wholeUnitsOnly: true,
    amountPerLine: false,
    note: 'Forage refunds whole units by product. For a price adjustment, refund an amount on a single line with quantity 0, on its own.',
  }),
  paymentForLine: (_kind, line, payments) => paymentForLine(line, payments),
  choosesPayment: () => false,

  plan({ lines, payments, drafts }): PlanResult {
    const byId = new Map(lines.map((l) => [l.id, l]));
    const wholeUnits = drafts.every(
      (d) => d.quantity >= 1 && d.amountMinor === byId.get(d.orderLineId)!.unitPriceMinor * d.quantity,
    );
    const group = new Map<string, { payment: PaymentRow | null; amountMinor: number }>();
    for (const draft of drafts) {
      const payment = paymentForLine(byId.get(draft.orderLineId)!, payments);
      const key = payment?.id ?? 'none';
      const entry = group.get(key) ?? { payment, amountMinor: 0 };
      entry.amountMinor += draft.amountMinor;
      group.set(key, entry);
    }
    const groups = [...group.values()];
    if (groups.some((g) => !g.payment)) {
      return { ok: false, fieldErrors: { _form: ['No payment on this order matches the eligibility of a chosen product.'] } };
    }
    const allocations = groups.map((g) => ({ ...g, tender: g.payment!.tender }));
    if (wholeUnits) return { ok: true, plan: { mode: 'units', payment: null, allocations } };
    // forage.md §5.2: an amount refund goes to one payment; Forage takes by-product refunds separately.
    if (drafts.length !== 1) {
      return {
        ok: false,
        fieldErrors: {
          _form: ['Forage refunds whole units by product, or an amount on one line: refund a partial amount on its own.'],
        },
      };
    }
    return { ok: true, plan: { mode: 'amount', payment: allocations[0]!.payment, allocations } };
  },

  interpretWebhook(eventType, payload): WebhookChange {
    if (eventType !== 'REFUND_STATUS_UPDATED') return { kind: 'ignored', why: 'event type not handled' };
    const data = (payload as { data?: Record<string, unknown> } | null)?.data ?? {};
    const refundRef = typeof data.refund_ref === 'string' ? data.refund_ref : '';
    if (!refundRef || typeof data.status !== 'string') return { kind: 'ignored', why: 'not a refund status we know' };
    const failure = typeof data.last_processing_error === 'string' ? data.last_processing_error : null;
    const updated = typeof data.updated === 'string' ? parseForageTime(data.updated) : null;
    const created =
      typeof (payload as { created?: unknown }).created === 'string'
        ? parseForageTime((payload as { created: string }).created)
        : null;
    return { kind: 'refund_status', refundRef, status: refundStatus(data.status), updatedAt: updated ?? created, failure };
  },
};
