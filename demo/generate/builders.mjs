import { NO, NO_RETAIL, US_BY_ELIG } from './catalog.mjs';
import { chance, int, pick, sample, sum } from './random.mjs';
import { captureRef, chargeRef, forageRef, fpDigits } from './refs.mjs';

// ---------------------------------------------------------------------------------------------
// Order builders
// ---------------------------------------------------------------------------------------------

export const TENDER_OF = { snap: 'ebt_snap', ebt_cash: 'ebt_cash', non_ebt: 'credit_tpp' };
export const FORAGE_TENDERS = ['ebt_snap', 'ebt_cash', 'credit_tpp'];

const usQty = (it) => {
  if (it.key === 'limes') return int(3, 6);
  if (it.key === 'bananas' || it.key === 'avocado') return int(2, 4);
  return chance(0.75) ? 1 : int(2, 3);
};
const noQty = (it) => {
  if (it.group === 'food') return int(1, 3);
  if (it.group === 'trip') return int(1, 4);
  return chance(0.85) ? 1 : 2;
};

export const fLine = (it, quantity = usQty(it)) => ({
  lineId: it.upc,
  productId: it.sku,
  name: it.name,
  unitPrice: it.price,
  quantity,
  taxRateBp: it.taxRateBp,
  eligibility: it.eligibility,
});

/** Random Forage lines: `snap` SNAP items, `cash` hot-food items, `card` non-EBT items. */
export function fLines({ snap = 0, cash = 0, card = 0 }, fixed = []) {
  const taken = new Set(fixed.map((l) => l.lineId));
  const from = (pool, k) =>
    sample(
      pool.filter((it) => !taken.has(it.upc)),
      k,
    ).map((it) => fLine(it));
  return [...fixed, ...from(US_BY_ELIG.snap, snap), ...from(US_BY_ELIG.ebt_cash, cash), ...from(US_BY_ELIG.non_ebt, card)];
}

let nextFpLineId = 5401;
export const pLine = (it, quantity = noQty(it)) => ({
  lineId: String(nextFpLineId++),
  productId: it.sku,
  name: it.name,
  unitPrice: it.price,
  quantity,
  taxRateBp: it.taxRateBp,
  eligibility: null,
});
/** k random retail lines (none of the `exclude` products), optionally followed by shipping. */
export const pLines = (k, { shipping = false, exclude = [] } = {}) => {
  const lines = sample(
    NO_RETAIL.filter((it) => !exclude.includes(it)),
    k,
  ).map((it) => pLine(it));
  if (shipping) lines.push(pLine(NO.frakt, 1));
  return lines;
};

export const gross = (l) => l.unitPrice * l.quantity;
const lineById = (order, lineId) => {
  const line = order.lines.find((l) => l.lineId === lineId);
  if (!line) throw new Error(`${order.orderNumber}: no line ${lineId}`);
  return line;
};

export function forageOrder(ctx, { ref, customer, status = 'succeeded', isDelivery, lines, paymentRefs = {} }) {
  const order = {
    provider: 'forage',
    providerRef: ref ?? forageRef(),
    orderNumber: ctx.orderNumber,
    kind: 'forage',
    providerStatus: status,
    currency: 'USD',
    customer,
    placedDaysAgo: ctx.days,
    placedMinuteOfDay: ctx.minute,
    isDelivery: isDelivery ?? chance(0.7),
    lines,
    payments: [],
    refunds: [],
  };
  if (status === 'succeeded') {
    // One payment per tender used; each pays exactly the lines of its eligibility.
    for (const tender of FORAGE_TENDERS) {
      const paid = sum(
        lines.filter((l) => TENDER_OF[l.eligibility] === tender),
        gross,
      );
      if (paid > 0) order.payments.push({ ref: paymentRefs[tender] ?? forageRef(), tender, amount: paid });
    }
  }
  return order;
}

/**
 * Whole units: { lineId, quantity }. Price adjustment (money only, no units back):
 * { lineId, amount } → quantity 0.
 */
function refundLine(order, { lineId, quantity, amount }) {
  const line = lineById(order, lineId);
  if (amount !== undefined) return { lineId, quantity: 0, amount };
  return { lineId, quantity, amount: line.unitPrice * quantity };
}

/**
 * A Forage refund goes back to the payment of each line's tender; Forage makes one refund object
 * per payment touched (forage.md §5.1), so a refund spanning tenders becomes several entries
 * with the same day, reason and note.
 */
