import { randomUUID } from 'node:crypto';
import { formatMoney, parseDecimal } from '@/lib/money';
import type { FrontpaymentSettings } from '../config';
import { createFrontpaymentClient } from '../frontpayment/client';
import { normalizeKey } from '../frontpayment/errors';
import { isSyntheticLineId, isSyntheticPaymentRef } from '../frontpayment/orders';
import { frontpaymentProfile } from '../frontpayment/profile';
import { httpCall, type HttpOutcome } from '../http';
import type { ProviderClient, RefundRequest } from '../types';
import { hostKind, HOST_KIND_LABEL } from './hosts';
import { describeOutcome, Report, statusKey, summarizeBody, type Assumption, type Row, type CheckInput } from './report';

/**
 * The Frontpayment half of `npm run providers:check` (frontpayment.md, its errata and [ASSUME]
 * tags): raw reads of the status and details endpoints through lib/providers/http.ts, to see the
 * fields the client leans on, then the real client as the app runs it.
 */

export type FrontpaymentCheckInput = CheckInput<FrontpaymentSettings>;

const UNKNOWN_REF = 'ODR0000000000';
const TEST_AMOUNT_MINOR = 100;

const formula = (s: FrontpaymentSettings | null) =>
  !s || s.checksum.kind === 'all-in-order'
    ? 'sha256(every query value in the order received . secret)'
    : `sha256(${s.checksum.fields.join(' . ')} . secret)`;

const ASSUMPTIONS = (s: FrontpaymentSettings | null): Assumption[] => [
  { id: 'configured', name: 'Token and base URL are set', need: 'required' },
  { id: 'token', name: 'The bearer token is accepted', need: 'required' },
  {
    id: 'bad_token',
    name: 'An unknown bearer token is answered 401',
    need: 'optional',
    without: 'the health check reports a refused token as reachable.',
  },
  {
    id: 'not_found',
    name: 'An unknown order is answered 404 orderNotFound / "Order Not Found" (errata 6)',
    need: 'optional',
    without: 'an unknown order is reported with a generic message.',
  },
  { id: 'details', name: 'GET …/details/{uuid} answers the order with a productList', need: 'required' },
  {
    id: 'line_ids',
    name: 'Order details carry a numeric line id per product (errata 1)',
    // Every Frontpayment refund names its lines by these ids (§4): without them orders still import,
    // but no refund can be sent from Refund Desk at all.
    need: 'required',
    without: 'orders import, but no refund can be sent from Refund Desk; the order page says so.',
  },
  {
    id: 'history_uuids',
    name: 'Reservation payment history names each capture / charge uuid (errata 5)',
    need: 'optional',
    without: 'reservation refunds cannot be sent from Refund Desk.',
  },
  { id: 'status', name: 'GET /connect/orders/status/{uuid} answers the status', need: 'required' },
  {
    id: 'refunded_amount',
    name: 'The status carries refundedAmount (errata 2)',
    need: 'optional',
    without: 'outcomes of unclear refunds are settled by hand.',
  },
  {
    id: 'status_known',
    name: 'The order status is one Refund Desk knows',
    need: 'optional',
    without: 'the order shows as open.',
  },
  { id: 'import', name: 'Refund Desk reads the order (client getOrder)', need: 'required' },
  { id: 'test_refund', name: 'A test refund of 1,00 kr on one line is accepted (202)', need: 'required' },
  {
    id: 'test_applied',
    name: 'refundedAmount grows by the test refund',
    need: 'optional',
    without: 'outcomes of unclear refunds are settled by hand.',
  },
  { id: 'checksum', name: `Callback checksum is ${formula(s)} (errata 3)`, need: 'required' },
];

const ORDER_ROWS = ['details', 'line_ids', 'history_uuids', 'status', 'refunded_amount', 'status_known', 'import'] as const;
const TEST_ROWS = ['test_refund', 'test_applied'] as const;

type Envelope = { message?: unknown; data?: unknown };
const dataOf = (outcome: HttpOutcome) =>
  outcome.kind === 'response' && outcome.status === 200 ? (outcome.body as Envelope | null)?.data : undefined;
const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

