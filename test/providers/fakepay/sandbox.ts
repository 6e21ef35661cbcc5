import type { ModuleFactory } from '@/sandbox/server';
import type { ProviderModule, RequestContext } from '@/sandbox/types';

interface Refund {
  ref: string;
  refund_id: string;
  payment: string;
  amount_minor: number;
  status: 'pending' | 'succeeded' | 'failed';
}

/** The sandbox's Fakepay: one paid order, refunds that settle on command, keys replayed. */
export const fakepayModule: ModuleFactory = () => {
  let refunds: Refund[] = [];
  const answers = new Map<string, { status: number; body: unknown }>();
  const order = {
    ref: 'FAKE-1',
    status: 'PAID',
    currency: 'EUR',
    customer: 'Flo Fake',
    lines: [
      { id: 'L1', name: 'Teapot', unit_price_minor: 2500, quantity: 2 },
      { id: 'L2', name: 'Cups', unit_price_minor: 900, quantity: 4 },
    ],
    payments: [{ ref: 'PAY-1', amount_minor: 2500 * 2 + 900 * 4 }],
  };
  const refunded = () => refunds.filter((r) => r.status !== 'failed').reduce((sum, r) => sum + r.amount_minor, 0);

  const mod: ProviderModule = {
    name: 'fakepay',
    operationFor(method, path) {
      if (!path.startsWith('/fakepay/')) return null;
      if (method === 'POST' && path.endsWith('/refunds')) return 'refund';
      return path.endsWith('/refunds') ? 'list_refunds' : 'get_order';
    },
    async handle(ctx: RequestContext) {
      const match = /^\/fakepay\/orders\/([^/]+)(\/refunds)?$/.exec(ctx.path);
      if (!match || match[1] !== order.ref) return ctx.send(404, { code: 'not_found' });
      if (!match[2]) return ctx.send(200, { ...order, refunded_minor: refunded() });
      if (ctx.method === 'GET') return ctx.send(200, { refunds });
      const key = String(ctx.req.headers['idempotency-key'] ?? '');
      const earlier = answers.get(key);
      if (earlier) return ctx.send(earlier.status, earlier.body);
      const body = JSON.parse(ctx.rawBody) as { refund_id: string; lines: { id: string; amount_minor: number }[] };
      const amount = body.lines.reduce((sum, l) => sum + l.amount_minor, 0);
      if (refunded() + amount > order.payments[0]!.amount_minor) return ctx.send(422, { code: 'amount_exceeds_refundable' });
      const refund: Refund = {
        ref: `FR-${refunds.length + 1}`,
        refund_id: body.refund_id,
        payment: 'PAY-1',
        amount_minor: amount,
        status: 'pending',
      };
      refunds.push(refund);
      const answer = { status: 201, body: { refunds: [refund] } };
      answers.set(key, answer);
      ctx.send(answer.status, answer.body);
    },
    async settleAll() {
      const pending = refunds.filter((r) => r.status === 'pending');
      for (const r of pending) r.status = 'succeeded';
      return pending.length;
    },
    reset() {
      refunds = [];
      answers.clear();
    },
    async control(ctx, subpath) {
      if (subpath !== 'refunds') return false;
      ctx.send(200, { refunds });
      return true;
    },
    errorBody: (status) => ({ code: 'server_error', status }),
  };
  return mod;
};
