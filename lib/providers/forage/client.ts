import 'server-only';
import { toDecimalNumber } from '@/lib/money';
import type { HttpOutcome } from '../http';
import type { ProviderClient, RefundRequest, SubmitResult } from '../types';
import { describeForageError, errorCodeOf } from './errors';
import {
  orderSchema,
  paymentRefs,
  paymentSchema,
  refundSchema,
  toProviderOrder,
  toRefundInfo,
  type ForagePayment,
  type ForageRefund,
} from './mapping';
import { createTransport, parseWith, type Ambiguous, type Read } from './transport';
import { forageProfile } from './profile';
import { parseForageWebhook, verifyForageWebhook, type WebhookOptions } from './webhooks';

export interface ForageClientConfig {
  /** Host root: `https://api.sandbox.joinforage.app`, `https://api.joinforage.app`, or the sandbox. */
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  merchantAccount: string;
  webhookSecret: string;
  /** `API-Version` (forage.md §3); default the newest published, 2024-03-05. */
  apiVersion?: string;
  timeoutMs?: number;
  tokenTimeoutMs?: number;
  /** Token lifetime to ask for, in seconds (forage.md §2). */
  tokenExpirationSeconds?: number;
  /** How long Forage remembers an Idempotency-Key: 10 min or 24 h, the docs disagree (§9). */
  idempotencyLifetimeMs?: number;
  /**
   * The key that names the product in each `products[]` element of refund_by_product (forage.md
   * §5.1, errata 3: unconfirmed). Its value is the product's `upc` from the order's product_list.
   * Default `upc`.
   */
  productKey?: string;
  /**
   * How far in the future a webhook's `created` may be (clock skew); default 5 minutes. There is
   * no limit on its age (forage.md errata 4: Forage retries for much longer).
   */
  webhookToleranceMs?: number;
  webhookSignature?: { algorithm?: WebhookOptions['algorithm']; encoding?: WebhookOptions['encoding'] };
  maxRetries?: number;
  retryBaseDelayMs?: number;
  now?: () => Date;
  fetchImpl?: typeof fetch;
}

/** A ref no order has: Forage answering 404 for it proves we are reachable and signed in. */
const PING_REF = '0000000000';

/**
 * The Forage client (PRODUCT.md §4, forage.md): an OAuth token cached until shortly before expiry,
 * the four headers on every call, refunds by product or by amount with an Idempotency-Key derived
 * from our refund, retries with that same key on 5xx / timeouts / dropped connections, and
 * signed webhooks.
 */
