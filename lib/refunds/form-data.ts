import type { DbOrTx } from '@/db';
import { getOrder } from '@/db/queries/orders';
import { getLimits, usedToday } from '@/db/queries/policy';
import type { Role } from '@/db/schema';
import { TENDER_LABELS } from '@/lib/format';
import { providerProfile } from '@/lib/providers/registry';
import { tenderLabel } from './allocation';
import { getRefundableFigures } from './figures';
import { refundBlock } from './blockers';
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
    getRefundableFigures(db, orderId),
    refundBlock(db, order),
    getLimits(db, user.id, order.currency),
    usedToday(db, user.id, order.currency),
  ]);
  const byLine = new Map(figures.lines.map((f) => [f.orderLineId, f]));
  const profile = providerProfile(order.provider);
  return {
    orderId,
    orderNumber: order.orderNumber,
    provider: order.provider,
    providerLabel: profile.label,
    kind: order.kind,
    currency: order.currency,
    customerName: order.customerName,
    blocker: blocker?.message ?? (figures.refundableMinor === 0 ? 'Nothing is left to refund on this order.' : null),
    block: blocker
      ? { reason: blocker.reason, provider: blocker.provider }
      : figures.refundableMinor === 0
        ? { reason: 'nothing_left', provider: profile.label }
        : null,
    lines: lines.map((line) => {
      const f = byLine.get(line.id);
      const payment = profile.paymentForLine(order.kind, line, payments);
      return {
        orderLineId: line.id,
        providerLineId: line.providerLineId,
        name: line.name,
        unitPriceMinor: line.unitPriceMinor,
        quantity: line.quantity,
        paidMinor: line.paidMinor,
        refundedMinor: f?.refundedMinor ?? 0,
        reservedMinor: f?.reservedMinor ?? 0,
        refundableMinor: f?.refundableMinor ?? 0,
        refundableQuantity: f?.refundableQuantity ?? 0,
        eligibility: line.eligibility,
        tender: payment?.tender ?? null,
        tenderLabel: tenderLabel(payment?.tender),
      };
    }),
    paymentChoices: profile.choosesPayment(order.kind)
      ? payments.map((p) => ({
          ref: p.providerPaymentRef,
          tender: p.tender,
          label: `${TENDER_LABELS[p.tender]} ${p.providerPaymentRef}`,
          refundableMinor: p.amountMinor - p.externallyRefundedMinor,
        }))
      : [],
    orderRefundableMinor: figures.refundableMinor,
    rules: profile.refundRules(order.kind),
    policy: {
      limitsConfigured: limits.configured,
      approvalThresholdMinor: limits.approvalThresholdMinor,
      perRefundLimitMinor: limits.perRefundMinor,
      perDayLimitMinor: limits.perDayMinor,
      usedTodayMinor: used,
    },
  };
}
