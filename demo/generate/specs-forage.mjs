import { after, fLine, fLines, forageOrder, forageRefund, note, refundAllForage } from './builders.mjs';
import { US } from './catalog.mjs';
import { US_CUSTOMERS, anyUs } from './customers.mjs';
import { int } from './random.mjs';

/** Forage specs: provider, placement window [lo, hi] days ago, and a builder. */
export const FORAGE_SPECS = [
  { provider: 'forage', days: [1, 55], build: (ctx) => forageOrder(ctx, { customer: anyUs(), lines: fLines({ snap: 14 }) }) },
  {
    provider: 'forage',
    days: [0, 55],
    build: (ctx) => forageOrder(ctx, { customer: anyUs(), lines: fLines({ snap: int(4, 7) }) }),
  },
  {
    provider: 'forage',
    days: [5, 55],
    build: (ctx) => {
      const o = forageOrder(ctx, { customer: anyUs(), isDelivery: true, lines: fLines({ snap: int(3, 5) }) });
      refundAllForage(o, { daysAgo: after(ctx.days, 3), reason: 'not_delivered', note: note('not_delivered') });
      return o;
    },
  },
  {
    provider: 'forage',
    days: [1, 55],
    build: (ctx) => forageOrder(ctx, { customer: anyUs(), lines: fLines({ snap: 12, card: 4 }) }),
  },
  {
    provider: 'forage',
    days: [0, 55],
    build: (ctx) => forageOrder(ctx, { customer: anyUs(), lines: fLines({ snap: int(3, 6), card: 1 }) }),
  },
  {
    provider: 'forage',
    days: [0, 55],
    build: (ctx) => forageOrder(ctx, { customer: anyUs(), lines: fLines({ snap: int(2, 5), card: int(1, 2) }) }),
  },
  {
    provider: 'forage',
    days: [5, 55],
    build: (ctx) => {
      const o = forageOrder(ctx, { customer: anyUs(), isDelivery: true, lines: fLines({ snap: int(3, 6), card: int(1, 2) }) });
      const snapLine = o.lines.find((l) => l.eligibility === 'snap');
      const cardLine = o.lines.find((l) => l.eligibility === 'non_ebt');
      forageRefund(o, {
        daysAgo: after(ctx.days),
        reason: 'missing_item',
        note: 'Two items missing from the delivery, confirmed by the driver',
        items: [
          { lineId: snapLine.lineId, quantity: 1 },
          { lineId: cardLine.lineId, quantity: 1 },
        ],
      });
      return o;
    },
  },
  {
    provider: 'forage',
    days: [5, 55],
    build: (ctx) => {
      const o = forageOrder(ctx, { customer: anyUs(), isDelivery: true, lines: fLines({ snap: int(2, 4), card: 1 }) });
      refundAllForage(o, { daysAgo: after(ctx.days, 2), reason: 'not_delivered', note: note('not_delivered') });
      return o;
    },
  },
  {
    provider: 'forage',
    days: [0, 55],
    build: (ctx) => forageOrder(ctx, { customer: anyUs(), lines: fLines({ snap: int(3, 6), cash: 1, card: 1 }) }),
  },
  {
    provider: 'forage',
    days: [0, 55],
    build: (ctx) =>
      forageOrder(ctx, { customer: US_CUSTOMERS['Maria Lopez'], lines: fLines({ snap: int(2, 4), cash: int(1, 2), card: 1 }) }),
  },
  {
    provider: 'forage',
    days: [5, 55],
    build: (ctx) => {
      const o = forageOrder(ctx, {
        customer: anyUs(),
        isDelivery: true,
        lines: fLines({ snap: int(2, 5), card: 1 }, [fLine(US.rotisserie, 1)]),
      });
      forageRefund(o, {
        daysAgo: after(ctx.days, 2),
        reason: 'quality',
        note: 'Rotisserie chicken arrived cold',
        items: [{ lineId: US.rotisserie.upc, quantity: 1 }],
      });
      return o;
    },
  },
  {
    provider: 'forage',
    days: [0, 55],
    build: (ctx) => forageOrder(ctx, { customer: anyUs(), isDelivery: false, lines: fLines({ cash: 2 }) }),
  },
  {
    provider: 'forage',
    days: [0, 55],
    build: (ctx) => forageOrder(ctx, { customer: anyUs(), lines: fLines({ snap: int(2, 5), cash: 1 }) }),
  },
  {
    provider: 'forage',
    days: [5, 55],
    build: (ctx) => {
      const o = forageOrder(ctx, { customer: anyUs(), lines: fLines({ snap: int(2, 4), card: 1 }, [fLine(US.coffee, 2)]) });
      forageRefund(o, {
        daysAgo: after(ctx.days),
        reason: 'price_adjustment',
        note: 'Sale price $7.99 not applied at checkout (2 x $1.00)',
        items: [{ lineId: US.coffee.upc, amount: 200 }],
      });
      return o;
    },
  },
  {
    provider: 'forage',
    days: [10, 55],
    build: (ctx) => {
      const o = forageOrder(ctx, { customer: anyUs(), isDelivery: true, lines: fLines({ snap: int(3, 5), card: 1 }) });
      const cardLine = o.lines.find((l) => l.eligibility === 'non_ebt');
      const snapLine = o.lines.find((l) => l.eligibility === 'snap');
      const first = after(ctx.days, 2);
      forageRefund(o, {
        daysAgo: first,
        reason: 'wrong_item',
        note: note('wrong_item'),
        items: [{ lineId: cardLine.lineId, quantity: cardLine.quantity }],
      });
      forageRefund(o, {
        daysAgo: after(first, 4),
        reason: 'quality',
        note: note('quality'),
        items: [{ lineId: snapLine.lineId, quantity: 1 }],
      });
      return o;
    },
  },
  {
    provider: 'forage',
    days: [5, 55],
    build: (ctx) => {
      const o = forageOrder(ctx, { customer: anyUs(), lines: fLines({ snap: int(2, 4) }, [fLine(US.yogurt, 3)]) });
      forageRefund(o, {
        daysAgo: after(ctx.days, 3),
        reason: 'quality',
        note: 'Two tubs past their best-by date',
        items: [{ lineId: US.yogurt.upc, quantity: 2 }],
      });
      return o;
    },
  },
  {
    provider: 'forage',
    days: [0, 55],
    build: (ctx) => forageOrder(ctx, { customer: anyUs(), status: 'canceled', lines: fLines({ snap: int(2, 4), card: 1 }) }),
  },
  {
    provider: 'forage',
    days: [0, 55],
    build: (ctx) => forageOrder(ctx, { customer: anyUs(), status: 'canceled', lines: fLines({ snap: int(1, 3) }) }),
  },
  {
    provider: 'forage',
    days: [5, 55],
    build: (ctx) => {
      const o = forageOrder(ctx, { customer: anyUs(), isDelivery: true, lines: fLines({ snap: int(3, 5), cash: 1, card: 2 }) });
      const one = (elig) => o.lines.find((l) => l.eligibility === elig);
      forageRefund(o, {
        daysAgo: after(ctx.days, 2),
        reason: 'missing_item',
        note: 'Bag left behind at the store: three items missing',
        items: ['snap', 'ebt_cash', 'non_ebt'].map((e) => ({ lineId: one(e).lineId, quantity: 1 })),
      });
      return o;
    },
  },
  {
    provider: 'forage',
    days: [0, 55],
    build: (ctx) => forageOrder(ctx, { customer: US_CUSTOMERS['James Carter'], lines: fLines({ snap: int(2, 5), card: 1 }) }),
  },
];
