import type { Order, OrderLine, OrderPayment, Tender } from '@/db/schema';
import type { LineFigures } from '@/db/queries/refundable';
import { TENDER_LABELS } from '@/lib/format';
import { providerProfile } from '@/lib/providers/registry';
import type { PlanResult } from '@/lib/providers/types';
import type { RefundLineDraft } from './types';

export function tenderLabel(tender: Tender | null | undefined) {
  return tender ? TENDER_LABELS[tender] : 'Chosen capture or charge';
}

/**
 * Checks a request against what is refundable, then asks the order's provider how it splits over
 * payments and how it is sent. Runs inside the refund transaction, on figures read under the
 * order lock; the database checks the amounts again.
 */
export function planRefund(
  order: Pick<Order, 'provider' | 'kind'>,
  lines: OrderLine[],
  figures: LineFigures[],
  payments: OrderPayment[],
  drafts: RefundLineDraft[],
  paymentRef?: string | null,
): PlanResult {
  const errors: Record<string, string[]> = {};
  const add = (key: string, message: string) => (errors[key] ??= []).push(message);
  const byId = new Map(lines.map((l) => [l.id, l]));
  const figuresById = new Map(figures.map((f) => [f.orderLineId, f]));

  drafts.forEach((draft, i) => {
    const line = byId.get(draft.orderLineId);
    const figure = figuresById.get(draft.orderLineId);
    if (!line || !figure) return add(`lines.${i}.orderLineId`, 'This line is not part of the order.');
    if (draft.amountMinor > figure.refundableMinor) add(`lines.${i}.amountMinor`, 'More than is left to refund on this line.');
    if (draft.quantity > figure.refundableQuantity)
      add(`lines.${i}.quantity`, `Only ${figure.refundableQuantity} left to refund.`);
    if (draft.quantity > 0 && draft.amountMinor > line.unitPriceMinor * draft.quantity) {
      add(`lines.${i}.amountMinor`, 'More than the price of the units chosen.');
    }
  });
  if (Object.keys(errors).length) return { ok: false, fieldErrors: errors };
  return providerProfile(order.provider).plan({ kind: order.kind, lines, payments, drafts, paymentRef: paymentRef ?? undefined });
}
