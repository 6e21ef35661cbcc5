import 'server-only';
import { formatMoney, parseDecimal, toDecimalNumber } from '@/lib/money';
import { httpCall, type HttpOutcome } from '../http';
import type { ApprovalRequestResult, Exchange, ProviderClient, RefundRequest, StatusRead, SubmitResult } from '../types';
import { describeFrontpaymentError, normalizeKey } from './errors';
import {
  isSyntheticLineId,
  isSyntheticPaymentRef,
  object,
  orderFromDetails,
  orderFromReservation,
  ResponseShapeError,
  statusRefunded,
} from './orders';
import { frontpaymentProfile } from './profile';
import { DEFAULT_CHECKSUM, type ChecksumFormula } from './checksum';
import { DEFAULT_CALLBACK_TOLERANCE_MS, parseCallback, verifyCallback } from './webhook';

/**
 * Frontpayment ("FPGO Connect") client, after shared/providers/frontpayment.md. A static bearer
 * token; NOK amounts as JSON numbers converted exactly; the envelope's `message` key is the
 * error code. Frontpayment has no idempotency key (§9), so a refund POST is never re-sent here:
 * anything but a clear answer is `unknown`, and the caller reconciles through the order status.
 */

export interface FrontpaymentClientConfig {
  /** e.g. https://apigo.frontpayment.no/api/v1, or the sandbox's http://127.0.0.1:4010/api/v1 */
  baseUrl: string;
  token: string;
  callbackSecret: string;
  /** Callback checksum formula (errata 3; default: every parameter in the order received). */
  checksum?: ChecksumFormula;
  /** Older spelling: a fixed field list, the same as `checksum: {kind: 'fields', fields}`. */
  checksumFields?: string[];
  /** How old a callback's `timestamp` may be (default 5 minutes). */
  callbackToleranceMs?: number;
  timeoutMs?: number;
  now?: () => Date;
  fetchImpl?: typeof fetch;
}

/** The operation label of a call's metrics (lib/observability/metrics.ts). */
type FrontpaymentOperation = 'refund' | 'request_approval' | 'read_status' | 'read_order' | 'ping';

interface Envelope {
  status_code?: number;
  message?: unknown;
  data?: unknown;
  errors?: unknown;
}

