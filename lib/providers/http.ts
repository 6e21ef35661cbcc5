import { observeProviderCall, type ProviderCallOutcome } from '@/lib/observability/metrics';
import type { Exchange } from './types';

export type HttpOutcome =
  | { kind: 'response'; status: number; headers: Headers; body: unknown; text: string; exchange: Exchange }
  | { kind: 'timeout'; exchange: Exchange }
  | { kind: 'network'; error: string; exchange: Exchange };

export interface HttpRequest {
  method: 'GET' | 'POST';
  url: string;
  headers?: Record<string, string>;
  /** Sent as JSON unless `form` is set. */
  body?: unknown;
  form?: Record<string, string>;
  timeoutMs: number;
  /** What the exchange record shows of the request body (e.g. nothing for a token request). */
  recordBody?: unknown;
  /**
   * Which provider and operation this is, for the call counters and latency histogram
   * (refund_desk_provider_call*). A small fixed set of names: never an id or a URL. Calls without
   * it (the providers:check command, test clients) are not counted.
   */
  metric?: { provider: string; operation: string };
}

function outcomeLabel(outcome: HttpOutcome): ProviderCallOutcome {
  if (outcome.kind === 'timeout') return 'timeout';
  if (outcome.kind === 'network') return 'network_error';
  if (outcome.status >= 500) return 'server_error';
  if (outcome.status >= 400) return 'client_error';
  return 'success';
}

/**
 * One HTTP call with an explicit timeout, classified the way refunds need it: a response (any
 * status), a timeout, or a network failure (refused, reset, dropped). Never throws. The exchange
 * it returns holds no headers, so no credential can leak into the database or the timeline.
 */
export async function httpCall(request: HttpRequest, fetchImpl: typeof fetch = fetch): Promise<HttpOutcome> {
  const outcome = await send(request, fetchImpl);
  if (request.metric) observeProviderCall(request.metric, outcomeLabel(outcome), outcome.exchange.durationMs);
  return outcome;
}

async function send(request: HttpRequest, fetchImpl: typeof fetch): Promise<HttpOutcome> {
  const started = Date.now();
  const requestBody = request.form
    ? new URLSearchParams(request.form).toString()
    : request.body === undefined
      ? undefined
      : JSON.stringify(request.body);
  const exchange = (status: number | null, responseBody: unknown): Exchange => ({
    method: request.method,
    url: request.url,
    requestBody: request.recordBody !== undefined ? request.recordBody : (request.body ?? null),
    status,
    responseBody,
    durationMs: Date.now() - started,
  });
  try {
    const response = await fetchImpl(request.url, {
      method: request.method,
      headers: {
        accept: 'application/json',
        ...(requestBody !== undefined
          ? { 'content-type': request.form ? 'application/x-www-form-urlencoded' : 'application/json' }
          : {}),
        ...request.headers,
      },
      body: requestBody,
      signal: AbortSignal.timeout(request.timeoutMs),
    });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      // Not JSON (an HTML error page from a proxy, say): keep the text.
    }
    return {
      kind: 'response',
      status: response.status,
      headers: response.headers,
      body,
      text,
      exchange: exchange(response.status, body),
    };
  } catch (error) {
    const name = error instanceof Error ? error.name : '';
    if (name === 'TimeoutError' || name === 'AbortError') return { kind: 'timeout', exchange: exchange(null, null) };
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : '';
    return {
      kind: 'network',
      error: [error instanceof Error ? error.message : String(error), cause].filter(Boolean).join(': '),
      exchange: exchange(null, null),
    };
  }
}
