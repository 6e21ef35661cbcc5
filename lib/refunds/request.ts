import type { DbOrTx } from '@/db';
import { listOrderPayments } from '@/db/queries/orders';
import { getRefundWithOrder, listRefundLines } from '@/db/queries/refunds';
import type { RefundRequest } from '@/lib/providers/types';
import { providerProfile } from '@/lib/providers/registry';
import { REASON_LABELS } from './constants';

/** Forage's Idempotency-Key is derived from our refund id (forage.md §9: deterministic, alphanumeric). */
export function idempotencyKeyFor(refundId: string) {
  return `rd${refundId.replace(/-/g, '')}`;
}

/** Everything needed to send a refund, read from what was requested (and approved). */
export async function loadRefundForSubmission(db: DbOrTx, refundId: string) {
  const row = await getRefundWithOrder(db, refundId);
  if (!row) return null;
  const [lines, payments] = await Promise.all([listRefundLines(db, refundId), listOrderPayments(db, row.order.id)]);
  return { ...row, lines, payments };
}

export type LoadedRefund = NonNullable<Awaited<ReturnType<typeof loadRefundForSubmission>>>;

/**
 * The request the provider receives, in the app's own terms: the provider's client turns it into
 * its body. Mode and payment come from the same plan that checked the request when it was made.
 */
export function buildRefundRequest(loaded: LoadedRefund): RefundRequest {
  const { refund, order, lines, payments } = loaded;
  const reasons = [...new Set(lines.map((l) => REASON_LABELS[l.line.reason]))].join(', ');
  // The same plan that checked the request when it was made (the lines were checked then too).
  const planned = providerProfile(order.provider).plan({
    kind: order.kind,
    lines: lines.map((l) => l.orderLine),
    payments,
    drafts: lines.map((l) => l.line),
    paymentRef: refund.paymentRef ?? undefined,
  });
  const plan = planned.ok ? planned.plan : null;
  return {
    refundId: refund.id,
    idempotencyKey: idempotencyKeyFor(refund.id),
    providerRef: order.providerRef,
    kind: order.kind,
    currency: order.currency,
    totalMinor: refund.amountMinor,
    lines: lines.map((l) => ({
      providerLineId: l.orderLine.providerLineId,
      quantity: l.line.quantity,
      amountMinor: l.line.amountMinor,
    })),
    reason: reasons || 'Refund',
    metadata: { refund_id: refund.id },
    mode: plan?.mode ?? 'amount',
    payment: plan?.payment ? { ref: plan.payment.providerPaymentRef, tender: plan.payment.tender } : null,
  };
}