export function createFrontpaymentClient(config: FrontpaymentClientConfig): ProviderClient {
  const base = config.baseUrl.replace(/\/+$/, '');
  const timeoutMs = config.timeoutMs ?? 10_000;
  const now = config.now ?? (() => new Date());
  const checksum: ChecksumFormula =
    config.checksum ?? (config.checksumFields ? { kind: 'fields', fields: config.checksumFields } : DEFAULT_CHECKSUM);
  const describe = describeFrontpaymentError;

  const call = (operation: FrontpaymentOperation, method: 'GET' | 'POST', path: string, body?: unknown) =>
    httpCall(
      {
        method,
        url: `${base}${path}`,
        headers: { authorization: `Bearer ${config.token}` },
        body,
        timeoutMs,
        metric: { provider: 'frontpayment', operation },
      },
      config.fetchImpl,
    );

  const isReservation = (request: RefundRequest) => request.kind === 'reservation';
  /** A reservation refunds from one capture or charge (§4): `source` is which, `reference` its ref. */
  const source = (request: RefundRequest) =>
    isReservation(request) && request.payment ? { source: request.payment.tender, reference: request.payment.ref } : null;

  function refundBody(request: RefundRequest) {
    return {
      type: request.kind,
      grandTotal: toDecimalNumber(request.totalMinor, 'NOK'),
      // `id` is the numeric order-line id (§4); a non-numeric one becomes null and Frontpayment's 417 says so.
      products: request.lines.map((line) => ({
        id: Number(line.providerLineId),
        amount: toDecimalNumber(line.amountMinor, 'NOK'),
      })),
      source: source(request)?.source ?? null,
      reference: source(request)?.reference ?? null,
    };
  }

  /**
   * Why a request cannot be sent at all, before any HTTP call: Frontpayment takes NOK only; its
   * refunds name lines by their numeric id, which an order imported without ids does not have
   * (`line-<n>`, errata 1); a reservation refund names the capture / charge uuid, which a payment
   * history without uuids does not give (errata 5).
   */
  function localRefusal(request: RefundRequest): string | null {
    if (request.currency.toUpperCase() !== 'NOK') return 'currencyNotSupported';
    if (request.lines.some((line) => isSyntheticLineId(line.providerLineId))) return 'lineIdsUnknown';
    if (request.payment && isSyntheticPaymentRef(request.payment.ref)) return 'paymentReferenceUnknown';
    return null;
  }

  function localRejection(request: RefundRequest, url: string): SubmitResult | null {
    const code = localRefusal(request);
    if (!code) return null;
    const exchange: Exchange = { method: 'POST', url, requestBody: null, status: null, responseBody: null, durationMs: 0 };
    return { kind: 'rejected', code, message: describe(code).message, retryable: false, exchange };
  }

  async function submitRefund(request: RefundRequest): Promise<SubmitResult> {
    const path = `/connect/${isReservation(request) ? 'reservations' : 'orders'}/refund/${encodeURIComponent(request.providerRef)}`;
    const refused = localRejection(request, `${base}${path}`);
    if (refused) return refused;
    const outcome = await call('refund', 'POST', path, refundBody(request));
    if (outcome.kind === 'timeout') {
      return { kind: 'unknown', reason: 'timeout', detail: `No answer within ${timeoutMs} ms`, exchange: outcome.exchange };
    }
    if (outcome.kind === 'network')
      return { kind: 'unknown', reason: 'network', detail: outcome.error, exchange: outcome.exchange };
    const { status, exchange } = outcome;
    // 202 orderRefundedSuccessfully: accepted for asynchronous processing; no refund object exists (§3).
    if (status >= 200 && status < 300) return { kind: 'accepted', refunds: [], exchange };
    const code = codeOf(outcome);
    if (status >= 400 && status < 500) {
      const fieldErrors = fieldErrorsOf(outcome.body, request);
      return {
        kind: 'rejected',
        code,
        message: describe(code).message,
        ...(fieldErrors ? { fieldErrors } : {}),
        retryable: status === 429,
        exchange,
      };
    }
    // 510 (or any 5xx): the refund may have been applied. Never re-sent: reconcile instead.
    return { kind: 'unknown', reason: 'server_error', detail: `HTTP ${status} ${code}`, exchange };
  }

  /**
   * Asks Frontpayment to approve a refund it refused (§5 Request Refund Approval). `rejectionKey`
   * is the key the refund call returned; Frontpayment asks for it in `message`. A repeat while one
   * is pending is refused with `orderRefundRequestAlreadySubmitted`, so a retry is harmless.
   */
  async function requestApproval(request: RefundRequest, rejectionKey: string): Promise<ApprovalRequestResult> {
    const path = `/orders/refund/request/approval/${encodeURIComponent(request.providerRef)}`;
    const refused = localRejection(request, `${base}${path}`);
    if (refused?.kind === 'rejected')
      return { ok: false, code: refused.code, message: refused.message, exchange: refused.exchange };
    const outcome = await call('request_approval', 'POST', path, {
      ...refundBody(request),
      message: rejectionKey,
    });
    if (outcome.kind === 'response' && outcome.status >= 200 && outcome.status < 300)
      return { ok: true, exchange: outcome.exchange };
    const code = outcome.kind === 'response' ? codeOf(outcome) : outcome.kind;
    return { ok: false, code, message: describe(code).message, exchange: outcome.exchange };
  }

  /** GET a read endpoint's `data`, or an error code. */
  async function read(
    operation: FrontpaymentOperation,
    path: string,
  ): Promise<{ ok: true; data: unknown; exchange: Exchange } | { ok: false; code: string; exchange: Exchange }> {
    const outcome = await call(operation, 'GET', path);
    if (outcome.kind !== 'response') return { ok: false, code: outcome.kind, exchange: outcome.exchange };
    if (outcome.status !== 200) return { ok: false, code: codeOf(outcome), exchange: outcome.exchange };
    const body = outcome.body as Envelope | null;
    if (!body || typeof body !== 'object' || body.data === undefined)
      return { ok: false, code: 'unexpectedResponse', exchange: outcome.exchange };
    return { ok: true, data: body.data, exchange: outcome.exchange };
  }

  const statusPath = (ref: string) => `/connect/orders/status/${encodeURIComponent(ref)}`;

  return {
    profile: frontpaymentProfile,
    submitRefund,
    requestApproval,

    async readStatus(providerRef): Promise<StatusRead> {
      const result = await read('read_status', statusPath(providerRef));
      if (!result.ok) return { ok: false, code: result.code, message: describe(result.code).message, exchange: result.exchange };
      try {
        const data = object(result.data, 'order status');
        // No refund objects at Frontpayment (§3): the order's refundedAmount is all there is, and
        // older revisions answer {uuid, status} without it (errata 2): null, not a failed read.
        return { ok: true, refunds: [], refundedMinor: statusRefunded(data), exchange: result.exchange };
      } catch {
        return {
          ok: false,
          code: 'unexpectedResponse',
          message: describe('unexpectedResponse').message,
          exchange: result.exchange,
        };
      }
    },

    async getOrder(providerRef) {
      const fail = (code: string) => ({ ok: false as const, code, message: describe(code).message });
      try {
        if (/^RES/i.test(providerRef)) {
          const details = await read('read_order', `/connect/reservations/details/${encodeURIComponent(providerRef)}`);
          if (!details.ok) return fail(details.code);
          return { ok: true, order: orderFromReservation(providerRef, details.data) };
        }
        const [details, status] = await Promise.all([
          read('read_order', `/connect/orders/details/${encodeURIComponent(providerRef)}`),
          read('read_status', statusPath(providerRef)),
        ]);
        if (!details.ok) return fail(details.code);
        if (!status.ok) return fail(status.code);
        return { ok: true, order: orderFromDetails(providerRef, details.data, status.data) };
      } catch (error) {
        if (error instanceof ResponseShapeError) return fail('unexpectedResponse');
        throw error;
      }
    },

    verifyWebhook({ url, now: at }) {
      return verifyCallback(url, {
        secret: config.callbackSecret,
        checksum,
        toleranceMs: config.callbackToleranceMs ?? DEFAULT_CALLBACK_TOLERANCE_MS,
        now: at ?? now(),
      });
    },

    parseWebhook({ url }) {
      return parseCallback(url);
    },

    async ping() {
      const started = Date.now();
      const outcome = await call('ping', 'GET', '/connect/orders/status?type=PAID');
      const latencyMs = Date.now() - started;
      if (outcome.kind !== 'response')
        return { ok: false, latencyMs, detail: outcome.kind === 'timeout' ? 'timeout' : outcome.error, code: outcome.kind };
      if (outcome.status === 401)
        return { ok: false, latencyMs, detail: 'token refused (401)', code: 'Unauthenticated', status: 401 };
      if (outcome.status >= 500) return { ok: false, latencyMs, detail: `HTTP ${outcome.status}` };
      return { ok: true, latencyMs };
    },
  };
}

