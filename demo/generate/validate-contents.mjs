import { gross } from './builders.mjs';
import { check } from './check.mjs';
import { sum } from './random.mjs';

/** What the data set must contain, and the four fixtures tests rely on (see demo/README.md). */
export function validateContents(ds) {
  // ---- what the set must contain ----
  const byNumber = Object.fromEntries(ds.orders.map((o) => [o.orderNumber, o]));
  const F = ds.orders.filter((o) => o.provider === 'forage');
  const P = ds.orders.filter((o) => o.provider === 'frontpayment');
  const count = (list, pred) => list.filter(pred).length;
  const need = (n, actual, what) => check(actual >= n, `need ${n} ${what}, have ${actual}`);
  const mix = (o) =>
    o.payments
      .map((p) => p.tender)
      .sort()
      .join('+');
  const refundedSum = (o) => sum(o.refunds, (r) => r.allocations[0].amount);
  const fully = (o) => o.payments.length > 0 && refundedSum(o) === sum(o.payments, (p) => p.amount);

  need(20, F.length, 'Forage orders');
  need(20, P.length, 'Frontpayment orders');
  need(
    1,
    count(F, (o) => mix(o) === 'ebt_snap'),
    'Forage SNAP-only orders',
  );
  need(
    1,
    count(F, (o) => mix(o) === 'credit_tpp+ebt_snap'),
    'Forage SNAP + card orders',
  );
  need(
    3,
    count(F, (o) => mix(o) === 'credit_tpp+ebt_cash+ebt_snap'),
    'Forage SNAP + EBT Cash + card orders',
  );
  need(
    1,
    count(F, (o) => mix(o) === 'ebt_cash'),
    'Forage EBT-Cash-only orders',
  );
  need(
    1,
    count(F, (o) => o.providerStatus === 'canceled'),
    'canceled Forage orders',
  );
  need(
    3,
    count(F, (o) => o.refunds.length > 0 && !fully(o)),
    'partly refunded Forage orders',
  );
  need(
    1,
    count(F, (o) => fully(o)),
    'fully refunded Forage orders',
  );
  need(
    2,
    count(F, (o) => o.lines.length >= 12),
    'Forage orders with 12+ lines',
  );
  need(
    1,
    count(F, (o) => {
      const byDay = new Map();
      for (const r of o.refunds) byDay.set(`${r.daysAgo}|${r.note}`, [...(byDay.get(`${r.daysAgo}|${r.note}`) ?? []), r]);
      return [...byDay.values()].some((rs) => {
        const tenders = new Set(rs.map((r) => o.payments.find((p) => p.ref === r.allocations[0].paymentRef).tender));
        return tenders.has('ebt_snap') && tenders.has('credit_tpp');
      });
    }),
    'Forage refund split across SNAP and card',
  );
  for (const s of ['PAID', 'PARTIAL REFUNDED', 'REFUNDED', 'CANCELLED', 'INVOICED', 'SENT', 'EXPIRED']) {
    const min = { PAID: 3, 'PARTIAL REFUNDED': 3, INVOICED: 2, SENT: 2 }[s] ?? 1;
    need(
      min,
      count(P, (o) => o.providerStatus === s),
      `Frontpayment ${s} orders`,
    );
  }
  need(
    1,
    count(P, (o) => o.kind === 'invoiced' && o.providerStatus === 'PAID'),
    'paid invoiced-kind orders',
  );
  need(
    1,
    count(
      P,
      (o) =>
        o.providerStatus === 'PARTIAL REFUNDED' &&
        o.refunds.some((r) => r.reason === 'price_adjustment' && r.lines.some((l) => l.quantity === 0)),
    ),
    'FP partial refund by amount',
  );
  need(
    1,
    count(P, (o) => o.lines.length >= 15),
    'Frontpayment order with 15+ lines',
  );
  need(
    1,
    count(P, (o) => sum(o.lines, gross) > 1_000_000),
    'Frontpayment order above NOK 10 000',
  );
  const R = P.filter((o) => o.kind === 'reservation');
  need(
    1,
    count(R, (o) => mix(o) === 'captured+charged'),
    'reservation with a capture and a charge',
  );
  need(
    1,
    count(R, (o) => count(o.payments, (p) => p.tender === 'captured') >= 2),
    'reservation with two captures',
  );
  need(
    1,
    count(R, (o) => o.providerStatus === 'RESERVED'),
    'RESERVED reservation',
  );
  need(
    1,
    [...new Set(ds.orders.map((o) => o.customer.email))].filter((e) => count(ds.orders, (o) => o.customer.email === e) > 1)
      .length,
    'customer with several orders',
  );

  // ---- the four fixtures tests rely on ----
  const f1 = byNumber['RD-100001'];
  check(f1 === ds.orders[0] && f1.provider === 'forage' && f1.providerRef === 'fg7a1b2c3d', 'fixture RD-100001 identity');
  check(f1.customer.name === 'Maria Lopez' && f1.customer.email === 'maria.lopez@example.com', 'fixture RD-100001 customer');
  check(
    f1.providerStatus === 'succeeded' &&
      mix(f1) === 'credit_tpp+ebt_cash+ebt_snap' &&
      f1.lines.length === 5 &&
      f1.refunds.length === 0,
    'fixture RD-100001 shape',
  );
  const f2 = byNumber['RD-100002'];
  check(f2 === ds.orders[1] && f2.provider === 'forage' && f2.providerRef === 'fg8d9e0f1a', 'fixture RD-100002 identity');
  check(f2.customer.name === 'James Carter' && f2.customer.email === 'james.carter@example.com', 'fixture RD-100002 customer');
  check(f2.lines.length === 4 && f2.refunds.length === 1 && f2.refunds[0].lines.length === 1, 'fixture RD-100002 shape');
  const f2line = f2.lines.find((l) => l.lineId === f2.refunds[0].lines[0].lineId);
  check(
    f2line.eligibility === 'snap' && f2line.quantity === 2 && f2.refunds[0].lines[0].quantity === 1,
    'fixture RD-100002 refund',
  );
  const f3 = byNumber['RD-100003'];
  check(
    f3 === ds.orders[2] && f3.provider === 'frontpayment' && f3.kind === 'regular' && f3.providerRef === 'ODR1700000003',
    'fixture RD-100003 identity',
  );
  check(f3.customer.name === 'Ingrid Hansen' && f3.customer.email === 'ingrid.hansen@example.no', 'fixture RD-100003 customer');
  check(f3.providerStatus === 'PARTIAL REFUNDED' && f3.lines.length === 3, 'fixture RD-100003 shape');
  check(
    f3.refunds.some((r) => r.reason === 'price_adjustment') &&
      f3.refunds.some((r) => r.lines.some((l) => l.amount === gross(f3.lines.find((x) => x.lineId === l.lineId)))),
    'fixture RD-100003 refunds',
  );
  const f4 = byNumber['RD-100004'];
  check(
    f4 === ds.orders[3] && f4.kind === 'reservation' && f4.providerRef === 'RES1700000004' && f4.providerStatus === 'CAPTURED',
    'fixture RD-100004 identity',
  );
  check(f4.customer.name === 'Ola Nordmann' && f4.customer.email === 'ola.nordmann@example.no', 'fixture RD-100004 customer');
  check(
    f4.payments.length === 1 &&
      f4.payments[0].ref === 'CAP700004' &&
      f4.payments[0].amount === sum(f4.lines, gross) &&
      f4.refunds.length === 0,
    'fixture RD-100004 payment',
  );
}
