import type { FpModule, FpSettings } from './frontpayment';
import { checkAmounts, checkProducts } from './frontpayment-rules';
import { lineGrossMinor, type FpOrder } from './frontpayment-state';
import type { DemoOrder, RequestContext } from './types';

/**
 * Simulator-only routes under /__control/frontpayment/ (frontpayment.md §11.8, §11.10):
 *
 * - `GET  orders/{uuid}`            the sandbox's whole view: amounts in øre, every refund with its body
 * - `POST orders`                   add an order (dataset format), e.g. one without product lines
 * - `POST orders/{uuid}/status`     `{status}`: e.g. an INVOICED order's invoice was paid (sends a callback)
 * - `GET  approvals`                approval requests
 * - `POST approvals/{uuid}`         `{decision: 'approve' | 'reject'}` the order's pending request
 * - `GET|POST settings`             behaviour the docs leave open (see FpSettings)
 */
export async function frontpaymentControl(m: FpModule, ctx: RequestContext, sub: string): Promise<boolean> {
  let body: Record<string, unknown> = {};
  try {
    body = ctx.rawBody ? (JSON.parse(ctx.rawBody) as Record<string, unknown>) : {};
  } catch {
    ctx.send(400, { error: 'invalid JSON' });
    return true;
  }
  const { state } = m;
  const orderPath = /^orders\/([^/]+)(\/status)?$/.exec(sub);

  if (ctx.method === 'GET' && orderPath && !orderPath[2]) {
    const order = state.orders.get(decodeURIComponent(orderPath[1]!));
    if (!order) ctx.send(404, { error: 'order not found' });
    else ctx.send(200, orderView(m, order));
    return true;
  }
  if (ctx.method === 'POST' && orderPath?.[2]) {
    const order = state.orders.get(decodeURIComponent(orderPath[1]!));
    if (!order) return send(ctx, 404, { error: 'order not found' });
    if (typeof body.status !== 'string' || !body.status) return send(ctx, 400, { error: 'status is required' });
    state.setStatus(order, body.status);
    m.notify(order, order.paidMinor);
    return send(ctx, 200, orderView(m, order));
  }
  if (ctx.method === 'POST' && sub === 'orders') {
    const demo = { ...ORDER_DEFAULTS, ...body, provider: 'frontpayment' } as DemoOrder;
    if (typeof demo.providerRef !== 'string' || state.orders.has(demo.providerRef)) {
      return send(ctx, 409, { error: 'providerRef missing or taken' });
    }
    return send(ctx, 201, orderView(m, state.addOrder(demo)));
  }
  if (ctx.method === 'GET' && sub === 'approvals') {
    return send(ctx, 200, { approvals: state.approvals.map(iso) });
  }
  const approvalPath = /^approvals\/([^/]+)$/.exec(sub);
  if (ctx.method === 'POST' && approvalPath) {
    const uuid = decodeURIComponent(approvalPath[1]!);
    const approval = state.approvals.find((a) => a.orderUuid === uuid && a.state === 'pending');
    const order = state.orders.get(uuid);
    if (!approval || !order) return send(ctx, 404, { error: 'no pending approval request for this order' });
    if (body.decision !== 'approve' && body.decision !== 'reject')
      return send(ctx, 400, { error: "decision must be 'approve' or 'reject'" });
    if (body.decision === 'approve') {
      const parsed = {
        type: order.kind,
        grandTotalMinor: approval.totalMinor,
        products: approval.lines,
        source: approval.source,
        reference: approval.reference,
        message: approval.message,
      };
      // Approval skips the thresholds (that is its point), not what is left to refund.
      const refused = checkProducts(order, parsed) ?? checkAmounts(state, order, parsed);
      if (refused) return send(ctx, 409, { error: 'cannot apply', provider: refused.body });
      m.record(order, parsed, approval.body, 'approval', 'applied');
    }
    approval.state = body.decision === 'approve' ? 'approved' : 'rejected';
    approval.decidedAt = new Date();
    return send(ctx, 200, { approval: iso(approval), order: orderView(m, order) });
  }
  if (sub === 'settings' && (ctx.method === 'GET' || ctx.method === 'POST')) {
    if (ctx.method === 'POST') Object.assign(m.settings, body as Partial<FpSettings>);
    return send(ctx, 200, m.settings);
  }
  return false;
}

function send(ctx: RequestContext, status: number, body: unknown) {
  ctx.send(status, body);
  return true;
}

const ORDER_DEFAULTS: Partial<DemoOrder> = {
  kind: 'regular',
  providerStatus: 'PAID',
  currency: 'NOK',
  customer: { name: 'Sandbox Customer', email: 'customer@example.no', phone: null, customerId: null },
  placedDaysAgo: 0,
  placedMinuteOfDay: 720,
  lines: [],
  payments: [],
  refunds: [],
};

function iso<T extends object>(record: T): T {
  return JSON.parse(JSON.stringify(record)) as T;
}

/** Everything the sandbox knows about one order, amounts in øre. */
export function orderView(m: FpModule, order: FpOrder) {
  const { state } = m;
  const refunds = state.refundsOf(order.uuid);
  return {
    uuid: order.uuid,
    kind: order.kind,
    status: order.status,
    orderAmountMinor: state.grossMinor(order),
    paidMinor: order.paidMinor,
    refundedMinor: state.refundedMinor(order.uuid),
    pendingMinor: refunds.filter((r) => r.state === 'pending').reduce((sum, r) => sum + r.totalMinor, 0),
    lines: order.lines.map((l) => ({
      ...l,
      grossMinor: lineGrossMinor(l),
      committedMinor: state.lineCommittedMinor(order.uuid, l.id),
    })),
    movements: order.movements.map((mv) => ({
      ...iso(mv),
      refundedMinor: state.movementMinor(order.uuid, mv.uuid, ['applied']),
    })),
    refunds: refunds.map(iso),
    approvals: state.approvals.filter((a) => a.orderUuid === order.uuid).map(iso),
  };
}
