import type { Order, OrderLine, OrderPayment, Tender } from '@/db/schema';
import type { LineFigures } from '@/db/queries/refundable';
import { TENDER_LABELS } from '@/lib/format';
import type { RefundRequest } from '@/lib/providers/types';
import type { RefundLineDraft } from './types';

/** Forage pays SNAP-eligible items from SNAP, EBT Cash items from EBT Cash, the rest by card. */
const FORAGE_TENDER = { snap: 'ebt_snap', ebt_cash: 'ebt_cash', non_ebt: 'credit_tpp' } as const satisfies Record<string, Tender>;

/** Where a line's money goes back to, or null when it depends on the agent's choice (reservations). */
export function paymentForLine(
  order: Pick<Order, 'provider' | 'kind'>,
  line: Pick<OrderLine, 'eligibility'>,
  payments: OrderPayment[],
) {
  if (order.provider === 'forage') {
    const wanted = FORAGE_TENDER[line.eligibility ?? 'non_ebt'];
    return payments.find((p) => p.tender === wanted) ?? null;
  }
  if (order.kind === 'reservation') return null;
  return payments[0] ?? null;
}

export function tenderLabel(tender: Tender | null | undefined) {
  return tender ? TENDER_LABELS[tender] : 'Chosen capture or charge';
}

export interface RefundPlan {
  /** The provider-specific part of the request. */
  forage?: RefundRequest['forage'];
  reservation?: RefundRequest['reservation'];
  /** How the money splits over payments, for the summary and the provider refund rows. */
  allocations: { payment: OrderPayment | null; tender: Tender | null; amountMinor: number }[];
}

export type PlanResult = { ok: true; plan: RefundPlan } | { ok: false; fieldErrors: Record<string, string[]> };

/**
 * Checks a request against what is refundable and what the provider can do, and works out where
 * the money goes. Runs inside the refund transaction, on figures read under the order lock.
 */
export function planRefund(
  order: Pick<Order, 'provider' | 'kind' | 'currency'>,
  lines: OrderLine[],
  figures: LineFigures[],
  payments: OrderPayment[],
  drafts: RefundLineDraft[],
  paymentRef?: string,
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

  if (order.provider === 'forage') return planForage(lines, payments, drafts);
  return planFrontpayment(order, payments, drafts, paymentRef);
}

function planForage(lines: OrderLine[], payments: OrderPayment[], drafts: RefundLineDraft[]): PlanResult {
  const byId = new Map(lines.map((l) => [l.id, l]));
  const wholeUnits = drafts.every(
    (d) => d.quantity >= 1 && d.amountMinor === byId.get(d.orderLineId)!.unitPriceMinor * d.quantity,
  );
  const group = new Map<string, { payment: OrderPayment | null; amountMinor: number }>();
  for (const draft of drafts) {
    const payment = paymentForLine({ provider: 'forage', kind: 'forage' }, byId.get(draft.orderLineId)!, payments);
    const key = payment?.id ?? 'none';
    const entry = group.get(key) ?? { payment, amountMinor: 0 };
    entry.amountMinor += draft.amountMinor;
    group.set(key, entry);
  }
  const allocations = [...group.values()].map((g) => ({ ...g, tender: g.payment?.tender ?? null }));
  if (allocations.some((a) => !a.payment)) {
    return { ok: false, fieldErrors: { _form: ['No payment on this order matches the eligibility of a chosen product.'] } };
  }
  if (wholeUnits) return { ok: true, plan: { forage: { mode: 'by_product' }, allocations } };
  // forage.md §5.2: an amount refund goes to one payment; Forage takes by-product refunds separately.
  if (drafts.length !== 1) {
    return {
      ok: false,
      fieldErrors: {
        _form: ['Forage refunds whole units by product, or an amount on one line: refund a partial amount on its own.'],
      },
    };
  }
  return { ok: true, plan: { forage: { mode: 'amount', paymentRef: allocations[0]!.payment!.providerPaymentRef }, allocations } };
}

function planFrontpayment(
  order: Pick<Order, 'kind'>,
  payments: OrderPayment[],
  drafts: RefundLineDraft[],
  paymentRef?: string,
): PlanResult {
  const total = drafts.reduce((sum, d) => sum + d.amountMinor, 0);
  if (order.kind !== 'reservation') {
    const payment = payments[0] ?? null;
    return {
      ok: true,
      plan: {
        allocations: [
          { payment, tender: payment?.tender ?? (order.kind === 'invoiced' ? 'invoiced' : 'regular'), amountMinor: total },
        ],
      },
    };
  }
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
      reservation: { source: movement.tender, reference: movement.providerPaymentRef },
      allocations: [{ payment: movement, tender: movement.tender, amountMinor: total }],
    },
  };
}