/** The error key of an answer: the envelope's `message` (canonical spelling), else one from the status. */
function codeOf(outcome: Extract<HttpOutcome, { kind: 'response' }>): string {
  const body = outcome.body as Envelope | null;
  if (body && typeof body === 'object' && typeof body.message === 'string' && body.message) return normalizeKey(body.message);
  if (outcome.status === 401) return 'Unauthenticated';
  if (outcome.status === 429) return 'tooManyRequests';
  return `http_${outcome.status}`;
}

/**
 * Field errors to show next to the fields: a 417's Laravel map as is (`products.0.amount`), and
 * `refundRejectionForProductAmountExceed`'s list of lines mapped to the same `products.N.amount`
 * keys (N = the line's position in the request).
 */
function fieldErrorsOf(body: unknown, request: RefundRequest): Record<string, string[]> | undefined {
  const errors = body && typeof body === 'object' ? (body as Envelope).errors : undefined;
  const out: Record<string, string[]> = {};
  if (Array.isArray(errors)) {
    for (const entry of errors) {
      if (!entry || typeof entry !== 'object') continue;
      const { id, refundableAmount } = entry as { id?: unknown; refundableAmount?: unknown };
      const index = request.lines.findIndex((line) => Number(line.providerLineId) === Number(id));
      if (index < 0) continue;
      let left = '';
      try {
        if (typeof refundableAmount === 'number' || typeof refundableAmount === 'string') {
          left = ` At most ${formatMoney(parseDecimal(refundableAmount, 'NOK'), 'NOK')} is left to refund on it.`;
        }
      } catch {
        left = '';
      }
      (out[`products.${index}.amount`] ??= []).push(`More than what is left to refund on this product.${left}`);
    }
  } else if (errors && typeof errors === 'object') {
    for (const [field, messages] of Object.entries(errors)) {
      const list = (Array.isArray(messages) ? messages : [messages]).filter((m): m is string => typeof m === 'string');
      if (list.length) out[field] = list;
    }
  }
  return Object.keys(out).length ? out : undefined;
}
