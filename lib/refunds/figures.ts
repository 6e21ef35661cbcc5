import type { DbOrTx } from '@/db';
import { getOrder } from '@/db/queries/orders';
import { getOrderFigures, type LineFigures, type OrderFigures } from '@/db/queries/refundable';
import type { Order, OrderLine, OrderPayment } from '@/db/schema';
import { providerProfile } from '@/lib/providers/registry';

/**
 * What is refundable, line by line, as the provider will see it: the one query's figures
 * (db/queries/refundable.ts), then each line capped by what its payment still holds where the
 * provider says which payment a line's money went back to and refunds were made on that payment
 * outside Refund Desk. The form, the server's check and the order page all use these figures, so
 * the form never offers what the provider would refuse for the payment's sake.
 */
type Lines = Pick<OrderLine, 'id' | 'eligibility' | 'unitPriceMinor'>[];

/**
 * What each payment that had money refunded from it outside Refund Desk can still give back: its
 * amount, less that, less what the lines paid from it have refunded or hold already. Payments
 * without such refunds are not listed (nothing caps them beyond their lines).
 */
export function paymentRemaining(
  order: Pick<Order, 'provider' | 'kind'>,
  lines: Lines,
  payments: OrderPayment[],
  figures: OrderFigures,
) {
  const profile = providerProfile(order.provider);
  const byLine = new Map(figures.lines.map((f) => [f.orderLineId, f]));
  const paymentOf = new Map(lines.map((l) => [l.id, profile.paymentForLine(order.kind, l, payments)]));
  const remaining = new Map<string, number>();
  for (const p of payments.filter((payment) => payment.externallyRefundedMinor > 0)) {
    const used = lines
      .filter((l) => paymentOf.get(l.id)?.id === p.id)
      .reduce((sum, l) => {
        const f = byLine.get(l.id);
        return sum + (f ? f.paidMinor - f.refundableMinor : 0);
      }, 0);
    remaining.set(p.id, Math.max(0, p.amountMinor - p.externallyRefundedMinor - used));
  }
  return { remaining, paymentOf };
}

export function capByPayments(
  order: Pick<Order, 'provider' | 'kind'>,
  lines: Lines,
  payments: OrderPayment[],
  figures: OrderFigures,
): OrderFigures {
  const { remaining, paymentOf } = paymentRemaining(order, lines, payments, figures);
  const capped = figures.lines.map((f): LineFigures => {
    const line = lines.find((l) => l.id === f.orderLineId);
    const payment = line ? paymentOf.get(line.id) : null;
    const left = payment ? remaining.get(payment.id) : undefined;
    if (!line || left === undefined || left >= f.refundableMinor) return f;
    const units = line.unitPriceMinor > 0 ? Math.floor(left / line.unitPriceMinor) : 0;
    return { ...f, refundableMinor: left, refundableQuantity: Math.min(f.refundableQuantity, units) };
  });
  return { ...figures, lines: capped };
}

/** The order's refundable figures with the payment caps applied (see capByPayments). */
export async function getRefundableFigures(db: DbOrTx, orderId: string): Promise<OrderFigures> {
  const [figures, found] = await Promise.all([getOrderFigures(db, orderId), getOrder(db, orderId)]);
  if (!found) return figures;
  return capByPayments(found.order, found.lines, found.payments, figures);
}
