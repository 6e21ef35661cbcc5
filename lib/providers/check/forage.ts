import { randomUUID } from 'node:crypto';
import { formatMoney } from '@/lib/money';
import type { ForageSettings } from '../config';
import { createForageClient } from '../forage/client';
import { orderSchema, paymentSchema, refundSchema } from '../forage/mapping';
import { forageProfile } from '../forage/profile';
import { httpCall, type HttpOutcome } from '../http';
import type { ProviderClient, RefundRequest } from '../types';
import { hostKind, HOST_KIND_LABEL } from './hosts';
import { describeOutcome, plural, Report, statusKey, summarizeBody, type Assumption, type Row, type CheckInput } from './report';

/**
 * The Forage half of `npm run providers:check` (forage.md, its errata and [ASSUME] tags): raw
 * reads through lib/providers/http.ts where the client hides what must be seen (the token answer,
 * the headers' acceptance, the documented routes), then the real client as the app runs it.
 */

export type ForageCheckInput = CheckInput<ForageSettings>;

/** A ref no order has (the client's ping uses the same). */
const UNKNOWN_REF = '0000000000';
/** The token lifetime the client asks for (forage/client.ts default). */
const TOKEN_EXPIRATION_S = 86_400;

const ASSUMPTIONS = (s: ForageSettings | null): Assumption[] => [
  { id: 'configured', name: 'Credentials and base URL are set', need: 'required' },
  { id: 'token', name: 'POST /o/token/ answers with an access_token', need: 'required' },
  {
    id: 'token_expiry',
    name: 'The token answer carries expires_in',
    need: 'optional',
    without: `the client keeps each token for the ${TOKEN_EXPIRATION_S} s it asked for.`,
  },
  {
    id: 'bad_token',
    name: 'An unknown bearer token is answered 401 (or 403 naming the token)',
    need: 'optional',
    without: 'a token Forage drops early is not replaced until it is due; calls fail until then.',
  },
  { id: 'merchant', name: `Merchant-Account ${s?.merchantAccount ?? ''} is accepted`.trim(), need: 'required' },
  { id: 'api_version', name: `API-Version ${s?.apiVersion ?? ''} is accepted`.trim(), need: 'required' },
  {
    id: 'not_found',
    name: 'An unknown order is answered 404 resource_not_found in the error envelope',
    need: 'required',
  },
  { id: 'order', name: 'GET /api/orders/{ref}/ answers the order (product_list, payments)', need: 'required' },
  { id: 'payments', name: "GET /api/orders/{ref}/payments/ lists the order's payments (errata 1)", need: 'required' },
  { id: 'refunds', name: 'GET /api/orders/{ref}/refunds/ lists refund objects', need: 'required' },
  { id: 'refund_id', name: 'Refund objects echo metadata.refund_id', need: 'required' },
  { id: 'import', name: 'Refund Desk reads the order (client getOrder)', need: 'required' },
  {
    id: 'status_known',
    name: 'The order status is one Refund Desk knows',
    need: 'optional',
    without: 'the order shows as open.',
  },
  {
    id: 'product_key',
    name: `refund_by_product names a product by "${s?.productKey ?? 'upc'}" (errata 3)`,
    need: 'required',
  },
  { id: 'test_refund', name: 'A test refund (1 unit by product, or 0.01) is accepted', need: 'required' },
  { id: 'test_listed', name: 'The test refund is listed under /refunds/ with its refund_id', need: 'required' },
  {
    id: 'webhook',
    name: 'Webhook-Signature is a hex HMAC-SHA256 of the raw body (errata 4)',
    need: 'required',
  },
  {
    id: 'idempotency',
    name: `A retry with the same Idempotency-Key within ${Math.round((s?.idempotencyLifetimeMs ?? 600_000) / 60_000)} min replays`,
    need: 'required',
  },
];

