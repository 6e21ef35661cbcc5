import { parseAmount } from './http';
import { callbackParams, callbackUrl } from './frontpayment-callbacks';
import { frontpaymentControl } from './frontpayment-control';
import {
  checkAmounts,
  checkMovement,
  checkOrderState,
  checkProducts,
  checkThresholds,
  ok,
  reject,
  validatePayload,
  type FpReply,
  type ParsedRefund,
} from './frontpayment-rules';
import { FpState, type FpOrder, type FpRefund } from './frontpayment-state';
import { orderDetailsView, reservationDetailsView, statusView } from './frontpayment-views';
import { fpError, type ModuleFactory, type SandboxDeps } from './server';
import type { ProviderModule, RequestContext } from './types';

/**
 * Frontpayment ("FPGO Connect") emulator, following "Simulator must emulate" in
 * shared/providers/frontpayment.md §11: its paths under /api/v1, a static bearer token, the
 * inconsistent envelope, the validation order, asynchronous settlement, no idempotency,
 * reservations, the approval workflow and checksummed GET callbacks.
 */

/** Behaviour the docs leave open [ASSUME]; switchable through /__control/frontpayment/settings. */
export interface FpSettings {
  /** 401 body: Laravel's default `{"message":"Unauthenticated."}` or the §2 envelope. */
  unauthenticated: 'laravel' | 'envelope';
  /** §2: the 510 message is spelled both ways; alternate, or always one of them. */
  serverErrorMessage: 'alternate' | 'somethingWentWrong' | 'Something Went Wrong';
  /** grandTotal ≠ Σ products.amount: a 417, or ignored (§12: unknown). */
  grandTotalMismatch: 'reject' | 'ignore';
  /** The status endpoints' 404 `message` (errata 6: they also answer `Order Not Found`). */
  statusNotFoundMessage: 'orderNotFound' | 'Order Not Found';
}

export const DEFAULT_FP_SETTINGS: FpSettings = {
  unauthenticated: 'laravel',
  serverErrorMessage: 'alternate',
  grandTotalMismatch: 'reject',
  statusNotFoundMessage: 'Order Not Found',
};

type Handler = (uuid: string | undefined, ctx: RequestContext) => FpReply;

interface Route {
  method: string;
  pattern: RegExp;
  operation: string;
  handler: (module: FpModule) => Handler;
}

const ROUTES: Route[] = [
  {
    method: 'POST',
    pattern: /^\/api\/v1\/connect\/orders\/refund\/([^/]+)$/,
    operation: 'refund',
    handler: (m) => m.refund(false),
  },
  {
    method: 'POST',
    pattern: /^\/api\/v1\/connect\/reservations\/refund\/([^/]+)$/,
    operation: 'refund',
    handler: (m) => m.refund(true),
  },
  // §3: the approval path has no /connect/ segment.
  {
    method: 'POST',
    pattern: /^\/api\/v1\/orders\/refund\/request\/approval\/([^/]+)$/,
    operation: 'approval',
    handler: (m) => m.approval,
  },
  { method: 'GET', pattern: /^\/api\/v1\/connect\/orders\/status\/?$/, operation: 'order_status', handler: (m) => m.statusList },
  {
    method: 'GET',
    pattern: /^\/api\/v1\/connect\/orders\/status\/([^/]+)$/,
    operation: 'order_status',
    handler: (m) => m.status,
  },
  {
    method: 'GET',
    pattern: /^\/api\/v1\/connect\/orders\/details\/([^/]+)$/,
    operation: 'get_order',
    handler: (m) => m.details(false),
  },
  {
    method: 'GET',
    pattern: /^\/api\/v1\/connect\/reservations\/details\/([^/]+)$/,
    operation: 'get_order',
    handler: (m) => m.details(true),
  },
  {
    method: 'POST',
    pattern: /^\/api\/v1\/connect\/reservations\/capture\/([^/]+)$/,
    operation: 'capture',
    handler: (m) => m.movement('captured'),
  },
  {
    method: 'POST',
    pattern: /^\/api\/v1\/connect\/reservations\/charge\/([^/]+)$/,
    operation: 'charge',
    handler: (m) => m.movement('charged'),
  },
];

