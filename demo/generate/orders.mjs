import { fLine, forageOrder, forageRefund, fpOrder, fpRefund, fpReservation, minuteOfDay, pLine } from './builders.mjs';
import { NO, US } from './catalog.mjs';
import { NO_CUSTOMERS, US_CUSTOMERS } from './customers.mjs';
import { int } from './random.mjs';
import { FORAGE_SPECS } from './specs-forage.mjs';
import { FRONTPAYMENT_SPECS } from './specs-frontpayment.mjs';

// ---------------------------------------------------------------------------------------------
// Orders. The first four are fixed test fixtures; the rest are numbered by placement time.
// ---------------------------------------------------------------------------------------------

const FIXED = [
  {
    provider: 'forage',
    days: 12,
    minute: 615,
    build: (ctx) =>
      forageOrder(ctx, {
        ref: 'fg7a1b2c3d',
        customer: US_CUSTOMERS['Maria Lopez'],
        isDelivery: true,
        lines: [fLine(US.milk, 1), fLine(US.bananas, 3), fLine(US.formula, 2), fLine(US.rotisserie, 1), fLine(US.papertowels, 1)],
        paymentRefs: { ebt_snap: 'sn7a1b2c3d', ebt_cash: 'ca7a1b2c3d', credit_tpp: 'cc7a1b2c3d' },
      }),
  },
  {
    provider: 'forage',
    days: 9,
    minute: 1092,
    build: (ctx) => {
      const o = forageOrder(ctx, {
        ref: 'fg8d9e0f1a',
        customer: US_CUSTOMERS['James Carter'],
        isDelivery: true,
        lines: [fLine(US.milk, 2), fLine(US.eggs, 1), fLine(US.bread, 1), fLine(US.papertowels, 1)],
        paymentRefs: { ebt_snap: 'sn8d9e0f1a', credit_tpp: 'cc8d9e0f1a' },
      });
      forageRefund(o, {
        daysAgo: 7,
        reason: 'damaged',
        note: 'Jug leaking on delivery',
        items: [{ lineId: US.milk.upc, quantity: 1 }],
        refs: ['rf8d9e0f1a'],
      });
      return o;
    },
  },
  {
    provider: 'frontpayment',
    days: 7,
    minute: 840,
    build: (ctx) => {
      const o = fpOrder(ctx, {
        kind: 'regular',
        status: 'PARTIAL REFUNDED',
        customer: NO_CUSTOMERS['Ingrid Hansen'],
        lines: [pLine(NO.kaffetrakter, 1), pLine(NO.kaffe, 4), pLine(NO.kopp, 2)],
      });
      const [trakter, , kopp] = o.lines;
      fpRefund(o, {
        daysAgo: 5,
        reason: 'price_adjustment',
        note: 'Price match: same coffee maker advertised at 1 499,00 kr',
        items: [{ lineId: trakter.lineId, amount: 30000 }],
      });
      fpRefund(o, {
        daysAgo: 3,
        reason: 'damaged',
        note: 'Both cups arrived cracked',
        items: [{ lineId: kopp.lineId, quantity: 2 }],
      });
      return o;
    },
  },
  {
    provider: 'frontpayment',
    days: 4,
    minute: 1230,
    build: (ctx) =>
      fpReservation(ctx, {
        status: 'CAPTURED',
        customer: NO_CUSTOMERS['Ola Nordmann'],
        groups: [{ source: 'captured', lines: [pLine(NO.hyttegeilo, 3), pLine(NO.sluttvask, 1), pLine(NO.sengetoyleie, 4)] }],
      }),
  },
];

/** Each spec: provider, placement window [lo, hi] days ago, and a builder. */
const SPECS = [...FORAGE_SPECS, ...FRONTPAYMENT_SPECS];

export function build() {
  // Placement times are drawn first, in spec order; orders from RD-100005 on are then numbered
  // oldest first, so order numbers grow with time after the four fixtures.
  const timed = SPECS.map((spec) => ({ ...spec, days: int(spec.days[0], spec.days[1]), minute: minuteOfDay() }));
  timed.sort((a, b) => b.days - a.days || a.minute - b.minute);
  return [...FIXED, ...timed].map((spec, i) => {
    const n = i + 1;
    return spec.build({ n, orderNumber: `RD-${100_000 + n}`, days: spec.days, minute: spec.minute });
  });
}

/**
 * Two orders exist only at the providers, not in Refund Desk's seed, so that importing an order
 * by its provider reference can be shown: the newest paid, unrefunded Forage order and the newest
 * paid, unrefunded regular Frontpayment order under NOK 10 000 (the fixtures are never chosen).
 */
export function markSandboxOnly(orders) {
  const candidates = orders.slice(4).reverse();
  const forage = candidates.find((o) => o.provider === 'forage' && o.providerStatus === 'succeeded' && o.refunds.length === 0);
  const fp = candidates.find(
    (o) =>
      o.provider === 'frontpayment' &&
      o.kind === 'regular' &&
      o.providerStatus === 'PAID' &&
      o.refunds.length === 0 &&
      o.lines.reduce((sum, l) => sum + l.unitPrice * l.quantity, 0) < 1_000_000,
  );
  for (const order of [forage, fp]) if (order) order.sandboxOnly = true;
  return orders;
}
