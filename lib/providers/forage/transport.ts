import type { z } from 'zod';
import { httpCall, type HttpOutcome } from '../http';
import type { Exchange } from '../types';
import { describeForageError, errorCodeOf, errorDetailOf } from './errors';
import { ForageTokenCache, type TokenResult } from './token';

/**
 * How the Forage client talks to Forage: every call carries a cached OAuth token and the
 * `Merchant-Account` / `API-Version` headers (forage.md §3); a refused token is replaced once;
 * 5xx, timeouts and dropped connections are retried with exponential backoff.
 */

export interface TransportConfig {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  merchantAccount: string;
  apiVersion: string;
  timeoutMs: number;
  tokenTimeoutMs: number;
  tokenExpirationSeconds: number;
  maxRetries: number;
  retryBaseDelayMs: number;
  now: () => Date;
  fetchImpl?: typeof fetch;
}

/** The operation label of a call's metrics (lib/observability/metrics.ts); the token request is `token`. */
export type ForageOperation = 'refund' | 'read_order' | 'read_refunds' | 'read_payments' | 'read_payment' | 'ping';

type TokenFailure = Extract<TokenResult, { ok: false }>;
/** An HTTP outcome, or the token request failing before anything was sent. */
export type CallOutcome = HttpOutcome | { kind: 'token'; failure: TokenFailure };
/** An outcome a retry may change, described as an unknown outcome would be. */
export type Ambiguous = { reason: 'timeout' | 'network' | 'server_error'; detail: string; exchange: Exchange };
export type Read<T> =
  { ok: true; body: T; exchange: Exchange } | { ok: false; code: string; message: string; exchange: Exchange };

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const TOKEN_CODES = new Set(['invalid_token', 'expired_token_signature', 'expired_session_token', 'bad_signature']);

export const parseWith =
  <T>(schema: z.ZodType<T>) =>
  (body: unknown): T | null => {
    const parsed = schema.safeParse(body);
    return parsed.success ? parsed.data : null;
  };

export function createTransport(config: TransportConfig) {
  const tokens = new ForageTokenCache({
    url: `${config.baseUrl}/o/token/`,
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    expiration: config.tokenExpirationSeconds,
    timeoutMs: config.tokenTimeoutMs,
    now: config.now,
    fetchImpl: config.fetchImpl,
  });

  /** Forage refused the token itself (expired, revoked): worth one retry with a fresh one. */
  function tokenRefused(outcome: HttpOutcome): boolean {
    if (outcome.kind !== 'response') return false;
    if (outcome.status === 401) return true;
    if (outcome.status !== 403) return false;
    const code = errorCodeOf(outcome.status, outcome.body);
    return TOKEN_CODES.has(code) || /token|credential|authenticat/i.test(errorDetailOf(outcome.body) ?? '');
  }

  /** One authenticated call; a refused token is replaced and the call sent once more. */
  async function call(
    operation: ForageOperation,
    method: 'GET' | 'POST',
    path: string,
    options: { body?: unknown; idempotencyKey?: string } = {},
  ): Promise<CallOutcome> {
    for (let attempt = 0; ; attempt++) {
      const token = await tokens.get();
      if (!token.ok) return { kind: 'token', failure: token };
      const outcome = await httpCall(
        {
          method,
          url: `${config.baseUrl}${path}`,
          headers: {
            Authorization: `Bearer ${token.token}`,
            'Merchant-Account': config.merchantAccount,
            'API-Version': config.apiVersion,
            ...(options.idempotencyKey ? { 'Idempotency-Key': options.idempotencyKey } : {}),
          },
          body: options.body,
          timeoutMs: config.timeoutMs,
          metric: { provider: 'forage', operation },
        },
        config.fetchImpl,
      );
      if (attempt > 0 || !tokenRefused(outcome)) return outcome;
      tokens.invalidate(token.token);
    }
  }

  /** Whether a retry may change this outcome, and how to report it if it does not. */
  function ambiguous(outcome: CallOutcome): Ambiguous | null {
    switch (outcome.kind) {
      case 'token':
        return outcome.failure.retryable ? outcome.failure : null;
      case 'timeout':
        return { reason: 'timeout', detail: `Forage did not answer within ${config.timeoutMs} ms.`, exchange: outcome.exchange };
      case 'network':
        return { reason: 'network', detail: outcome.error, exchange: outcome.exchange };
      case 'response':
        if (outcome.status < 500) return null;
        return {
          reason: 'server_error',
          detail: `HTTP ${outcome.status}: ${errorDetailOf(outcome.body) ?? 'no detail'}`,
          exchange: outcome.exchange,
        };
    }
  }

  /**
   * Sends until the answer is one a retry cannot change, retries run out, or the next try would
   * come after `deadline` (when Forage forgets the Idempotency-Key). Backoff doubles each time.
   */
  async function withRetries(send: () => Promise<CallOutcome>, deadline = Number.POSITIVE_INFINITY) {
    for (let attempt = 0; ; attempt++) {
      const outcome = await send();
      const delay = config.retryBaseDelayMs * 2 ** attempt;
      if (!ambiguous(outcome) || attempt >= config.maxRetries || config.now().getTime() + delay >= deadline) return outcome;
      await sleep(delay);
    }
  }

  /** A GET (safe to retry), parsed; any failure becomes a code and an agent's sentence. */
  async function read<T>(operation: ForageOperation, path: string, parse: (body: unknown) => T | null): Promise<Read<T>> {
    const outcome = await withRetries(() => call(operation, 'GET', path));
    if (outcome.kind === 'token') {
      const { code, exchange } = outcome.failure;
      return { ok: false, code, message: describeForageError(code).message, exchange };
    }
    if (outcome.kind !== 'response') {
      return { ok: false, code: outcome.kind, message: describeForageError(outcome.kind).message, exchange: outcome.exchange };
    }
    const code = outcome.status === 200 ? null : errorCodeOf(outcome.status, outcome.body);
    let body: T | null = null;
    try {
      body = code ? null : parse(outcome.body);
    } catch {
      body = null; // an amount that is not a decimal (MoneyError)
    }
    if (body === null) {
      const failed = code ?? 'unexpected_response';
      return { ok: false, code: failed, message: describeForageError(failed).message, exchange: outcome.exchange };
    }
    return { ok: true, body, exchange: outcome.exchange };
  }

  return { call, ambiguous, withRetries, read };
}