export async function checkFrontpayment(input: FrontpaymentCheckInput): Promise<Row[]> {
  const config = input.settings.configured ? input.settings.settings : null;
  const report = new Report('frontpayment', ASSUMPTIONS(config));
  report.notChecked('checksum', 'needs a callback from Frontpayment to the app (/api/webhooks/frontpayment).');
  if (!config) {
    const missing = input.settings.configured ? [] : input.settings.missing;
    report.doesNotHold('configured', `missing ${missing.join(', ')}.`);
    return report.rows('Frontpayment is not configured.');
  }
  const base = config.baseUrl.replace(/\/+$/, '');
  const where = hostKind('frontpayment', base);
  report.holds(
    'configured',
    `${where.host}, ${HOST_KIND_LABEL[where.kind]}${input.settings.configured && input.settings.sandbox ? ' (sandbox credentials, PROVIDERS=sandbox)' : ''}.`,
  );
  const get = (path: string, token = config.token) =>
    httpCall(
      { method: 'GET', url: `${base}${path}`, headers: { authorization: `Bearer ${token}` }, timeoutMs: config.timeoutMs },
      input.fetchImpl,
    );

  // The client's ping: the order list by status.
  const ping = await get('/connect/orders/status?type=PAID');
  if (ping.kind !== 'response' || ping.status === 401 || ping.status === 403 || ping.status >= 500) {
    report.doesNotHold('token', `${describeOutcome(ping)}.`);
    return report.rows('the token was refused or Frontpayment did not answer: nothing else can be read.');
  }
  report.holds('token', `GET /connect/orders/status?type=PAID: HTTP ${ping.status}.`);

  const badToken = await get('/connect/orders/status?type=PAID', 'refund-desk-check-not-a-token');
  if (badToken.kind === 'response' && badToken.status === 401) report.holds('bad_token', `${describeOutcome(badToken)}.`);
  else report.doesNotHold('bad_token', `${describeOutcome(badToken)}.`);

  const [unknownStatus, unknownDetails] = await Promise.all([
    get(`/connect/orders/status/${UNKNOWN_REF}`),
    get(`/connect/orders/details/${UNKNOWN_REF}`),
  ]);
  const notFound = (o: HttpOutcome) =>
    o.kind === 'response' && o.status === 404 && normalizeKey(String((o.body as Envelope | null)?.message)) === 'orderNotFound';
  const seen = `status: ${describeOutcome(unknownStatus)}; details: ${describeOutcome(unknownDetails)}.`;
  if (notFound(unknownStatus) && notFound(unknownDetails)) report.holds('not_found', seen);
  else report.doesNotHold('not_found', seen);

  const client = createFrontpaymentClient({ ...config, fetchImpl: input.fetchImpl });
  const orderRef = input.orderRef ?? input.testOrderRef;
  if (!orderRef) report.skip(ORDER_ROWS, 'no order named (--frontpayment-order <uuid>).');
  else await orderRows(report, orderRef, get, client);

  if (!input.testOrderRef) report.skip(TEST_ROWS, 'not asked for (--send-test-refund --test-order <uuid> sends one).');
  else await testRefund(report, input.testOrderRef, client);
  return report.rows();
}

async function orderRows(report: Report, ref: string, get: (path: string) => Promise<HttpOutcome>, client: ProviderClient) {
  const reservation = /^RES/i.test(ref);
  const detailsPath = `/connect/${reservation ? 'reservations' : 'orders'}/details/${encodeURIComponent(ref)}`;
  const [details, status] = await Promise.all([get(detailsPath), get(`/connect/orders/status/${encodeURIComponent(ref)}`)]);

  const data = dataOf(details);
  const products = isObject(data) && Array.isArray(data.productList) ? (data.productList as unknown[]) : null;
  if (!products) {
    report.doesNotHold(
      'details',
      `${ref}: ${details.kind === 'response' && details.status === 200 ? 'HTTP 200 without data.productList' : describeOutcome(details)}.`,
    );
    report.skip(['line_ids', 'history_uuids'], 'the details could not be read.');
  } else {
    report.holds(
      'details',
      `${ref}: ${String((data as Record<string, unknown>).type ?? 'reservation')}, ${products.length} products.`,
    );
    const ids = products.map((p) => (isObject(p) ? p.id : undefined));
    const numeric = ids.filter(
      (id) => (typeof id === 'number' && Number.isInteger(id)) || (typeof id === 'string' && /^\d+$/.test(id)),
    );
    if (products.length && numeric.length === products.length) report.holds('line_ids', `ids ${numeric.join(', ')}.`);
    else report.doesNotHold('line_ids', `${numeric.length} of ${products.length} products carry a numeric id.`);
    if (!reservation) report.notChecked('history_uuids', 'the named order is not a reservation (RES…).');
    else {
      const history = isObject((data as Record<string, unknown>).paymentHistory)
        ? ((data as Record<string, unknown>).paymentHistory as Record<string, unknown>)
        : {};
      const entries = ['captured', 'charged'].flatMap((k) => (Array.isArray(history[k]) ? (history[k] as unknown[]) : []));
      const named = entries.filter((e) => isObject(e) && typeof e.uuid === 'string' && e.uuid);
      if (!entries.length) report.notChecked('history_uuids', 'nothing captured or charged yet.');
      else if (named.length === entries.length) report.holds('history_uuids', `${named.length} of ${entries.length} entries.`);
      else report.doesNotHold('history_uuids', `${named.length} of ${entries.length} entries carry a uuid.`);
    }
  }

  const s = dataOf(status);
  if (!isObject(s) || typeof s.status !== 'string') {
    report.doesNotHold(
      'status',
      `${ref}: ${status.kind === 'response' && status.status === 200 ? 'HTTP 200 without data.status' : describeOutcome(status)}.`,
    );
    report.skip(['refunded_amount', 'status_known'], 'the status could not be read.');
  } else {
    report.holds('status', `"${s.status}"; fields ${Object.keys(s).join(', ')}.`);
    const refunded = nok(s.refundedAmount);
    if (refunded !== null)
      report.holds(
        'refunded_amount',
        `refundedAmount ${formatMoney(refunded, 'NOK')}${s.orderAmount !== undefined ? ` of ${formatNok(s.orderAmount)}` : ''}.`,
      );
    else
      report.doesNotHold(
        'refunded_amount',
        `refundedAmount is ${s.refundedAmount === undefined ? 'missing' : JSON.stringify(s.refundedAmount)}.`,
      );
    const known = frontpaymentProfile.orderStatus(statusKey(s.status));
    if (known) report.holds('status_known', `"${s.status}" → ${known}.`);
    else report.doesNotHold('status_known', `"${s.status}" is not in the profile's status map.`);
  }

  const read = await client.getOrder(ref);
  if (!read.ok) return report.doesNotHold('import', `${read.code}: ${read.message}`);
  const o = read.order;
  report.holds(
    'import',
    `${o.kind}, ${o.lines.length} lines${o.lineIdsKnown === false ? ' (line ids made up)' : ''}, refunded ` +
      `${formatMoney(o.refundedMinor, 'NOK')}${o.refundedMinorKnown === false ? ' (from the status alone)' : ''}.`,
  );
}

