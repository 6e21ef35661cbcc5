import { randomUUID } from 'node:crypto';
import { SANDBOX_CREDENTIALS } from '@/sandbox/config';
import type { FaultRule } from '@/sandbox/types';
import type { Tender } from '@/db/schema/enums';
import type { RefundRequest } from '@/lib/providers/types';
import { createForageClient, type ForageClientConfig } from '@/lib/providers/forage/client';

/**
 * Test plumbing shared by the in-process and the separate-process contract tests: the sandbox's
 * control API, raw HTTP against it, and a client configured for fast tests.
 */

export interface Harness {
  baseUrl: string;
  control: Control;
}

export type Control = ReturnType<typeof controlFor>;

export interface SandboxRefund {
  ref: string;
  payment: string;
  funding_type: string;
  amount: string;
  status: string;
  receipt: Record<string, unknown> | null;
  last_processing_error: string | null;
}

export function controlFor(baseUrl: string) {
  async function request<T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${baseUrl}/__control/${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`control ${method} ${path}: HTTP ${response.status}`);
    return (await response.json()) as T;
  }
  return {
    reset: () => request('POST', 'reset'),
    fault: (rule: Omit<FaultRule, 'provider'>) => request('POST', 'faults', { provider: 'forage', ...rule }),
    clearFaults: () => request('DELETE', 'faults'),
    settle: () => request<{ settled: number }>('POST', 'settle', { provider: 'forage' }),
    config: (patch: Record<string, unknown>) => request('POST', 'config', patch),
    stats: () => request<{ tokenRequests: number; activeTokens: number; refunds: number }>('GET', 'forage/stats'),
    expireTokens: () => request('POST', 'forage/expire-tokens'),
    nextOutcome: (outcome: { outcome: 'failed' | 'succeeded'; error?: string; voided?: boolean; count?: number }) =>
      request('POST', 'forage/next-outcome', outcome),
    options: (options: Record<string, unknown>) => request('POST', 'forage/options', options),
    refundsAt: (orderRef: string) =>
      request<{ refunds: SandboxRefund[] }>('GET', `forage/orders/${orderRef}/refunds`).then((b) => b.refunds),
    requests: (operation?: string) =>
      request<{ requests: { provider: string; operation: string; path: string }[] }>('GET', 'requests').then((b) =>
        b.requests.filter((r) => r.provider === 'forage' && (!operation || r.operation === operation)),
      ),
  };
}

export const harnessFor = (baseUrl: string): Harness => ({ baseUrl, control: controlFor(baseUrl) });

export function clientFor(h: Harness, overrides: Partial<ForageClientConfig> = {}) {
  return createForageClient({
    baseUrl: h.baseUrl,
    ...SANDBOX_CREDENTIALS.forage,
    timeoutMs: 3000,
    retryBaseDelayMs: 10,
    ...overrides,
  });
}

/** A token straight from /o/token/, for raw requests. */
export async function rawToken(h: Harness): Promise<string> {
  const { clientId, clientSecret } = SANDBOX_CREDENTIALS.forage;
  const response = await fetch(`${h.baseUrl}/o/token/`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: 'grant_type=client_credentials',
  });
  return ((await response.json()) as { access_token: string }).access_token;
}

/** A raw request with the usual headers unless overridden (null removes one). */
export async function raw(
  h: Harness,
  method: 'GET' | 'POST',
  path: string,
  options: { body?: unknown; rawBody?: string; headers?: Record<string, string | null>; token?: string } = {},
) {
  const headers: Record<string, string | null> = {
    authorization: `Bearer ${options.token ?? (await rawToken(h))}`,
    'merchant-account': SANDBOX_CREDENTIALS.forage.merchantAccount,
    'content-type': 'application/json',
    ...(method === 'POST' ? { 'idempotency-key': `raw${Math.random().toString(36).slice(2)}` } : {}),
    ...options.headers,
  };
  const response = await fetch(`${h.baseUrl}${path}`, {
    method,
    headers: Object.fromEntries(Object.entries(headers).filter((e): e is [string, string] => e[1] !== null)),
    body: options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
  });
  const text = await response.text();
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return {
    status: response.status,
    text,
    body: body as Record<string, unknown> & { errors?: { code: string; message: string; source: { resource: string } }[] },
  };
}

/** Demo fixtures (demo/README.md "Fixed records"). */
export const RD100002 = {
  ref: 'fg8d9e0f1a',
  snapPayment: 'sn8d9e0f1a',
  cardPayment: 'cc8d9e0f1a',
  milk: '0412345000018',
  eggs: '0412345000032',
  bread: '0412345000049',
  towels: '0412345000407',
} as const;

/**
 * A refund request for RD-100002 (one SNAP line, one card line) with a fresh id and key: by
 * product (`mode: 'units'`, no payment) unless overridden, e.g. with `amountFrom(...)`.
 */
export function refundRequest(overrides: Partial<RefundRequest> = {}): RefundRequest {
  const refundId = randomUUID();
  return {
    refundId,
    idempotencyKey: `${refundId}-1`,
    providerRef: RD100002.ref,
    kind: 'forage',
    currency: 'USD',
    totalMinor: 399 + 1199,
    lines: [
      { providerLineId: RD100002.eggs, quantity: 1, amountMinor: 399 },
      { providerLineId: RD100002.towels, quantity: 1, amountMinor: 1199 },
    ],
    reason: 'damaged',
    metadata: { refund_id: refundId },
    mode: 'units',
    payment: null,
    ...overrides,
  };
}

/** The fields of an amount refund (a price adjustment) from one payment, for refundRequest's overrides. */
export const amountFrom = (ref: string, tender: Tender) => ({ mode: 'amount' as const, payment: { ref, tender } });