const ORDER_ROWS = ['order', 'payments', 'refunds', 'refund_id', 'import', 'status_known'] as const;
const TEST_ROWS = ['product_key', 'test_refund', 'test_listed'] as const;
const NOT_TESTED = 'not asked for (--send-test-refund --test-order <ref> sends one).';

export async function checkForage(input: ForageCheckInput): Promise<Row[]> {
  const config = input.settings.configured ? input.settings.settings : null;
  const report = new Report('forage', ASSUMPTIONS(config));
  report.notChecked('webhook', 'needs a delivery from Forage to the app (POST /api/webhooks/forage).');
  report.notChecked('idempotency', 'would mean sending the test refund a second time.');
  if (!config) {
    const missing = input.settings.configured ? [] : input.settings.missing;
    report.doesNotHold('configured', `missing ${missing.join(', ')}.`);
    return report.rows('Forage is not configured.');
  }
  const base = config.baseUrl.replace(/\/+$/, '');
  const where = hostKind('forage', base);
  report.holds(
    'configured',
    `${where.host}, ${HOST_KIND_LABEL[where.kind]}${input.settings.configured && input.settings.sandbox ? ' (sandbox credentials, PROVIDERS=sandbox)' : ''}.`,
  );
  const fetchImpl = input.fetchImpl;

  // The token, asked for the way the client asks (forage/token.ts); it is never printed.
  const tokenOutcome = await httpCall(
    {
      method: 'POST',
      url: `${base}/o/token/`,
      headers: { authorization: `Basic ${Buffer.from(`${config.clientId}:${config.clientSecret}`).toString('base64')}` },
      form: { grant_type: 'client_credentials', expiration: String(TOKEN_EXPIRATION_S) },
      timeoutMs: config.timeoutMs,
    },
    fetchImpl,
  );
  const tokenBody = tokenOutcome.kind === 'response' ? (tokenOutcome.body as Record<string, unknown> | null) : null;
  const token = tokenOutcome.kind === 'response' && tokenOutcome.status === 200 ? tokenBody?.access_token : undefined;
  if (typeof token !== 'string' || !token) {
    report.doesNotHold(
      'token',
      tokenOutcome.kind === 'response' && tokenOutcome.status === 200
        ? 'HTTP 200 without an access_token.'
        : `${describeOutcome(tokenOutcome)}.`,
    );
    return report.rows('no token: nothing else can be read.');
  }
  // The environment prefix only (forage.md §1: sandbox_…, prod_…), never the token.
  const prefix = /^([a-z]+)_/.exec(token)?.[1];
  report.holds('token', `HTTP 200, an access_token${prefix ? ` starting "${prefix}_"` : ''}.`);
  const expiresIn = tokenBody?.expires_in;
  if (typeof expiresIn === 'number' && expiresIn > 0) report.holds('token_expiry', `expires_in ${expiresIn} s.`);
  else report.doesNotHold('token_expiry', `expires_in is ${expiresIn === undefined ? 'missing' : JSON.stringify(expiresIn)}.`);

  const get = (path: string, bearer = token) =>
    httpCall(
      {
        method: 'GET',
        url: `${base}${path}`,
        headers: {
          Authorization: `Bearer ${bearer}`,
          'Merchant-Account': config.merchantAccount,
          'API-Version': config.apiVersion,
        },
        timeoutMs: config.timeoutMs,
      },
      fetchImpl,
    );

  const badToken = await get(`/api/orders/${UNKNOWN_REF}/`, 'refund-desk-check-not-a-token');
  const badTokenText = `${describeOutcome(badToken)}.`;
  if (
    badToken.kind === 'response' &&
    (badToken.status === 401 ||
      (badToken.status === 403 && /token|credential|authenticat|signature/i.test(JSON.stringify(badToken.body))))
  )
    report.holds('bad_token', badTokenText);
  else report.doesNotHold('bad_token', badTokenText);

  // The ping's call: the headers are checked before the order is looked up.
  const unknown = await get(`/api/orders/${UNKNOWN_REF}/`);
  headerRows(report, unknown, config);
  const firstError = errorOf(unknown);
  if (unknown.kind === 'response' && unknown.status === 404 && firstError?.code === 'resource_not_found') {
    report.holds('not_found', `HTTP 404 ${summarizeBody(unknown.body)}`);
  } else {
    report.doesNotHold(
      'not_found',
      `${describeOutcome(unknown)} (the health check counts only a 404 resource_not_found as reachable).`,
    );
  }

  const client = createForageClient({ ...config, fetchImpl });
  const orderRef = input.orderRef ?? input.testOrderRef;
  if (!orderRef) report.skip(ORDER_ROWS, 'no order named (--forage-order <ref>).');
  else await orderRows(report, orderRef, get, client);

  if (!input.testOrderRef) report.skip(TEST_ROWS, NOT_TESTED);
  else await testRefund(report, input.testOrderRef, config, fetchImpl);
  return report.rows();
}

