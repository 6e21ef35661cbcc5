import { FORAGE_TENDERS, TENDER_OF, gross } from './builders.mjs';
import { check, isInt, isMoney } from './check.mjs';
import { sum } from './random.mjs';
import { validateContents } from './validate-contents.mjs';

// ---------------------------------------------------------------------------------------------
// Validation: the rules the seed and the sandbox rely on. Throws on the first violation.
// ---------------------------------------------------------------------------------------------

const REASONS = [
  'damaged',
  'not_delivered',
  'wrong_item',
  'missing_item',
  'quality',
  'price_adjustment',
  'duplicate_charge',
  'other',
];
const FP_ORDER_STATUSES = ['PAID', 'PARTIAL REFUNDED', 'REFUNDED', 'CANCELLED', 'INVOICED', 'SENT', 'EXPIRED'];
const FP_RES_STATUSES = ['RESERVED', 'CAPTURED', 'CHARGED'];

export function validate(ds) {
  check(ds.version === 1, 'version');
  check(ds.merchants.forage.merchantAccount === '9000055' && ds.merchants.forage.fns === '9000055', 'forage merchant');
  check(ds.merchants.frontpayment.organizationUuid === 'ORG3856236001', 'frontpayment merchant');
  check(ds.orders.length >= 44, `at least 44 orders (have ${ds.orders.length})`);

  const refs = new Set();
  const uniqueRef = (ref, where) => {
    check(!refs.has(ref), `${where}: ref ${ref} used twice`);
    refs.add(ref);
  };
  const fpLineIds = new Set();
  const customers = new Map();

  ds.orders.forEach((o, i) => {
    const at = o.orderNumber;
    check(o.orderNumber === `RD-${100_001 + i}`, `order ${i}: orderNumber ${o.orderNumber} not sequential`);
    const forage = o.provider === 'forage';
    check(forage || o.provider === 'frontpayment', `${at}: provider`);

    // identity
    if (forage) {
      check(/^[a-z0-9]{10}$/.test(o.providerRef), `${at}: forage ref format`);
      check(o.kind === 'forage' && o.currency === 'USD', `${at}: forage kind/currency`);
      check(['succeeded', 'canceled'].includes(o.providerStatus), `${at}: forage status ${o.providerStatus}`);
      check(typeof o.isDelivery === 'boolean', `${at}: isDelivery`);
    } else {
      check(o.currency === 'NOK', `${at}: currency`);
      check(!('isDelivery' in o), `${at}: isDelivery is Forage-only`);
      if (o.kind === 'reservation') {
        check(/^RES\d{10}$/.test(o.providerRef), `${at}: reservation ref format`);
        check(FP_RES_STATUSES.includes(o.providerStatus), `${at}: reservation status ${o.providerStatus}`);
      } else {
        check(['regular', 'invoiced'].includes(o.kind), `${at}: kind ${o.kind}`);
        check(/^ODR\d{10}$/.test(o.providerRef), `${at}: order ref format`);
        check(FP_ORDER_STATUSES.includes(o.providerStatus), `${at}: status ${o.providerStatus}`);
        if (o.providerStatus === 'INVOICED') check(o.kind === 'invoiced', `${at}: INVOICED must be kind invoiced`);
      }
    }
    uniqueRef(o.providerRef, at);

    // customer: lowercase email at the provider's domain, one identity per email and per id
    const c = o.customer;
    check(typeof c.name === 'string' && c.name.length > 0, `${at}: customer name`);
    check(
      c.email === c.email.toLowerCase() && c.email.endsWith(forage ? '@example.com' : '@example.no'),
      `${at}: email ${c.email}`,
    );
    check(c.phone === null || /^\+\d{8,15}$/.test(c.phone), `${at}: phone`);
    check(forage ? /^[a-z0-9]{6}$/.test(c.customerId) : /^CSRT\d{10}$/.test(c.customerId), `${at}: customerId`);
    for (const key of [`email:${c.email}`, `id:${c.customerId}`]) {
      const prev = customers.get(key);
      if (prev) check(JSON.stringify(prev) === JSON.stringify(c), `${at}: customer ${key} differs between orders`);
      else customers.set(key, c);
    }

    // times
    check(isInt(o.placedDaysAgo) && o.placedDaysAgo >= 0 && o.placedDaysAgo <= 60, `${at}: placedDaysAgo`);
    check(isInt(o.placedMinuteOfDay) && o.placedMinuteOfDay >= 0 && o.placedMinuteOfDay <= 1439, `${at}: placedMinuteOfDay`);

    // lines
    check(o.lines.length > 0, `${at}: no lines`);
    const lines = new Map();
    for (const l of o.lines) {
      check(/^\d+$/.test(l.lineId), `${at}: lineId ${l.lineId}`);
      check(!lines.has(l.lineId), `${at}: lineId ${l.lineId} twice in the order`);
      lines.set(l.lineId, l);
      if (!forage) {
        check(!fpLineIds.has(l.lineId), `${at}: Frontpayment lineId ${l.lineId} used by another order`);
        fpLineIds.add(l.lineId);
      }
      check(/^SKU-/.test(l.productId) && l.name.length > 0, `${at}: line ${l.lineId} product`);
      check(isMoney(l.unitPrice) && isInt(l.quantity) && l.quantity > 0, `${at}: line ${l.lineId} price/quantity`);
      if (forage) {
        check(['snap', 'ebt_cash', 'non_ebt'].includes(l.eligibility), `${at}: line ${l.lineId} eligibility`);
        check([0, 725].includes(l.taxRateBp), `${at}: line ${l.lineId} taxRateBp`);
      } else {
        check(l.eligibility === null, `${at}: line ${l.lineId} eligibility must be null`);
        check([0, 1200, 1500, 2500].includes(l.taxRateBp), `${at}: line ${l.lineId} taxRateBp`);
      }
    }
    const total = sum(o.lines, gross);

    // payments
    const payments = new Map();
    for (const p of o.payments) {
      uniqueRef(p.ref, at);
      payments.set(p.ref, p);
      check(isMoney(p.amount), `${at}: payment ${p.ref} amount`);
      if (forage) {
        check(/^[a-z0-9]{10}$/.test(p.ref) && FORAGE_TENDERS.includes(p.tender), `${at}: payment ${p.ref}`);
      } else if (o.kind === 'reservation') {
        check(
          (p.tender === 'captured' && /^CAP\d{6,10}$/.test(p.ref)) || (p.tender === 'charged' && /^CHA\d{10}$/.test(p.ref)),
          `${at}: reservation payment ${p.ref}`,
        );
      } else {
        check(p.ref === `PAY${o.providerRef.slice(3)}` && p.tender === o.kind, `${at}: payment ${p.ref}`);
      }
    }
    const paid = sum(o.payments, (p) => p.amount);
    const status = o.providerStatus;
    const unpaid = ['canceled', 'CANCELLED', 'SENT', 'EXPIRED', 'RESERVED'].includes(status);
    if (unpaid) {
      check(o.payments.length === 0 && o.refunds.length === 0, `${at}: ${status} has payments or refunds`);
    } else {
      check(paid === total, `${at}: paid ${paid} != lines total ${total}`);
    }
    if (forage && status === 'succeeded') {
      for (const tender of FORAGE_TENDERS) {
        const ps = o.payments.filter((p) => p.tender === tender);
        const due = sum(
          o.lines.filter((l) => TENDER_OF[l.eligibility] === tender),
          gross,
        );
        check(ps.length === (due > 0 ? 1 : 0), `${at}: one ${tender} payment per tender used`);
        if (due > 0) check(ps[0].amount === due, `${at}: ${tender} pays ${ps[0].amount}, its lines cost ${due}`);
      }
    }
    if (!forage && o.kind !== 'reservation' && !unpaid) check(o.payments.length === 1, `${at}: one payment`);
    if (status === 'INVOICED') check(o.refunds.length === 0, `${at}: INVOICED order cannot have refunds`);
    if (status === 'CAPTURED')
      check(o.payments.length > 0 && o.payments.every((p) => p.tender === 'captured'), `${at}: CAPTURED`);
    if (status === 'CHARGED')
      check(
        o.payments.some((p) => p.tender === 'charged'),
        `${at}: CHARGED without a charge`,
      );

    // refunds
    const lineRefunded = new Map();
    const lineQty = new Map();
    const paymentRefunded = new Map();
    let prevDay = Infinity;
    for (const r of o.refunds) {
      check(forage ? /^[a-z0-9]{10}$/.test(r.ref) : r.ref === null, `${at}: refund ref ${r.ref}`);
      if (forage) uniqueRef(r.ref, at);
      check(isInt(r.daysAgo) && r.daysAgo >= 0 && r.daysAgo <= o.placedDaysAgo, `${at}: refund daysAgo ${r.daysAgo}`);
      check(r.daysAgo <= prevDay, `${at}: refunds not in chronological order`);
      prevDay = r.daysAgo;
      check(REASONS.includes(r.reason), `${at}: reason ${r.reason}`);
      check(typeof r.note === 'string' && r.note.trim().length > 0, `${at}: refund note`);
      check(r.lines.length > 0, `${at}: refund without lines`);
      check(new Set(r.lines.map((l) => l.lineId)).size === r.lines.length, `${at}: refund repeats a line`);
      for (const rl of r.lines) {
        const line = lines.get(rl.lineId);
        check(line, `${at}: refund of unknown line ${rl.lineId}`);
        check(isMoney(rl.amount) && isInt(rl.quantity) && rl.quantity >= 0, `${at}: refund line ${rl.lineId} figures`);
        if (rl.quantity === 0) {
          check(r.reason === 'price_adjustment', `${at}: amount-only refund line needs reason price_adjustment`);
        } else {
          check(rl.amount === line.unitPrice * rl.quantity, `${at}: refund line ${rl.lineId} amount != unitPrice*quantity`);
        }
        lineRefunded.set(rl.lineId, (lineRefunded.get(rl.lineId) ?? 0) + rl.amount);
        lineQty.set(rl.lineId, (lineQty.get(rl.lineId) ?? 0) + rl.quantity);
        check(lineRefunded.get(rl.lineId) <= gross(line), `${at}: line ${rl.lineId} refunded beyond what was paid`);
        check(lineQty.get(rl.lineId) <= line.quantity, `${at}: line ${rl.lineId} refunded beyond its quantity`);
      }
      check(r.allocations.length === 1, `${at}: a refund goes to exactly one payment`);
      const [alloc] = r.allocations;
      const payment = payments.get(alloc.paymentRef);
      check(payment, `${at}: allocation to unknown payment ${alloc.paymentRef}`);
      check(isMoney(alloc.amount) && alloc.amount === sum(r.lines, (l) => l.amount), `${at}: allocations != refund lines`);
      paymentRefunded.set(payment.ref, (paymentRefunded.get(payment.ref) ?? 0) + alloc.amount);
      check(paymentRefunded.get(payment.ref) <= payment.amount, `${at}: payment ${payment.ref} refunded beyond its amount`);
      if (forage) {
        for (const rl of r.lines) {
          check(
            TENDER_OF[lines.get(rl.lineId).eligibility] === payment.tender,
            `${at}: line ${rl.lineId} refunded to the wrong tender`,
          );
        }
      }
    }
    const refunded = sum(o.refunds, (r) => r.allocations[0].amount);
    if (!forage && o.kind !== 'reservation') {
      if (status === 'REFUNDED') check(refunded === paid, `${at}: REFUNDED but ${refunded} of ${paid} refunded`);
      else if (status === 'PARTIAL REFUNDED')
        check(refunded > 0 && refunded < paid, `${at}: PARTIAL REFUNDED but ${refunded} of ${paid}`);
      else check(refunded === 0, `${at}: ${status} with refunds`);
    }
  });

  validateContents(ds);
}
