import { asc, eq } from 'drizzle-orm';
import type { DbOrTx } from '@/db';
import { orderLines, orders, refundLines, refunds, type OrderPayment, type Refund } from '@/db/schema';
import type { RefundRequest } from '@/lib/providers/types';
import { paymentForLine } from './allocation';
import { REASON_LABELS } from './schemas';

/** Forage's Idempotency-Key is derived from our refund id (forage.md §9: deterministic, alphanumeric). */
export function idempotencyKeyFor(refundId: string) {
  return `rd${refundId.replace(/-/g, '')}`;
}

/** Everything needed to send a refund, read from what was requested (and approved). */
export async function loadRefundForSubmission(db: DbOrTx, refundId: string) {
  const [row] = await db
    .select({ refund: refunds, order: orders })
    .from(refunds)
    .innerJoin(orders, eq(orders.id, refunds.orderId))
    .where(eq(refunds.id, refundId));
  if (!row) return null;
  const lines = await db
    .select({ line: refundLines, orderLine: orderLines })
    .from(refundLines)
    .innerJoin(orderLines, eq(orderLines.id, refundLines.orderLineId))
    .where(eq(refundLines.refundId, refundId))
    .orderBy(asc(orderLines.position));
  return { ...row, lines };
}

export function buildRefundRequest(
  loaded: NonNullable<Awaited<ReturnType<typeof loadRefundForSubmission>>>,
  payments: OrderPayment[],
): RefundRequest {
  const { refund, order, lines } = loaded;
  const reasons = [...new Set(lines.map((l) => REASON_LABELS[l.line.reason]))].join(', ');
  const wholeUnits = lines.every(
    (l) => l.line.quantity >= 1 && l.line.amountMinor === l.orderLine.unitPriceMinor * l.line.quantity,
  );
  const request: RefundRequest = {
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
  };
  if (order.provider === 'forage') {
    const payment = paymentForLine(order, lines[0]!.orderLine, payments);
    request.forage = wholeUnits ? { mode: 'by_product' } : { mode: 'amount', paymentRef: payment?.providerPaymentRef ?? '' };
  }
  if (order.kind === 'reservation' && refund.paymentRef) {
    const movement = payments.find((p) => p.providerPaymentRef === refund.paymentRef);
    request.reservation = { source: movement?.tender === 'charged' ? 'charged' : 'captured', reference: refund.paymentRef };
  }
  return request;
}

export type LoadedRefund = NonNullable<Awaited<ReturnType<typeof loadRefundForSubmission>>> & { refund: Refund };