type ErrorItem = { code?: unknown; message?: unknown; source?: { resource?: unknown } };

function errorOf(outcome: HttpOutcome): ErrorItem | null {
  if (outcome.kind !== 'response') return null;
  const errors = (outcome.body as { errors?: unknown } | null)?.errors;
  return Array.isArray(errors) && errors[0] && typeof errors[0] === 'object' ? (errors[0] as ErrorItem) : null;
}

/** Merchant-Account / API-Version: refused as a 400 naming them (forage.md §3), else accepted. */
function headerRows(report: Report, outcome: HttpOutcome, config: ForageSettings) {
  if (outcome.kind !== 'response') {
    report.doesNotHold('merchant', `${describeOutcome(outcome)}.`);
    report.notChecked('api_version', 'Forage did not answer.');
    return;
  }
  const error = errorOf(outcome);
  const text = `${String(error?.code ?? '')} ${String(error?.source?.resource ?? '')} ${String(error?.message ?? '')}`;
  const refused = outcome.status === 400 || outcome.status === 403;
  const seen = `${describeOutcome(outcome)}.`;
  if (outcome.status === 401 || (outcome.status === 403 && /token/i.test(text))) {
    report.notChecked('merchant', `the token was refused: ${seen}`);
    report.notChecked('api_version', `the token was refused: ${seen}`);
    return;
  }
  if (refused && /merchant/i.test(text)) report.doesNotHold('merchant', seen);
  else report.holds('merchant', `not refused: ${seen}`);
  if (refused && /version/i.test(text)) report.doesNotHold('api_version', seen);
  else report.holds('api_version', `not refused (${config.apiVersion}).`);
}

