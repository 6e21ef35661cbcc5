import { createHmac } from 'node:crypto';
import { header, TokenStore } from './forage-auth';
import { IdempotencyCache, requestHash } from './forage-idempotency';
import { DASHBOARD_DEFAULT_VERSION, orderJson, paymentJson, refundJson, resolveVersion } from './forage-json';
import { refundAll, refundAmount, refundByProduct, type Failure, type RefundContext } from './forage-refunds';
import { ForageState, type Outcome, type Refund, type RefundStatus } from './forage-state';
import { decimal, pacificTimestamp, ref10, sleep } from './http';
import { forageError, type ModuleFactory } from './server';
import type { RequestContext } from './types';

/**
 * Forage (forage.md §12 "Simulator must emulate"): OAuth tokens at /o/token/, the Order refund
 * endpoints under /api/ with their header checks, the error envelope, idempotency, asynchronous
 * settlement and signed REFUND_STATUS_UPDATED webhooks.
 */

interface Options {
  /** 401/403 bodies: `{detail}` (older docs, SDK) or the `invalid_token` envelope (newer docs). */
  authErrors: 'detail' | 'envelope';
  /** The status a new refund starts in (forage.md §7: the sandbox answers `processing`). */
  initialStatus: 'processing' | 'requires_confirmation';
  /** Time spent "at the EBT network" before a refund is recorded; makes concurrent duplicates observable. */
  processingDelayMs: number;
}

const DEFAULT_OPTIONS: Options = { authErrors: 'detail', initialStatus: 'processing', processingDelayMs: 0 };

type Route = { operation: string; order?: string; refund?: string; payment?: string; kind?: string };

const ROUTES: { pattern: RegExp; method: string; operation: string; kind?: string }[] = [
  { pattern: /^\/api\/orders\/([^/]+)\/$/, method: 'GET', operation: 'get_order' },
  { pattern: /^\/api\/orders\/([^/]+)\/refund_by_product\/$/, method: 'POST', operation: 'refund', kind: 'by_product' },
  { pattern: /^\/api\/orders\/([^/]+)\/refunds\/$/, method: 'POST', operation: 'refund', kind: 'amount' },
  { pattern: /^\/api\/orders\/([^/]+)\/refund_all\/$/, method: 'POST', operation: 'refund', kind: 'all' },
  { pattern: /^\/api\/orders\/([^/]+)\/refunds\/$/, method: 'GET', operation: 'list_refunds' },
  { pattern: /^\/api\/orders\/([^/]+)\/refunds\/([^/]+)\/$/, method: 'GET', operation: 'get_refund' },
  // forage.md errata 1: an Order's payments are read under the order (pages get-all-payments,
  // get-an-order-payment); there is no /api/payments/{ref}/ for them.
  { pattern: /^\/api\/orders\/([^/]+)\/payments\/$/, method: 'GET', operation: 'list_payments' },
  { pattern: /^\/api\/orders\/([^/]+)\/payments\/([^/]+)\/$/, method: 'GET', operation: 'get_payment' },
];

function route(method: string, path: string): Route | null {
  if (path === '/o/token/' || path === '/o/revoke_token/') return { operation: method === 'POST' ? 'token' : 'not_allowed' };
  if (!path.startsWith('/api/orders/')) return null;
  let matchedPath = false;
  for (const r of ROUTES) {
    const match = r.pattern.exec(path);
    if (!match) continue;
    matchedPath = true;
    if (r.method !== method) continue;
    return r.operation === 'get_payment'
      ? { operation: r.operation, order: match[1], payment: match[2] }
      : { operation: r.operation, order: match[1], refund: match[2], kind: r.kind };
  }
  return { operation: matchedPath ? 'not_allowed' : 'not_found' };
}

const isFinal = (status: RefundStatus) => status === 'succeeded' || status === 'failed';