export function forageRefund(order, { daysAgo, reason, note, items, refs = [] }) {
  const lines = items.map((item) => refundLine(order, item));
  let i = 0;
  for (const tender of FORAGE_TENDERS) {
    const part = lines.filter((l) => TENDER_OF[lineById(order, l.lineId).eligibility] === tender);
    if (part.length === 0) continue;
    const payment = order.payments.find((p) => p.tender === tender);
    order.refunds.push({
      ref: refs[i++] ?? forageRef(),
      daysAgo,
      reason,
      note,
      lines: part,
      allocations: [{ paymentRef: payment.ref, amount: sum(part, (l) => l.amount) }],
    });
  }
}

export const refundAllForage = (order, args) =>
  forageRefund(order, { ...args, items: order.lines.map((l) => ({ lineId: l.lineId, quantity: l.quantity })) });

const FP_PAID_STATUSES = ['PAID', 'PARTIAL REFUNDED', 'REFUNDED', 'INVOICED'];

export function fpOrder(ctx, { kind, status, customer, lines }) {
  const order = {
    provider: 'frontpayment',
    providerRef: `ODR${fpDigits(ctx.n)}`,
    orderNumber: ctx.orderNumber,
    kind,
    providerStatus: status,
    currency: 'NOK',
    customer,
    placedDaysAgo: ctx.days,
    placedMinuteOfDay: ctx.minute,
    lines,
    payments: [],
    refunds: [],
  };
  if (FP_PAID_STATUSES.includes(status)) {
    order.payments.push({
      ref: `PAY${fpDigits(ctx.n)}`,
      tender: kind === 'invoiced' ? 'invoiced' : 'regular',
      amount: sum(lines, gross),
    });
  }
  return order;
}

/**
 * A reservation's money arrives in movements (frontpayment.md §4 source/reference): each group is
 * one capture (CAP…) or charge (CHA…) paying for its lines. No groups: RESERVED, nothing taken.
 */
export function fpReservation(ctx, { status, customer, groups }) {
  const order = {
    provider: 'frontpayment',
    providerRef: `RES${fpDigits(ctx.n)}`,
    orderNumber: ctx.orderNumber,
    kind: 'reservation',
    providerStatus: status,
    currency: 'NOK',
    customer,
    placedDaysAgo: ctx.days,
    placedMinuteOfDay: ctx.minute,
    lines: groups.flatMap((g) => g.lines),
    payments: [],
    refunds: [],
  };
  const seen = { captured: 0, charged: 0 };
  for (const g of groups) {
    if (!g.source) continue;
    const k = ++seen[g.source];
    order.payments.push({
      ref: g.source === 'captured' ? captureRef(ctx.n, k) : chargeRef(ctx.n, k),
      tender: g.source,
      amount: sum(g.lines, gross),
    });
  }
  return order;
}

/** Frontpayment has no refund id (frontpayment.md §3): ref is null. */
export function fpRefund(order, { daysAgo, reason, note, items, paymentRef }) {
  const lines = items.map((item) => refundLine(order, item));
  const ref = paymentRef ?? order.payments[0].ref;
  order.refunds.push({
    ref: null,
    daysAgo,
    reason,
    note,
    lines,
    allocations: [{ paymentRef: ref, amount: sum(lines, (l) => l.amount) }],
  });
}

export const refundAllFp = (order, args) =>
  fpRefund(order, { ...args, items: order.lines.map((l) => ({ lineId: l.lineId, quantity: l.quantity })) });

/** A refund day 1..maxGap days after `days` ago (never in the future). */
export const after = (days, maxGap = 6) => days - int(1, Math.min(maxGap, days));
export const minuteOfDay = () => int(7 * 60, 22 * 60 - 1);

const NOTES = {
  damaged: [
    'Customer reported crushed box',
    'Item arrived broken',
    'Packaging torn, contents spoiled',
    'Dented and leaking on arrival',
  ],
  not_delivered: [
    'Delivery never arrived; driver marked it delivered',
    'Courier lost the parcel',
    'Order not delivered within the delivery window',
  ],
  wrong_item: ['Substitute item sent without consent', 'Received a different size', 'Wrong variant picked'],
  missing_item: [
    'Item missing from the bag',
    'Not in the delivery, confirmed by the driver',
    'Customer received the order without this item',
  ],
  quality: ['Past its best-by date on arrival', 'Customer unhappy with quality', 'Product was spoiled'],
};
export const note = (reason) => pick(NOTES[reason]);
