import { httpCall } from '@/lib/providers/http';
import type { ProviderClient, ProviderRefundInfo, SubmitResult } from '@/lib/providers/types';
import { fakepayProfile } from './profile';

interface FakeRefund {
  ref: string;
  refund_id: string;
  payment: string;
  amount_minor: number;
  status: 'pending' | 'succeeded' | 'failed';
}

const toInfo = (r: FakeRefund): ProviderRefundInfo => ({
  ref: r.ref,
  ourRefundId: r.refund_id,
  paymentRef: r.payment,
  tender: null,
  amountMinor: r.amount_minor,
  status: r.status === 'pending' ? 'processing' : r.status,
  lastError: null,
  updatedAt: null,
  raw: r,
});

/** Fakepay's client: its answers become the app's own types here, and nowhere else. */
export function createFakepayClient(baseUrl: string, timeoutMs = 400): ProviderClient {
  const call = (method: 'GET' | 'POST', path: string, body?: unknown, key?: string) =>
    httpCall({ method, url: `${baseUrl}/fakepay${path}`, body, timeoutMs, headers: key ? { 'idempotency-key': key } : {} });

  return {
    profile: fakepayProfile,

    async getOrder(providerRef) {
      const outcome = await call('GET', `/orders/${providerRef}`);
      if (outcome.kind !== 'response' || outcome.status !== 200)
        return { ok: false, code: 'not_found', message: 'No such order.' };
      const o = outcome.body as {
        ref: string;
        status: string;
        currency: string;
        customer: string;
        lines: { id: string; name: string; unit_price_minor: number; quantity: number }[];
        payments: { ref: string; amount_minor: number }[];
        refunded_minor: number;
      };
      return {
        ok: true,
        order: {
          provider: fakepayProfile.id,
          providerRef: o.ref,
          kind: 'regular',
          providerStatus: o.status,
          currency: o.currency,
          lines: o.lines.map((l) => ({
            providerLineId: l.id,
            productId: null,
            name: l.name,
            unitPriceMinor: l.unit_price_minor,
            quantity: l.quantity,
            taxRateBp: 0,
            eligibility: null,
          })),
          payments: o.payments.map((p) => ({ ref: p.ref, tender: 'regular', amountMinor: p.amount_minor })),
          refundedMinor: o.refunded_minor,
          customer: { name: o.customer, email: null, phone: null, providerCustomerId: null },
          placedAt: new Date(),
          raw: o,
        },
      };
    },

    async submitRefund(request): Promise<SubmitResult> {
      const outcome = await call(
        'POST',
        `/orders/${request.providerRef}/refunds`,
        { refund_id: request.refundId, lines: request.lines.map((l) => ({ id: l.providerLineId, amount_minor: l.amountMinor })) },
        request.idempotencyKey,
      );
      if (outcome.kind === 'timeout')
        return { kind: 'unknown', reason: 'timeout', detail: 'no answer', exchange: outcome.exchange };
      if (outcome.kind === 'network')
        return { kind: 'unknown', reason: 'network', detail: outcome.error, exchange: outcome.exchange };
      if (outcome.status >= 500)
        return { kind: 'unknown', reason: 'server_error', detail: `HTTP ${outcome.status}`, exchange: outcome.exchange };
      if (outcome.status >= 400) {
        const code = String((outcome.body as { code?: string } | null)?.code ?? `http_${outcome.status}`);
        return {
          kind: 'rejected',
          code,
          message: fakepayProfile.describeError(code).message,
          retryable: false,
          exchange: outcome.exchange,
        };
      }
      return {
        kind: 'accepted',
        refunds: (outcome.body as { refunds: FakeRefund[] }).refunds.map(toInfo),
        exchange: outcome.exchange,
      };
    },

    async readStatus(providerRef) {
      const outcome = await call('GET', `/orders/${providerRef}/refunds`);
      if (outcome.kind !== 'response' || outcome.status !== 200) {
        return { ok: false, code: 'unavailable', message: 'Fakepay could not be read.', exchange: outcome.exchange };
      }
      return {
        ok: true,
        refunds: (outcome.body as { refunds: FakeRefund[] }).refunds.map(toInfo),
        refundedMinor: null,
        exchange: outcome.exchange,
      };
    },

    verifyWebhook: () => ({ ok: false, reason: 'bad_signature' }),
    parseWebhook: () => {
      throw new Error('Fakepay sends no webhooks');
    },
    ping: async () => ({ ok: true, latencyMs: 0 }),
  };
}
