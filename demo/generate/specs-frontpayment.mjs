import { after, fpOrder, fpRefund, fpReservation, note, pLine, pLines, refundAllFp } from './builders.mjs';
import { NO } from './catalog.mjs';
import { NO_CUSTOMERS, anyNo } from './customers.mjs';
import { int } from './random.mjs';

/** Frontpayment specs: provider, placement window [lo, hi] days ago, and a builder. */
export const FRONTPAYMENT_SPECS = [
  {
    provider: 'frontpayment',
    days: [0, 55],
    build: (ctx) =>
      fpOrder(ctx, { kind: 'regular', status: 'PAID', customer: anyNo(), lines: pLines(int(3, 5), { shipping: true }) }),
  },
  {
    provider: 'frontpayment',
    days: [1, 55],
    build: (ctx) => fpOrder(ctx, { kind: 'regular', status: 'PAID', customer: anyNo(), lines: pLines(16, { shipping: true }) }),
  },
  {
    provider: 'frontpayment',
    days: [1, 40],
    build: (ctx) =>
      fpOrder(ctx, {
        kind: 'regular',
        status: 'PAID',
        customer: anyNo(),
        lines: [pLine(NO.spisebord, 1), pLine(NO.spisestol, 6), pLine(NO.fraktmobler, 1)],
      }),
  },
  {
    provider: 'frontpayment',
    days: [0, 55],
    build: (ctx) =>
      fpOrder(ctx, {
        kind: 'regular',
        status: 'PAID',
        customer: NO_CUSTOMERS['Ingrid Hansen'],
        lines: [pLine(NO.brunost, 2), pLine(NO.flatbrod, 3)],
      }),
  },
  {
    provider: 'frontpayment',
    days: [5, 55],
    build: (ctx) => {
      const o = fpOrder(ctx, {
        kind: 'regular',
        status: 'PARTIAL REFUNDED',
        customer: anyNo(),
        lines: pLines(int(3, 4), { shipping: true }),
      });
      const line = o.lines[1];
      fpRefund(o, {
        daysAgo: after(ctx.days),
        reason: 'wrong_item',
        note: note('wrong_item'),
        items: [{ lineId: line.lineId, quantity: line.quantity }],
      });
      return o;
    },
  },
  {
    provider: 'frontpayment',
    days: [10, 55],
    build: (ctx) => {
      const o = fpOrder(ctx, {
        kind: 'regular',
        status: 'PARTIAL REFUNDED',
        customer: anyNo(),
        lines: [pLine(NO.ullsokker, 3), ...pLines(2, { exclude: [NO.ullsokker] }), pLine(NO.frakt, 1)],
      });
      const first = after(ctx.days, 3);
      fpRefund(o, {
        daysAgo: first,
        reason: 'other',
        note: 'Delivered four days late; shipping refunded as goodwill',
        items: [{ lineId: o.lines[3].lineId, quantity: 1 }],
      });
      fpRefund(o, {
        daysAgo: after(first, 4),
        reason: 'damaged',
        note: 'One pair torn at the heel',
        items: [{ lineId: o.lines[0].lineId, quantity: 1 }],
      });
      return o;
    },
  },
  {
    provider: 'frontpayment',
    days: [5, 40],
    build: (ctx) => {
      const o = fpOrder(ctx, {
        kind: 'regular',
        status: 'PARTIAL REFUNDED',
        customer: anyNo(),
        lines: [pLine(NO.sofa, 1), pLine(NO.gulvlampe, 1), pLine(NO.fraktmobler, 1)],
      });
      fpRefund(o, {
        daysAgo: after(ctx.days, 4),
        reason: 'price_adjustment',
        note: 'Sofa went on sale two days after purchase; difference refunded',
        items: [{ lineId: o.lines[0].lineId, amount: 200000 }],
      });
      return o;
    },
  },
  {
    provider: 'frontpayment',
    days: [5, 55],
    build: (ctx) => {
      const o = fpOrder(ctx, {
        kind: 'regular',
        status: 'REFUNDED',
        customer: anyNo(),
        lines: pLines(int(2, 3), { shipping: true }),
      });
      refundAllFp(o, {
        daysAgo: after(ctx.days, 2),
        reason: 'duplicate_charge',
        note: 'Customer placed the same order twice; duplicate refunded',
      });
      return o;
    },
  },
  {
    provider: 'frontpayment',
    days: [10, 55],
    build: (ctx) => {
      const o = fpOrder(ctx, { kind: 'regular', status: 'REFUNDED', customer: anyNo(), lines: pLines(3) });
      const [a, ...rest] = o.lines;
      const first = after(ctx.days, 3);
      fpRefund(o, {
        daysAgo: first,
        reason: 'damaged',
        note: note('damaged'),
        items: [{ lineId: a.lineId, quantity: a.quantity }],
      });
      fpRefund(o, {
        daysAgo: after(first, 5),
        reason: 'other',
        note: 'Customer returned the remaining items within the 30-day return period',
        items: rest.map((l) => ({ lineId: l.lineId, quantity: l.quantity })),
      });
      return o;
    },
  },
  {
    provider: 'frontpayment',
    days: [0, 55],
    build: (ctx) => fpOrder(ctx, { kind: 'regular', status: 'CANCELLED', customer: anyNo(), lines: pLines(int(1, 3)) }),
  },
  {
    provider: 'frontpayment',
    days: [0, 2],
    build: (ctx) =>
      fpOrder(ctx, { kind: 'regular', status: 'SENT', customer: anyNo(), lines: pLines(int(1, 3), { shipping: true }) }),
  },
  {
    provider: 'frontpayment',
    days: [0, 2],
    build: (ctx) => fpOrder(ctx, { kind: 'regular', status: 'SENT', customer: anyNo(), lines: pLines(int(1, 3)) }),
  },
  {
    provider: 'frontpayment',
    days: [16, 45],
    build: (ctx) => fpOrder(ctx, { kind: 'regular', status: 'EXPIRED', customer: anyNo(), lines: pLines(int(1, 3)) }),
  },

  // ---- Frontpayment: invoiced ----
  {
    provider: 'frontpayment',
    days: [2, 12],
    build: (ctx) =>
      fpOrder(ctx, { kind: 'invoiced', status: 'INVOICED', customer: anyNo(), lines: pLines(int(2, 4), { shipping: true }) }),
  },
  {
    provider: 'frontpayment',
    days: [2, 12],
    build: (ctx) => fpOrder(ctx, { kind: 'invoiced', status: 'INVOICED', customer: anyNo(), lines: pLines(int(2, 4)) }),
  },
  {
    provider: 'frontpayment',
    days: [15, 55],
    build: (ctx) =>
      fpOrder(ctx, { kind: 'invoiced', status: 'PAID', customer: anyNo(), lines: pLines(int(2, 5), { shipping: true }) }),
  },
  {
    provider: 'frontpayment',
    days: [15, 55],
    build: (ctx) => fpOrder(ctx, { kind: 'invoiced', status: 'PAID', customer: anyNo(), lines: pLines(int(1, 3)) }),
  },
  {
    provider: 'frontpayment',
    days: [15, 55],
    build: (ctx) => {
      const o = fpOrder(ctx, {
        kind: 'invoiced',
        status: 'PARTIAL REFUNDED',
        customer: anyNo(),
        lines: [pLine(NO.termos, 2), ...pLines(2, { exclude: [NO.termos] })],
      });
      fpRefund(o, {
        daysAgo: after(ctx.days, 10),
        reason: 'quality',
        note: 'Lid does not seal; one thermos returned',
        items: [{ lineId: o.lines[0].lineId, quantity: 1 }],
      });
      return o;
    },
  },

  // ---- Frontpayment: reservations ----
  {
    provider: 'frontpayment',
    days: [8, 40],
    build: (ctx) => {
      const o = fpReservation(ctx, {
        status: 'CAPTURED',
        customer: anyNo(),
        groups: [
          { source: 'captured', lines: [pLine(NO.kajakk, 3), pLine(NO.redningsvest, 3)] },
          { source: 'captured', lines: [pLine(NO.padletur, 1)] },
        ],
      });
      fpRefund(o, {
        daysAgo: after(ctx.days, 3),
        reason: 'other',
        note: 'Guided tour cancelled because of strong wind',
        items: [{ lineId: o.lines[2].lineId, quantity: 1 }],
        paymentRef: o.payments[1].ref,
      });
      return o;
    },
  },
  {
    provider: 'frontpayment',
    days: [8, 40],
    build: (ctx) => {
      const o = fpReservation(ctx, {
        status: 'CHARGED',
        customer: anyNo(),
        groups: [
          { source: 'captured', lines: [pLine(NO.hyttehemsedal, 2), pLine(NO.sluttvask, 1)] },
          { source: 'charged', lines: [pLine(NO.ved, 2), pLine(NO.ekstravask, 1)] },
        ],
      });
      fpRefund(o, {
        daysAgo: after(ctx.days, 4),
        reason: 'other',
        note: 'Charged for two sacks of firewood; guest used one',
        items: [{ lineId: o.lines[2].lineId, quantity: 1 }],
        paymentRef: o.payments[1].ref,
      });
      return o;
    },
  },
  {
    provider: 'frontpayment',
    days: [3, 30],
    build: (ctx) =>
      fpReservation(ctx, {
        status: 'CHARGED',
        customer: anyNo(),
        // No-show: the first night charged to the card on file.
        groups: [{ source: 'charged', lines: [pLine(NO.hotellrom, 1)] }],
      }),
  },
  {
    provider: 'frontpayment',
    days: [0, 3],
    build: (ctx) =>
      fpReservation(ctx, {
        status: 'RESERVED',
        customer: NO_CUSTOMERS['Ola Nordmann'],
        groups: [{ source: null, lines: [pLine(NO.alpinpakke, 3), pLine(NO.hjelm, 3)] }],
      }),
  },
];