export function createForageClient(config: ForageClientConfig): ProviderClient {
  const baseUrl = config.baseUrl.replace(/\/+$/, '');
  const now = config.now ?? (() => new Date());
  const idempotencyLifetimeMs = config.idempotencyLifetimeMs ?? 10 * 60_000;
  const productKey = config.productKey?.trim() || 'upc';
  if (productKey === 'quantity') throw new Error('The Forage product key cannot be "quantity".');
  const { call, ambiguous, withRetries, read } = createTransport({
    baseUrl,
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    merchantAccount: config.merchantAccount,
    apiVersion: config.apiVersion ?? '2024-03-05',
    timeoutMs: config.timeoutMs ?? 15_000,
    tokenTimeoutMs: config.tokenTimeoutMs ?? 10_000,
    tokenExpirationSeconds: config.tokenExpirationSeconds ?? 86_400,
    maxRetries: config.maxRetries ?? 3,
    retryBaseDelayMs: config.retryBaseDelayMs ?? 500,
    now,
    fetchImpl: config.fetchImpl,
  });
  const webhookOptions: WebhookOptions = {
    secret: config.webhookSecret,
    algorithm: config.webhookSignature?.algorithm ?? 'sha256',
    encoding: config.webhookSignature?.encoding ?? 'hex',
    futureToleranceMs: config.webhookToleranceMs ?? 5 * 60_000,
  };

  const parseRefunds = (body: unknown): ForageRefund[] | null => {
    const list = Array.isArray(body) ? body : [body];
    const parsed = list.map((item) => refundSchema.safeParse(item));
    return parsed.every((p) => p.success) ? parsed.map((p) => p.data as ForageRefund) : null;
  };

  /** A list answer: a plain JSON array, or a `{results: [...]}` page. Null if any item is unreadable. */
  const parsePayments = (body: unknown): ForagePayment[] | null => {
    const results = (body as { results?: unknown } | null)?.results;
    const list = Array.isArray(body) ? body : Array.isArray(results) ? results : null;
    if (!list) return null;
    const parsed = list.map((item) => paymentSchema.safeParse(item));
    return parsed.every((p) => p.success) ? parsed.map((p) => p.data as ForagePayment) : null;
  };

  function refundBody(request: RefundRequest): { path: string; body: Record<string, unknown>; problem: string | null } {
    const order = `/api/orders/${encodeURIComponent(request.providerRef)}`;
    const common = { reason: request.reason, metadata: request.metadata ?? {} };
    if (request.mode === 'amount') {
      const paymentRef = request.payment?.ref ?? '';
      const valid = Number.isSafeInteger(request.totalMinor) && request.totalMinor >= 1 && paymentRef !== '';
      return {
        path: `${order}/refunds/`,
        body: {
          payment: paymentRef,
          amount: valid ? toDecimalNumber(request.totalMinor, 'USD') : null,
          ...common,
        },
        problem: valid ? null : 'An amount refund needs a payment and an amount of at least 0.01.',
      };
    }
    const lines = request.lines.map((l) => ({ [productKey]: l.providerLineId, quantity: l.quantity }));
    const valid = lines.length > 0 && lines.every((l) => Number.isSafeInteger(l.quantity) && l.quantity >= 1);
    return {
      path: `${order}/refund_by_product/`,
      body: { products: lines, ...common },
      problem: valid
        ? null
        : 'A refund by product needs at least one product and whole units (use an amount refund for price adjustments).',
    };
  }

  async function submitRefund(request: RefundRequest): Promise<SubmitResult> {
    const { path, body, problem } = refundBody(request);
    // Forage keys are alphanumeric (forage.md §3): a UUID loses its dashes.
    const key = request.idempotencyKey.replace(/[^A-Za-z0-9]/g, '');
    const local = (code: string): SubmitResult => ({
      kind: 'rejected',
      code,
      message: describeForageError(code).message,
      retryable: false,
      exchange: { method: 'POST', url: `${baseUrl}${path}`, requestBody: body, status: null, responseBody: null, durationMs: 0 },
    });
    if (request.currency !== 'USD' || problem) return local('invalid_request_body');
    if (!key) return local('invalid_idempotency_key');

    const deadline = now().getTime() + idempotencyLifetimeMs;
    let lastSent: Ambiguous | null = null;
    const outcome = await withRetries(async () => {
      const result = await call('refund', 'POST', path, { body, idempotencyKey: key });
      const unclear = result.kind === 'token' ? null : ambiguous(result);
      if (unclear) lastSent = unclear;
      return result;
    }, deadline);
    const earlier = lastSent as Ambiguous | null;

    if (outcome.kind === 'response' && outcome.status >= 200 && outcome.status < 300) {
      try {
        const refunds = parseRefunds(outcome.body);
        if (refunds) return { kind: 'accepted', refunds: refunds.map(toRefundInfo), exchange: outcome.exchange };
      } catch {
        // An amount that is not a decimal: handled below like any unreadable body.
      }
      return {
        kind: 'unknown',
        reason: 'server_error',
        detail: `Forage answered ${outcome.status} with a body Refund Desk could not read.`,
        exchange: outcome.exchange,
      };
    }
    const final = ambiguous(outcome);
    if (final && outcome.kind !== 'token') return { kind: 'unknown', ...final };
    if (earlier) {
      // An earlier try may have been applied; a later refusal (or no token) does not undo it.
      return { kind: 'unknown', ...earlier, detail: `${earlier.detail}; the last retry did not get through either.` };
    }
    if (outcome.kind === 'token') {
      const { code, retryable, exchange } = outcome.failure;
      return { kind: 'rejected', code, message: describeForageError(code).message, retryable, exchange };
    }
    // Reached only with a 4xx response: Forage said no and nothing was refunded.
    const response = outcome as Extract<HttpOutcome, { kind: 'response' }>;
    const code = errorCodeOf(response.status, response.body);
    return {
      kind: 'rejected',
      code,
      message: describeForageError(code).message,
      retryable: response.status === 429,
      exchange: response.exchange,
    };
  }

  return {
    profile: forageProfile,
    submitRefund,

    async getOrder(providerRef) {
      const path = `/api/orders/${encodeURIComponent(providerRef)}/`;
      const [order, refunds] = await Promise.all([
        read('read_order', path, parseWith(orderSchema)),
        read('read_refunds', `${path}refunds/`, parseRefunds),
      ]);
      if (!order.ok) return order;
      if (!refunds.ok) return refunds;
      // The Order lists payment refs; amounts come from the Payment objects. Payments embedded in
      // the Order are used as they are; the others are read under the order (forage.md errata 1):
      // all at once from …/payments/, and any the list lacks from …/payments/{payment_ref}/.
      const inline = new Map<string, ForagePayment>();
      for (const p of order.body.payments) {
        const parsed = typeof p === 'string' ? null : paymentSchema.safeParse(p);
        if (parsed?.success) inline.set(parsed.data.ref, parsed.data);
      }
      const refs = paymentRefs(order.body);
      let listed = new Map<string, ForagePayment>();
      if (refs.some((ref) => !inline.has(ref))) {
        const list = await read('read_payments', `${path}payments/`, parsePayments);
        if (!list.ok) return list;
        listed = new Map(list.body.map((p) => [p.ref, p]));
      }
      const payments = await Promise.all(
        refs.map((ref): Read<ForagePayment> | Promise<Read<ForagePayment>> => {
          const known = inline.get(ref) ?? listed.get(ref);
          if (known) return { ok: true, body: known, exchange: order.exchange };
          return read('read_payment', `${path}payments/${encodeURIComponent(ref)}/`, parseWith(paymentSchema));
        }),
      );
      const failed = payments.find((p) => !p.ok);
      if (failed && !failed.ok) return failed;
      try {
        const bodies = payments.map((p) => (p as Extract<Read<ForagePayment>, { ok: true }>).body);
        const raw = { order: order.body, payments: bodies, refunds: refunds.body };
        return { ok: true, order: toProviderOrder(order.body, bodies, refunds.body, raw) };
      } catch {
        return { ok: false, code: 'unexpected_response', message: describeForageError('unexpected_response').message };
      }
    },

    async readStatus(providerRef) {
      const result = await read('read_refunds', `/api/orders/${encodeURIComponent(providerRef)}/refunds/`, parseRefunds);
      if (!result.ok) return { ok: false, code: result.code, message: result.message, exchange: result.exchange };
      try {
        return { ok: true, refunds: result.body.map(toRefundInfo), refundedMinor: null, exchange: result.exchange };
      } catch {
        const code = 'unexpected_response';
        return { ok: false, code, message: describeForageError(code).message, exchange: result.exchange };
      }
    },

    verifyWebhook({ rawBody, headers, now: at }) {
      return verifyForageWebhook({ rawBody, headers, now: at ?? now() }, webhookOptions);
    },

    parseWebhook({ rawBody }) {
      return parseForageWebhook(rawBody, now());
    },

    async ping() {
      const started = Date.now();
      const outcome = await call('ping', 'GET', `/api/orders/${PING_REF}/`);
      const latencyMs = Date.now() - started;
      if (outcome.kind === 'token') {
        const { code } = outcome.failure;
        return { ok: false, latencyMs, detail: describeForageError(code).message, code };
      }
      if (outcome.kind !== 'response')
        return { ok: false, latencyMs, detail: describeForageError(outcome.kind).message, code: outcome.kind };
      const code = errorCodeOf(outcome.status, outcome.body);
      // A 404 in Forage's envelope (not a proxy's page) means we got through and were signed in.
      const envelope = typeof outcome.body === 'object' && outcome.body !== null && 'errors' in outcome.body;
      if (outcome.status === 200 || (outcome.status === 404 && code === 'resource_not_found' && envelope)) {
        return { ok: true, latencyMs };
      }
      return {
        ok: false,
        latencyMs,
        detail: `HTTP ${outcome.status}: ${describeForageError(code).message}`,
        code,
        status: outcome.status,
      };
    },
  };
}
