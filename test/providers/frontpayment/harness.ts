import { SANDBOX_CREDENTIALS } from '@/sandbox/config';
import type { FaultRule } from '@/sandbox/types';
import type { ProviderClient, RefundRequest } from '@/lib/providers/types';
import { createFrontpaymentClient, type FrontpaymentClientConfig } from '@/lib/providers/frontpayment/client';

/**
 * What the Frontpayment contract checks need: the sandbox's URL (in this process or another one),
 * a real client against it, and the sandbox's control API. Shared by the in-process and the
 * separate-process test files.
 */

export const FP = SANDBOX_CREDENTIALS.frontpayment;

export interface Harness {
  url: string;
  client(overrides?: Partial<FrontpaymentClientConfig>): ProviderClient;
  control: Control;
}

export function harness(url: string): Harness {
  return {
    url,
    client: (overrides = {}) =>
      createFrontpaymentClient({
        baseUrl: `${url}/api/v1`,
        token: FP.token,
        callbackSecret: FP.callbackSecret,
        timeoutMs: 5000,
        ...overrides,
      }),
    control: new Control(url),
  };
}

export interface SandboxOrderView {
  uuid: string;
  status: string;
  paidMinor: number;
  refundedMinor: number;
  pendingMinor: number;
  refunds: {
    state: 'pending' | 'applied' | 'dropped';
    via: string;
    totalMinor: number;
    reference: string | null;
    body: unknown;
  }[];
  approvals: { state: string; message: string }[];
}

export class Control {
  constructor(readonly url: string) {}

  async call<T = Record<string, unknown>>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.url}/__control/${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await response.json()) as T;
    if (!response.ok) throw new Error(`control ${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
    return json;
  }

  reset() {
    return this.call('POST', 'reset');
  }
  fault(rule: Omit<FaultRule, 'provider'>) {
    return this.call('POST', 'faults', { provider: 'frontpayment', ...rule });
  }
  async settle() {
    return (await this.call<{ settled: number }>('POST', 'settle', { provider: 'frontpayment' })).settled;
  }
  config(patch: Record<string, unknown>) {
    return this.call('POST', 'config', patch);
  }
  async requests(method?: string) {
    const { requests } = await this.call<{ requests: { provider: string; operation: string; method: string; path: string }[] }>(
      'GET',
      'requests',
    );
    return requests.filter((r) => r.provider === 'frontpayment' && (!method || r.method === method));
  }
  order(uuid: string) {
    return this.call<SandboxOrderView>('GET', `frontpayment/orders/${uuid}`);
  }
  setStatus(uuid: string, status: string) {
    return this.call<SandboxOrderView>('POST', `frontpayment/orders/${uuid}/status`, { status });
  }
  createOrder(order: Record<string, unknown>) {
    return this.call<SandboxOrderView>('POST', 'frontpayment/orders', order);
  }
  decide(uuid: string, decision: 'approve' | 'reject') {
    return this.call('POST', `frontpayment/approvals/${uuid}`, { decision });
  }
  settings(patch: Record<string, unknown>) {
    return this.call('POST', 'frontpayment/settings', patch);
  }
  async webhooks() {
    return (await this.call<{ deliveries: { url: string; method: string; status: number | null }[] }>('GET', 'webhooks'))
      .deliveries;
  }
}

let counter = 0;

/** A refund request as the app builds it: lines are [order-line id, amount in øre]. */
export function refundRequest(providerRef: string, lines: [string, number][], extra: Partial<RefundRequest> = {}): RefundRequest {
  counter += 1;
  return {
    refundId: `00000000-0000-4000-8000-${String(counter).padStart(12, '0')}`,
    idempotencyKey: `test-${counter}`,
    providerRef,
    kind: providerRef.startsWith('RES') ? 'reservation' : 'regular',
    currency: 'NOK',
    totalMinor: lines.reduce((sum, [, amount]) => sum + amount, 0),
    lines: lines.map(([providerLineId, amountMinor]) => ({ providerLineId, quantity: 1, amountMinor })),
    reason: 'damaged',
    mode: 'amount',
    payment: null,
    ...extra,
  };
}

/** A raw call to Frontpayment's API, for asserting the envelope and headers themselves. */
export async function rawCall(h: Harness, method: 'GET' | 'POST', path: string, body?: unknown, token: string | null = FP.token) {
  const response = await fetch(`${h.url}/api/v1${path}`, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(token === null ? {} : { authorization: `Bearer ${token}` }),
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> };
}

export type Check = (h: Harness) => Promise<void>;

/** The fields of a reservation refund from one capture or charge, for refundRequest's `extra`. */
export const fromMovement = (source: 'captured' | 'charged', reference: string) => ({
  kind: 'reservation' as const,
  mode: 'amount' as const,
  payment: { ref: reference, tender: source },
});