async function orderRows(report: Report, ref: string, get: (path: string) => Promise<HttpOutcome>, client: ProviderClient) {
  const path = `/api/orders/${encodeURIComponent(ref)}/`;
  const [orderOutcome, paymentsOutcome, refundsOutcome] = await Promise.all([
    get(path),
    get(`${path}payments/`),
    get(`${path}refunds/`),
  ]);

  const order = orderOutcome.kind === 'response' && orderOutcome.status === 200 ? orderSchema.safeParse(orderOutcome.body) : null;
  let paymentRefs: string[] = [];
  if (!order) report.doesNotHold('order', `${ref}: ${describeOutcome(orderOutcome)}.`);
  else if (!order.success) report.doesNotHold('order', `${ref}: HTTP 200, but ${issue(order.error)}.`);
  else {
    const o = order.data;
    paymentRefs = o.payments.map((p) => (typeof p === 'string' ? p : p.ref));
    report.holds(
      'order',
      `${ref}: status ${o.status}, ${plural(o.product_list.length, 'product')}, ${plural(paymentRefs.length, 'payment')}, ${plural(o.refunds?.length ?? 0, 'refund')}.`,
    );
    const known = forageProfile.orderStatus(statusKey(o.status));
    if (known) report.holds('status_known', `"${o.status}" → ${known}.`);
    else report.doesNotHold('status_known', `"${o.status}" is not in the profile's status map.`);
  }

  // Payments: a plain array or a {results} page, each {ref, funding_type, amount}.
  if (paymentsOutcome.kind !== 'response' || paymentsOutcome.status !== 200) {
    report.doesNotHold('payments', `${describeOutcome(paymentsOutcome)}.`);
  } else {
    const body = paymentsOutcome.body as { results?: unknown } | null;
    const list = Array.isArray(body) ? body : Array.isArray(body?.results) ? body.results : null;
    const parsed = list?.map((p) => paymentSchema.safeParse(p));
    const bad = parsed?.find((p) => !p.success);
    if (!list || !parsed) report.doesNotHold('payments', 'HTTP 200, but neither a list nor a {results} page.');
    else if (bad && !bad.success) report.doesNotHold('payments', `HTTP 200, but a payment: ${issue(bad.error)}.`);
    else {
      const listed = parsed.map((p) => p.data!);
      const missing = paymentRefs.filter((r) => !listed.some((p) => p.ref === r));
      const text = listed.map((p) => `${p.ref} ${p.funding_type} ${p.amount}`).join(', ') || 'none';
      if (missing.length) report.doesNotHold('payments', `listed ${text}; the order's ${missing.join(', ')} missing.`);
      else report.holds('payments', `${listed.length} listed: ${text}.`);
    }
  }

  if (refundsOutcome.kind !== 'response' || refundsOutcome.status !== 200) {
    report.doesNotHold('refunds', `${describeOutcome(refundsOutcome)}.`);
    report.notChecked('refund_id', 'the refunds could not be read.');
  } else if (!Array.isArray(refundsOutcome.body)) {
    report.doesNotHold('refunds', 'HTTP 200, but not a JSON array.');
    report.notChecked('refund_id', 'the refunds could not be read.');
  } else {
    const list = refundsOutcome.body as unknown[];
    const bad = list.map((r) => refundSchema.safeParse(r)).find((p) => !p.success);
    if (bad && !bad.success) report.doesNotHold('refunds', `HTTP 200, but a refund: ${issue(bad.error)}.`);
    else report.holds('refunds', `${plural(list.length, 'refund object')}.`);
    refundIdRow(report, list);
  }

  const read = await client.getOrder(ref);
  if (read.ok) {
    const o = read.order;
    const paid = o.payments.reduce((sum, p) => sum + p.amountMinor, 0);
    report.holds(
      'import',
      `${o.lines.length} lines, payments ${formatMoney(paid, 'USD')}, refunded ${formatMoney(o.refundedMinor, 'USD')}.`,
    );
  } else report.doesNotHold('import', `${read.code}: ${read.message}`);
}

/** Refunds made elsewhere (the dashboard) carry no refund_id: only ours can prove the echo. */
function refundIdRow(report: Report, list: unknown[]) {
  if (!list.length) return report.notChecked('refund_id', 'the order has no refunds; --send-test-refund checks it.');
  const withMetadata = list.filter((r) => r && typeof r === 'object' && 'metadata' in r);
  const ours = withMetadata.filter((r) => typeof (r as { metadata?: { refund_id?: unknown } }).metadata?.refund_id === 'string');
  if (ours.length) return report.holds('refund_id', `${ours.length} of ${list.length} refunds carry one.`);
  if (!withMetadata.length) return report.doesNotHold('refund_id', `none of ${list.length} refunds has a metadata field.`);
  report.notChecked(
    'refund_id',
    `${list.length} refund${list.length === 1 ? '' : 's'} listed, none with a refund_id (made outside Refund Desk?); --send-test-refund checks it.`,
  );
}

/**
 * One refund, as small as the order allows: 1 unit of its cheapest product (which also tests the
 * product key, errata 3), else 0.01 on its first payment. The client is the app's, with no
 * retries, so exactly one request goes out; an unclear answer is reported, never re-sent.
 */