function match(method: string, path: string) {
  for (const route of ROUTES) {
    if (route.method !== method) continue;
    const found = route.pattern.exec(path);
    if (found) return { route, uuid: found[1] ? decodeURIComponent(found[1]) : undefined };
  }
  return null;
}

export class FpModule implements ProviderModule {
  readonly name = 'frontpayment' as const;
  state!: FpState;
  settings: FpSettings = { ...DEFAULT_FP_SETTINGS };
  private window = { start: 0, count: 0 };
  private serverErrors = 0;
  private timers = new Set<ReturnType<typeof setTimeout>>();

  constructor(readonly deps: SandboxDeps) {
    this.reset();
  }

  get config() {
    return this.deps.config;
  }

  operationFor(method: string, path: string): string | null {
    return match(method, path)?.route.operation ?? null;
  }

  reset() {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.state = new FpState(this.config.dataset.orders);
    this.settings = { ...DEFAULT_FP_SETTINGS };
    this.window = { start: 0, count: 0 };
    this.serverErrors = 0;
  }

  async handle(ctx: RequestContext) {
    const found = match(ctx.method, ctx.path);
    if (!found) return ctx.send(404, fpError(404, 'Not Found'));
    const limit = this.hit();
    const headers: Record<string, string> = {
      'cache-control': 'no-cache, private',
      'access-control-allow-origin': '*',
      'x-ratelimit-limit': String(limit.limit),
      'x-ratelimit-remaining': String(limit.remaining),
    };
    if (limit.exceeded) {
      return ctx.send(429, fpError(429, 'Too Many Attempts.'), { ...headers, 'retry-after': String(limit.retryAfter) });
    }
    if (ctx.req.headers.authorization !== `Bearer ${this.config.frontpayment.token}`) {
      const body =
        this.settings.unauthenticated === 'laravel' ? { message: 'Unauthenticated.' } : fpError(401, 'Unauthenticated.');
      return ctx.send(401, body, headers);
    }
    let reply: FpReply;
    try {
      reply = found.route.handler(this)(found.uuid, ctx);
    } catch (error) {
      // An exception inside Frontpayment is a 510 (§2), not a bare 500.
      console.error('[sandbox] frontpayment handler failed', error);
      reply = { status: 510, body: this.errorBody(510) };
    }
    ctx.send(reply.status, reply.body, headers);
  }

  /** Laravel's throttle: a fixed one-minute window from its first request (§1: 240 per window). */
  private hit() {
    const now = Date.now();
    if (now - this.window.start >= 60_000) this.window = { start: now, count: 0 };
    this.window.count += 1;
    const limit = this.config.frontpayment.rateLimit;
    return {
      limit,
      remaining: Math.max(0, limit - this.window.count),
      exceeded: this.window.count > limit,
      retryAfter: Math.max(1, Math.ceil((this.window.start + 60_000 - now) / 1000)),
    };
  }

  /** The 510 body for injected server errors, in one of the two documented spellings. */
  errorBody(status: number) {
    const setting = this.settings.serverErrorMessage;
    const message =
      setting !== 'alternate' ? setting : this.serverErrors++ % 2 === 0 ? 'somethingWentWrong' : 'Something Went Wrong';
    return fpError(status, message);
  }

  private lookup(uuid: string | undefined, reservation: boolean | null): FpOrder | null {
    const order = uuid ? this.state.orders.get(uuid) : undefined;
    if (!order || (reservation !== null && (order.kind === 'reservation') !== reservation)) return null;
    return order;
  }