export const forageModule: ModuleFactory = (deps) => {
  const { config } = deps;
  let state = new ForageState(config.dataset);
  const tokens = new TokenStore();
  const idempotency = new IdempotencyCache();
  let options: Options = { ...DEFAULT_OPTIONS };
  let nextOutcomes: Outcome[] = [];
  const timers = new Set<NodeJS.Timeout>();

  const merchant = () => config.forage.merchantAccount;
  const sendError = (ctx: RequestContext, f: Omit<Failure, 'ok'>) =>
    ctx.send(f.status, forageError(ctx.path, f.code, f.message, { resource: f.resource, ref: f.ref ?? '' }));

  /** REFUND_STATUS_UPDATED on every status change (forage.md §10), signed over the raw body. */
  function notify(refund: Refund) {
    if (!config.appUrl) return;
    const body = JSON.stringify({
      ref: ref10(),
      type: 'REFUND_STATUS_UPDATED',
      created: pacificTimestamp(new Date(Date.now() - config.webhooks.staleByMs)),
      data: {
        refund_ref: refund.ref,
        order_ref: refund.order,
        payment_ref: refund.payment,
        amount: decimal(refund.amount),
        funding_type: refund.fundingType,
        status: refund.status,
        // [ASSUME] Not in the documented payload; saves the receiver a GET for the reason.
        // SANDBOX_FORAGE_WEBHOOK_ERROR_IN_PAYLOAD=0 leaves it out (forage.md errata 5).
        ...(config.forage.webhookErrorInPayload ? { last_processing_error: refund.lastProcessingError } : {}),
        merchant_id: merchant(),
        merchant_fns: config.dataset.merchants.forage?.fns ?? merchant(),
        external_order_id: null,
      },
    });
    // [ASSUME] lowercase hex HMAC-SHA256 of the raw body (forage.md §10: the algorithm is unpublished).
    const signature = createHmac('sha256', config.forage.webhookSecret).update(body).digest('hex');
    deps.webhooks.send({
      group: refund.ref,
      final: isFinal(refund.status),
      method: 'POST',
      url: `${config.appUrl.replace(/\/$/, '')}/api/webhooks/forage`,
      headers: { 'Webhook-Signature': signature },
      body,
    });
  }

  function settle(refund: Refund): boolean {
    if (isFinal(refund.status)) return false;
    state.finish(refund, refund.planned ?? { outcome: config.forage.settleOutcome });
    notify(refund);
    return true;
  }

  function created(refund: Refund) {
    notify(refund);
    if (isFinal(refund.status) || config.settleMode !== 'auto') return;
    const timer = setTimeout(() => {
      timers.delete(timer);
      settle(refund);
    }, config.settleMs);
    timer.unref();
    timers.add(timer);
  }

  async function createRefund(ctx: RequestContext, r: Route, version: string) {
    const order = state.orders.get(r.order!)!;
    const key = header(ctx, 'idempotency-key');
    if (!key) {
      return sendError(ctx, {
        status: 400,
        code: 'missing_idempotency_key',
        message: 'The Idempotency-Key header is required.',
        resource: 'Idempotency_Key',
      });
    }
    if (!/^[A-Za-z0-9]{1,255}$/.test(key)) {
      return sendError(ctx, {
        status: 400,
        code: 'invalid_idempotency_key',
        message: 'The Idempotency-Key header must be 1 to 255 letters and digits.',
        resource: 'Idempotency_Key',
      });
    }
    let body: unknown;
    try {
      body = JSON.parse(ctx.rawBody);
    } catch {
      body = undefined;
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      return sendError(ctx, {
        status: 400,
        code: 'cannot_parse_request_body',
        message: 'The request body is not a JSON object.',
        resource: 'Refunds',
      });
    }
    // Per merchant and key (forage.md §9 [ASSUME] scope); the hash covers method, path and body.
    const scope = `${merchant()}:${key}`;
    const hash = requestHash(ctx.method, ctx.path, body);
    const release = await idempotency.acquire(scope);
    try {
      const cached = idempotency.lookup(scope, hash);
      if (cached.kind === 'conflict') {
        return sendError(ctx, {
          status: 400,
          code: 'cannot_change_request',
          message: 'This Idempotency-Key was already used with a different request.',
          resource: 'Idempotency_Key',
        });
      }
      if (cached.kind === 'replay') return ctx.send(cached.status, cached.body);
      if (options.processingDelayMs > 0) await sleep(options.processingDelayMs);
      const refundCtx: RefundContext = {
        state,
        config: config.forage,
        order,
        initialStatus: options.initialStatus,
        nextOutcome: () => nextOutcomes.shift() ?? null,
      };
      const input = body as Record<string, unknown>;
      const result =
        r.kind === 'by_product'
          ? refundByProduct(refundCtx, input)
          : r.kind === 'amount'
            ? refundAmount(refundCtx, input)
            : refundAll(refundCtx, input);
      if (!result.ok) return sendError(ctx, result);
      const response =
        r.kind === 'by_product'
          ? result.refunds.map((refund) => refundJson(refund, merchant(), version))
          : r.kind === 'amount'
            ? refundJson(result.refunds[0]!, merchant(), version)
            : orderJson(order, state);
      // Remembered as soon as the refund exists: a fault that replaces the answer (5xx, dropped
      // connection, hang) must still leave the original for the client's retry (forage.md §12.9).
      // [ASSUME] refund_all answers 201 like the other creating endpoints (§13: 200 or 201 unknown).
      idempotency.store(scope, hash, 201, response, config.forage.idempotencyTtlMs);
      for (const refund of result.refunds) created(refund);
      ctx.send(201, response);
    } finally {
      release();
    }
  }

  async function handle(ctx: RequestContext) {
    const r = route(ctx.method, ctx.path)!;
    if (r.operation === 'token') return tokens.handle(ctx, config.forage);
    if (r.operation === 'not_allowed') return ctx.send(405, { detail: `Method "${ctx.method}" not allowed.` });
    if (r.operation === 'not_found') return ctx.send(404, { detail: 'Not found.' });
    if (!tokens.authenticate(ctx, options.authErrors)) return;
    const account = header(ctx, 'merchant-account');
    if (!account || account !== merchant()) {
      return sendError(ctx, {
        status: 400,
        code: account ? 'invalid_merchant_account' : 'missing_merchant_account',
        message: account
          ? `Merchant-Account ${account} is not a merchant this client can act for.`
          : 'The Merchant-Account header is required.',
        resource: 'Merchant_Account_Header',
      });
    }
    const version = resolveVersion(header(ctx, 'api-version'));
    if (!version) {
      return sendError(ctx, {
        status: 400,
        code: 'invalid_api_version',
        message: 'API-Version must be "default" or a date written YYYY-MM-DD.',
        resource: 'API_Version',
      });
    }
    const fns = config.dataset.merchants.forage?.fns ?? merchant();
    const notFound = (what: 'Payment' | 'Order' | 'Refund', ref: string | undefined) =>
      sendError(ctx, {
        status: 404,
        code: 'resource_not_found',
        message: `${what} with ref ${ref} does not exist for current Merchant with FNS ${fns}.`,
        resource: `${what}s`,
        ref,
      });
    const order = state.orders.get(r.order!);
    if (!order) {
      return notFound('Order', r.order);
    }
    // [ASSUME] A plain JSON array, like GET …/refunds/ (the docs' list pages show no pagination envelope).
    if (r.operation === 'list_payments') {
      return ctx.send(
        200,
        order.payments.map((ref) => paymentJson(state.payments.get(ref)!, merchant(), state)),
      );
    }
    if (r.operation === 'get_payment') {
      const payment = state.payments.get(r.payment!);
      if (!payment || payment.order !== order.ref) {
        return notFound('Payment', r.payment);
      }
      return ctx.send(200, paymentJson(payment, merchant(), state));
    }
    if (r.operation === 'refund') return createRefund(ctx, r, version);
    if (r.operation === 'get_order') return ctx.send(200, orderJson(order, state));
    if (r.operation === 'list_refunds') {
      return ctx.send(
        200,
        state.refundsOf(order).map((refund) => refundJson(refund, merchant(), version)),
      );
    }
    const refund = state.refunds.get(r.refund!);
    if (!refund || refund.order !== order.ref) {
      return notFound('Refund', r.refund);
    }
    return ctx.send(200, refundJson(refund, merchant(), version));
  }

  function body(ctx: RequestContext): Record<string, unknown> {
    try {
      const parsed = ctx.rawBody ? (JSON.parse(ctx.rawBody) as unknown) : {};
      return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
    } catch {
      return {};
    }
  }

  return {
    name: 'forage',
    operationFor: (method, path) => route(method, path)?.operation ?? null,
    handle,
    async settleAll() {
      let settled = 0;
      for (const refund of state.refunds.values()) if (settle(refund)) settled += 1;
      return settled;
    },
    reset() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      state = new ForageState(config.dataset);
      tokens.reset();
      idempotency.reset();
      options = { ...DEFAULT_OPTIONS };
      nextOutcomes = [];
    },
    async control(ctx, subpath) {
      if (ctx.method === 'GET' && subpath === 'stats') {
        ctx.send(200, { tokenRequests: tokens.requests, activeTokens: tokens.active(), refunds: state.refunds.size });
        return true;
      }
      if (ctx.method === 'POST' && subpath === 'expire-tokens') {
        tokens.expireAll();
        ctx.send(200, { ok: true });
        return true;
      }
      if (ctx.method === 'POST' && subpath === 'next-outcome') {
        // {outcome: 'failed' | 'succeeded', error?, voided?, count?}: how the next created refund(s) end.
        const b = body(ctx);
        const outcome: Outcome = {
          outcome: b.outcome === 'succeeded' ? 'succeeded' : 'failed',
          ...(typeof b.error === 'string' ? { error: b.error } : {}),
          ...(b.voided === true ? { voided: true } : {}),
        };
        const count = typeof b.count === 'number' && b.count > 0 ? Math.floor(b.count) : 1;
        for (let i = 0; i < count; i++) nextOutcomes.push(outcome);
        ctx.send(200, { queued: nextOutcomes.length });
        return true;
      }
      if (ctx.method === 'POST' && subpath === 'options') {
        options = { ...options, ...(body(ctx) as Partial<Options>) };
        ctx.send(200, options);
        return true;
      }
      const match = /^orders\/([^/]+)\/refunds\/?$/.exec(subpath);
      if (ctx.method === 'GET' && match) {
        const order = state.orders.get(match[1]!);
        if (!order) ctx.send(404, { detail: 'Unknown order.' });
        else
          ctx.send(200, {
            refunds: state.refundsOf(order).map((refund) => refundJson(refund, merchant(), DASHBOARD_DEFAULT_VERSION)),
          });
        return true;
      }
      return false;
    },
  };
};