async function testRefund(report: Report, ref: string, config: ForageSettings, fetchImpl?: typeof fetch) {
  const client = createForageClient({ ...config, fetchImpl, maxRetries: 0 });
  const read = await client.getOrder(ref);
  if (!read.ok) {
    report.skip(TEST_ROWS, `the test order ${ref} could not be read (${read.code}); nothing was sent.`);
    return;
  }
  const order = read.order;
  const line = order.lines.filter((l) => l.quantity >= 1).sort((a, b) => a.unitPriceMinor - b.unitPriceMinor)[0];
  const payment = order.payments[0];
  if (!line && !payment) {
    report.skip(TEST_ROWS, `the test order ${ref} has neither products nor payments; nothing was sent.`);
    return;
  }
  const refundId = randomUUID();
  const request: RefundRequest = {
    refundId,
    idempotencyKey: refundId,
    providerRef: order.providerRef,
    kind: order.kind,
    currency: order.currency,
    totalMinor: line ? line.unitPriceMinor : 1,
    lines: line ? [{ providerLineId: line.providerLineId, quantity: 1, amountMinor: line.unitPriceMinor }] : [],
    reason: 'Refund Desk provider check (test refund)',
    metadata: { refund_id: refundId },
    mode: line ? 'units' : 'amount',
    payment: line ? null : { ref: payment!.ref, tender: payment!.tender },
  };
  const what = line
    ? `1 × ${line.providerLineId} (unit_price ${formatMoney(line.unitPriceMinor, 'USD')})`
    : `0.01 on ${payment!.ref}`;
  const result = await client.submitRefund(request);
  if (result.kind === 'unknown') {
    report.doesNotHold(
      'test_refund',
      `${what}: no clear answer (${result.reason}: ${result.detail}). Look at the order at Forage before running again.`,
    );
    report.skip(['product_key', 'test_listed'], 'the test refund has no clear answer.');
    return;
  }
  if (result.kind === 'rejected') {
    const seen = `${what}: HTTP ${result.exchange.status ?? '-'} ${result.code}: ${summarizeBody(result.exchange.responseBody) || result.message}`;
    report.doesNotHold('test_refund', seen);
    if (line && /product|upc|invalid_request_body/i.test(seen)) report.doesNotHold('product_key', seen);
    report.skip(['product_key', 'test_listed'], 'the test refund was refused.');
    return;
  }
  const made = result.refunds
    .map((r) => {
      const raw = r.raw as { status?: unknown };
      return `${r.ref} on ${r.paymentRef ?? '?'} (${r.tender ?? '?'}) ${formatMoney(r.amountMinor, 'USD')} ${String(raw.status ?? r.status)}`;
    })
    .join('; ');
  report.holds(
    'test_refund',
    `${what}: HTTP ${result.exchange.status}, ${plural(result.refunds.length, 'refund object')}: ${made}.`,
  );
  if (line) report.holds('product_key', `"${config.productKey}" was accepted.`);
  else report.notChecked('product_key', 'the test order has no product to refund; 0.01 was refunded by amount.');
  const echoed = result.refunds.filter((r) => r.ourRefundId === refundId).length;
  if (echoed === result.refunds.length && echoed > 0)
    report.holds('refund_id', `every object of the test refund echoes it (${echoed}).`);
  else report.doesNotHold('refund_id', `${echoed} of ${result.refunds.length} test refund objects echo it.`);
  const status = await client.readStatus(order.providerRef);
  if (!status.ok) return report.doesNotHold('test_listed', `${status.code}: ${status.message}`);
  const listed = status.refunds.filter((r) => r.ourRefundId === refundId);
  if (listed.length === result.refunds.length)
    report.holds('test_listed', `${listed.map((r) => `${r.ref} ${r.status}`).join(', ')}.`);
  else
    report.doesNotHold(
      'test_listed',
      `${listed.length} of ${result.refunds.length} found among ${status.refunds.length} refunds.`,
    );
}

function issue(error: { issues: { path: PropertyKey[]; message: string }[] }): string {
  const first = error.issues[0];
  return first ? `${first.path.map(String).join('.') || 'the body'}: ${first.message}` : 'unreadable';
}
