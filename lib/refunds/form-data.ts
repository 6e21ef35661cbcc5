import type { DbOrTx } from '@/db';
import { getOrder } from '@/db/queries/orders';
import { getLimits, usedToday } from '@/db/queries/policy';
import { getOrderFigures } from '@/db/queries/refundable';
import type { Role } from '@/db/schema';
import { TENDER_LABELS } from '@/lib/format';
import { paymentForLine, tenderLabel } from './allocation';
import { refundBlocker } from './blockers';
import type { RefundFormData } from './types';

/** Everything the refund form shows, from the same queries the server checks against. */
export async function getRefundFormData(
  db: DbOrTx,
  orderId: string,
  user: { id: string; role: Role },
): Promise<RefundFormData | null> {
  const found = await getOrder(db, orderId);
  if (!found) return null;
  const { order, lines, payments } = found;
  const [figures, blocker, limits, used] = await Promise.all([
    getOrderFigures(db, orderId),
    refundBlocker(db, order),
    getLimits(db, user.id, order.currency),
    usedToday(db, user.id, order.currency),
  ]);
  const byLine = new Map(figures.lines.map((f) => [f.orderLineId, f]));
  const forage = order.provider === 'forage';
  return {
    orderId,
    orderNumber: order.orderNumber,
    provider: order.provider,
    kind: order.kind,
    currency: order.currency,
    customerName: order.customerName,
    blocker: blocker ?? (figures.refundableMinor === 0 ? 'Nothing is left to refund on this order.' : null),
    lines: lines.map((line) => {
      const f = byLine.get(line.id);
      const payment = paymentForLine(order, line, payments);
      return {
        orderLineId: line.id,
        providerLineId: line.providerLineId,
        name: line.name,
        unitPriceMinor: line.unitPriceMinor,
        quantity: line.quantity,
        paidMinor: line.paidMinor,
        refundableMinor: f?.refundableMinor ?? 0,
        refundableQuantity: f?.refundableQuantity ?? 0,
        eligibility: line.eligibility,
        tender: payment?.tender ?? null,
        tenderLabel: tenderLabel(payment?.tender),
      };
    }),
    paymentChoices:
      order.kind === 'reservation'
        ? payments.map((p) => ({
            ref: p.providerPaymentRef,
            tender: p.tender,
            label: `${TENDER_LABELS[p.tender]} ${p.providerPaymentRef}`,
            refundableMinor: p.amountMinor - p.externallyRefundedMinor,
          }))
        : [],
    orderRefundableMinor: figures.refundableMinor,
    rules: forage
      ? {
          wholeUnitsOnly: true,
          amountPerLine: false,
          note: 'Forage refunds whole units by product. For a price adjustment, refund an amount on a single line with quantity 0, on its own.',
        }
      : {
          wholeUnitsOnly: false,
          amountPerLine: true,
          note: 'Frontpayment refunds an amount per line, up to what is left on the line.',
        },
    policy: {
      approvalThresholdMinor: limits.approvalThresholdMinor,
      perRefundLimitMinor: limits.perRefundMinor,
      perDayLimitMinor: limits.perDayMinor,
      usedTodayMinor: used,
    },
  };
}