  /** §11.4: auth → order → payload (417) → state → movement → product ids → amounts → thresholds → 202. */
  refund =
    (reservation: boolean): Handler =>
    (uuid, ctx) => {
      const order = this.lookup(uuid, reservation);
      if (!order) return reject('orderNotFound');
      const body = parseJson(ctx.rawBody);
      const parsed = validatePayload(body, order, {
        requireMessage: false,
        grandTotalMismatch: this.settings.grandTotalMismatch,
      });
      if (isReply(parsed)) return parsed;
      const refused =
        checkOrderState(order) ??
        checkMovement(order, parsed) ??
        checkProducts(order, parsed) ??
        checkAmounts(this.state, order, parsed) ??
        checkThresholds(this.state, parsed, this.config.frontpayment);
      if (refused) return refused;
      const refund = this.record(order, parsed, body, 'api', 'pending');
      if (this.config.settleMode === 'auto') {
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          this.settle(refund);
        }, this.config.settleMs);
        timer.unref?.();
        this.timers.add(timer);
      }
      return ok(202, 'orderRefundedSuccessfully', { is_data: true, data: null });
    };

  /** §5 Request Refund Approval: one pending request per order; Frontpayment decides by hand. */
  approval: Handler = (uuid, ctx) => {
    const order = this.lookup(uuid, null);
    if (!order) return reject('orderNotFound');
    const body = parseJson(ctx.rawBody);
    const parsed = validatePayload(body, order, { requireMessage: true, grandTotalMismatch: this.settings.grandTotalMismatch });
    if (isReply(parsed)) return parsed;
    const refused = checkOrderState(order) ?? checkMovement(order, parsed) ?? checkProducts(order, parsed);
    if (refused) return refused;
    if (this.state.approvals.some((a) => a.orderUuid === order.uuid && a.state === 'pending')) {
      return reject('orderRefundRequestAlreadySubmitted');
    }
    this.state.approvals.push({
      seq: this.state.nextSeq(),
      orderUuid: order.uuid,
      state: 'pending',
      message: parsed.message ?? '',
      totalMinor: total(parsed),
      lines: parsed.products,
      source: parsed.source,
      reference: parsed.reference,
      body,
      requestedAt: new Date(),
      decidedAt: null,
    });
    return ok(201, 'requestedOrderRefundSuccessfully', { is_data: false, data: null });
  };

  status: Handler = (uuid) => {
    const order = this.lookup(uuid, null);
    if (!order) {
      const notFound = reject('orderNotFound');
      return { ...notFound, body: { ...(notFound.body as object), message: this.settings.statusNotFoundMessage } };
    }
    return ok(200, 'Order Status Retrieved Successfully', {
      is_data: true,
      data: statusView(this.state, order, this.config.frontpayment),
    });
  };

  statusList: Handler = (_uuid, ctx) => {
    const type = ctx.url.searchParams.get('type');
    const data = [...this.state.orders.values()]
      .filter((o) => o.kind !== 'reservation' && (!type || o.status === type))
      .map((o) => ({ uuid: o.uuid, status: o.status }));
    return ok(200, 'Order Status Retrieved Successfully', { is_data: true, data });
  };

  details =
    (reservation: boolean): Handler =>
    (uuid) => {
      const order = this.lookup(uuid, reservation);
      if (!order) return reject('orderNotFound');
      if (reservation) {
        return ok(200, 'reservationRetrievedSuccessfully', {
          is_data: true,
          data: reservationDetailsView(this.state, order, this.config.frontpayment),
        });
      }
      const organization = this.config.dataset.merchants.frontpayment?.organizationUuid ?? null;
      return ok(200, 'orderRetrievedSuccessfully', {
        is_data: true,
        data: orderDetailsView(this.state, order, organization, this.config.frontpayment),
      });
    };

  /**
   * Capture / charge (§3, §11.7), for seeding movements. [ASSUME] body `{amount}` in NOK; a
   * capture without one takes what is left of the reservation.
   */
  movement =
    (source: 'captured' | 'charged'): Handler =>
    (uuid, ctx) => {
      const order = this.lookup(uuid, true);
      if (!order) return reject('orderNotFound');
      const body = parseJson(ctx.rawBody) as { amount?: unknown } | null;
      const captured = order.movements.filter((m) => m.source === 'captured').reduce((sum, m) => sum + m.amountMinor, 0);
      const left = this.state.grossMinor(order) - captured;
      const amountMinor = body?.amount === undefined && source === 'captured' ? left : parseAmount(body?.amount);
      if (amountMinor === null || amountMinor <= 0 || (source === 'captured' && amountMinor > left)) {
        return {
          status: 417,
          body: fpError(417, 'payloadValidationErrors', { is_error: true, errors: { amount: ['The amount field is invalid.'] } }),
        };
      }
      const prefix = source === 'captured' ? 'CAP' : 'CHA';
      const movementUuid = `${prefix}${String(Date.now()).slice(-7)}${this.state.nextSeq()}`;
      order.movements.push({ uuid: movementUuid, source, amountMinor, at: new Date() });
      order.paidMinor += amountMinor;
      order.status = source === 'captured' ? 'CAPTURED' : 'CHARGED';
      this.notify(order, amountMinor);
      const message = source === 'captured' ? 'reservationCapturedSuccessfully' : 'reservationChargedSuccessfully';
      return ok(202, message, { is_data: true, data: { uuid: movementUuid } });
    };

  record(order: FpOrder, parsed: ParsedRefund, body: unknown, via: FpRefund['via'], state: FpRefund['state']): FpRefund {
    const now = new Date();
    const refund: FpRefund = {
      seq: this.state.nextSeq(),
      orderUuid: order.uuid,
      via,
      state,
      totalMinor: total(parsed),
      lines: parsed.products,
      source: parsed.source,
      reference: parsed.reference,
      body,
      acceptedAt: now,
      settledAt: state === 'applied' ? now : null,
    };
    this.state.refunds.push(refund);
    if (state === 'applied') this.applied(order, refund);
    return refund;
  }

  /** A refund's money has moved: the order's status follows, and a callback goes out if refund callbacks are on. */
  applied(order: FpOrder, refund: FpRefund) {
    order.status = this.state.statusAfterRefund(order, this.config.frontpayment.partialRefundStatus);
    if (this.config.frontpayment.refundCallbacks) this.notify(order, refund.totalMinor);
  }

  /** Settles one pending refund: applied, or (settleOutcome 'not_applied') silently dropped. */
  settle(refund: FpRefund): boolean {
    if (refund.state !== 'pending') return false;
    refund.settledAt = new Date();
    if (this.config.frontpayment.settleOutcome === 'not_applied') {
      refund.state = 'dropped';
      return true;
    }
    refund.state = 'applied';
    const order = this.state.orders.get(refund.orderUuid);
    if (order) this.applied(order, refund);
    return true;
  }

  async settleAll() {
    let settled = 0;
    for (const refund of this.state.refunds) if (this.settle(refund)) settled += 1;
    return settled;
  }

  /** §8: a checksummed GET to the app's callback route, if the sandbox knows the app's URL. */
  notify(order: FpOrder, amountMinor: number) {
    const appUrl = this.config.appUrl;
    if (!appUrl) return;
    const { callbackSecret, checksum } = this.config.frontpayment;
    const params = callbackParams(
      { orderUuid: order.uuid, status: order.status, createdAt: new Date(), paymentMethod: order.paymentMethod, amountMinor },
      { secret: callbackSecret, checksum, staleByMs: this.config.webhooks.staleByMs },
    );
    this.deps.webhooks.send({ group: order.uuid, final: true, method: 'GET', url: callbackUrl(appUrl, params) });
  }

  control(ctx: RequestContext, subpath: string) {
    return frontpaymentControl(this, ctx, subpath);
  }
}

function parseJson(raw: string): unknown {
  try {
    return raw ? JSON.parse(raw) : {};
  } catch {
    // Laravel reads an unparseable JSON body as no input at all: the rules then report it.
    return {};
  }
}

const isReply = (value: FpReply | ParsedRefund): value is FpReply => 'status' in value && 'body' in value;
const total = (parsed: ParsedRefund) => parsed.products.reduce((sum, p) => sum + p.amountMinor, 0);

export const frontpaymentModule: ModuleFactory = (deps) => new FpModule(deps);