/**
 * 1,00 kr on the order's largest line that has a Frontpayment id (on a reservation: from its
 * first named capture or charge). Frontpayment has no idempotency key, so the client never
 * re-sends: exactly one request goes out.
 */
async function testRefund(report: Report, ref: string, client: ProviderClient) {
  const read = await client.getOrder(ref);
  if (!read.ok) return report.skip(TEST_ROWS, `the test order ${ref} could not be read (${read.code}); nothing was sent.`);
  const order = read.order;
  const line = order.lines
    .filter((l) => !isSyntheticLineId(l.providerLineId) && l.unitPriceMinor * l.quantity >= TEST_AMOUNT_MINOR)
    .sort((a, b) => b.unitPriceMinor * b.quantity - a.unitPriceMinor * a.quantity)[0];
  if (!line) return report.skip(TEST_ROWS, `the test order ${ref} has no line with a Frontpayment id; nothing was sent.`);
  const payment = order.kind === 'reservation' ? order.payments.find((p) => !isSyntheticPaymentRef(p.ref)) : null;
  if (order.kind === 'reservation' && !payment) {
    return report.skip(TEST_ROWS, `the test reservation ${ref} has no named capture or charge; nothing was sent.`);
  }
  const before = await client.readStatus(order.providerRef);
  const refundId = randomUUID();
  const request: RefundRequest = {
    refundId,
    idempotencyKey: refundId,
    providerRef: order.providerRef,
    kind: order.kind,
    currency: order.currency,
    totalMinor: TEST_AMOUNT_MINOR,
    lines: [{ providerLineId: line.providerLineId, quantity: 0, amountMinor: TEST_AMOUNT_MINOR }],
    reason: 'Refund Desk provider check (test refund)',
    mode: 'amount',
    payment: payment ? { ref: payment.ref, tender: payment.tender } : null,
  };
  const what = `1,00 kr on line ${line.providerLineId}${payment ? ` from ${payment.ref}` : ''}`;
  const result = await client.submitRefund(request);
  if (result.kind === 'unknown') {
    report.doesNotHold(
      'test_refund',
      `${what}: no clear answer (${result.reason}: ${result.detail}). Read the order status before running again.`,
    );
    return report.skip(['test_applied'], 'the test refund has no clear answer.');
  }
  if (result.kind === 'rejected') {
    const fields = result.fieldErrors ? ` ${JSON.stringify(result.fieldErrors)}` : '';
    report.doesNotHold('test_refund', `${what}: HTTP ${result.exchange.status ?? '-'} ${result.code}${fields}.`);
    return report.skip(['test_applied'], 'the test refund was refused.');
  }
  report.holds('test_refund', `${what}: HTTP ${result.exchange.status} ${summarizeBody(result.exchange.responseBody)}.`);
  const after = await client.readStatus(order.providerRef);
  const was = before.ok ? before.refundedMinor : null;
  const now = after.ok ? after.refundedMinor : null;
  if (was === null || now === null) return report.notChecked('test_applied', 'the status carries no refundedAmount.');
  if (now - was === TEST_AMOUNT_MINOR)
    return report.holds('test_applied', `${formatMoney(was, 'NOK')} → ${formatMoney(now, 'NOK')}.`);
  // errata 7: how long a refund takes to apply is not documented, so "not yet" proves nothing.
  report.notChecked(
    'test_applied',
    `refundedAmount ${formatMoney(was, 'NOK')} → ${formatMoney(now, 'NOK')} right after the 202 (processing time undocumented, errata 7); read the status again later.`,
  );
}

function nok(value: unknown): number | null {
  if (typeof value !== 'number' && typeof value !== 'string') return null;
  try {
    return parseDecimal(value, 'NOK');
  } catch {
    return null;
  }
}

const formatNok = (value: unknown) => {
  const minor = nok(value);
  return minor === null ? JSON.stringify(value) : formatMoney(minor, 'NOK');
};
