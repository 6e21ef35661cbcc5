import { decimal, parseAmount } from './http';
import {
  TENDER_OF,
  type ForageState,
  type Order,
  type Outcome,
  type Payment,
  type Refund,
  type RefundStatus,
} from './forage-state';
import type { SandboxConfig } from './types';

/**
 * The three refund-creating endpoints (forage.md §4–§5): validation, amounts and the per-payment
 * split. They only decide and record; the module sends the answer, caches it and notifies.
 *
 * The error codes for refund-specific problems are the sandbox's own descriptive snake_case codes
 * (forage.md §8: Forage's are not published). [ASSUME]
 */

export type Failure = { ok: false; status: number; code: string; message: string; resource: string; ref?: string };
export type Created = { ok: true; refunds: Refund[] };

export interface RefundContext {
  state: ForageState;
  config: SandboxConfig['forage'];
  order: Order;
  initialStatus: RefundStatus;
  /** The planned ending for the next refund created (POST /__control/forage/next-outcome). */
  nextOutcome(): Outcome | null;
}

const fail = (code: string, message: string, resource = 'Refunds', ref?: string): Failure => ({
  ok: false,
  status: 400,
  code,
  message,
  resource,
  ref,
});

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** `reason` and `metadata` are required on every refund endpoint (forage.md §5). */
function common(body: Record<string, unknown>): Failure | { reason: string; metadata: Record<string, unknown> } {
  if (typeof body.reason !== 'string' || !body.reason.trim()) {
    return fail('invalid_request_body', 'reason is required and must be a non-empty string.');
  }
  if (!isObject(body.metadata)) return fail('invalid_request_body', 'metadata is required and must be an object.');
  return { reason: body.reason, metadata: body.metadata };
}

function refundable(ctx: RefundContext): Failure | null {
  if (ctx.order.status !== 'succeeded') {
    return fail(
      'order_not_refundable',
      `Order with ref ${ctx.order.ref} is ${ctx.order.status} and has no captured payments to refund.`,
      'Orders',
      ctx.order.ref,
    );
  }
  return null;
}

interface Plan {
  payment: Payment;
  amount: number;
  products: Record<string, number>;
}

/**
 * Over-refund on a payment: a 400 envelope by default, or (configurable, forage.md §12.6) a
 * 201 whose refund is already `failed`.
 */
function checkPlans(ctx: RefundContext, plans: Plan[]): Failure | Set<Plan> {
  const over = new Set<Plan>();
  for (const plan of plans) {
    const remaining = ctx.state.paymentRemaining(plan.payment);
    if (plan.amount <= remaining) continue;
    if (ctx.config.overRefundMode === 'failed_refund') {
      over.add(plan);
      continue;
    }
    return fail(
      'amount_exceeds_refundable',
      `Refund amount ${decimal(plan.amount)} exceeds the ${decimal(remaining)} remaining on payment ${plan.payment.ref}.`,
      'Payments',
      plan.payment.ref,
    );
  }
  return over;
}

function apply(
  ctx: RefundContext,
  plans: Plan[],
  over: Set<Plan>,
  common: { reason: string; metadata: Record<string, unknown> },
  via: Refund['via'],
): Created {
  const refunds = plans.map((plan) => {
    const refund = ctx.state.create({
      order: ctx.order,
      payment: plan.payment,
      amount: plan.amount,
      ...common,
      products: plan.products,
      via,
      status: over.has(plan) ? 'failed' : ctx.initialStatus,
      planned: over.has(plan) ? null : ctx.nextOutcome(),
    });
    if (over.has(plan)) {
      ctx.state.finish(refund, {
        outcome: 'failed',
        error: `Refund amount exceeds the remaining amount of payment ${plan.payment.ref}.`,
      });
    }
    return refund;
  });
  return { ok: true, refunds };
}

/** POST /api/orders/{ref}/refund_by_product/ (forage.md §5.1, §12.5). */
export function refundByProduct(ctx: RefundContext, body: Record<string, unknown>): Failure | Created {
  const base = common(body);
  if ('ok' in base) return base;
  const key = ctx.config.productKey;
  if (!Array.isArray(body.products) || body.products.length === 0) {
    return fail('invalid_request_body', 'products is required and must be a non-empty list.');
  }
  const wanted = new Map<string, number>();
  for (const item of body.products as unknown[]) {
    const id = isObject(item) ? item[key] : undefined;
    const quantity = isObject(item) ? item.quantity : undefined;
    if ((typeof id !== 'string' && typeof id !== 'number') || String(id) === '') {
      return fail('invalid_request_body', `Every product needs a "${key}".`);
    }
    if (typeof quantity !== 'number' || !Number.isSafeInteger(quantity) || quantity < 1) {
      return fail('invalid_request_body', `quantity of product ${String(id)} must be a whole number of at least 1.`);
    }
    wanted.set(String(id), (wanted.get(String(id)) ?? 0) + quantity);
  }
  const notRefundable = refundable(ctx);
  if (notRefundable) return notRefundable;

  const plans = new Map<string, Plan>();
  for (const [id, quantity] of wanted) {
    // Whatever the key is called (SANDBOX_FORAGE_PRODUCT_KEY), its value is the product's upc.
    const line = ctx.order.lines.find((l) => l.upc === id);
    if (!line) {
      return fail('unknown_product', `Product with ${key} ${id} is not part of order ${ctx.order.ref}.`, 'Orders', ctx.order.ref);
    }
    const left = line.quantity - ctx.state.unitsRefunded(ctx.order, line.upc);
    if (quantity > left) {
      return fail(
        'quantity_exceeds_refundable',
        `Only ${left} of ${line.quantity} units of product ${id} can still be refunded; ${quantity} were requested.`,
        'Orders',
        ctx.order.ref,
      );
    }
    const payment = ctx.state.paymentFor(ctx.order, TENDER_OF[line.eligibility]);
    if (!payment) {
      return fail(
        'no_matching_payment',
        `Order ${ctx.order.ref} has no ${TENDER_OF[line.eligibility]} payment for product ${id}.`,
        'Payments',
      );
    }
    const plan = plans.get(payment.ref) ?? { payment, amount: 0, products: {} };
    // Refunded at what the customer paid for the units, tax included (the demo's price; the API's
    // unit_price is before tax, forage-json.ts). [ASSUME] tax per unit, rounded half up.
    plan.amount += line.unitPrice * quantity;
    plan.products[line.upc] = (plan.products[line.upc] ?? 0) + quantity;
    plans.set(payment.ref, plan);
  }
  const ordered = ctx.order.payments.map((ref) => plans.get(ref)).filter((p): p is Plan => p !== undefined);
  const over = checkPlans(ctx, ordered);
  if ('ok' in over) return over;
  return apply(ctx, ordered, over, base, 'by_product');
}

/** POST /api/orders/{ref}/refunds/ (forage.md §5.2): an amount from one payment. */
export function refundAmount(ctx: RefundContext, body: Record<string, unknown>): Failure | Created {
  const base = common(body);
  if ('ok' in base) return base;
  if (typeof body.payment !== 'string' || !body.payment) {
    return fail('invalid_request_body', 'payment is required and must be a payment ref.');
  }
  // A JSON number with cent precision, at least 0.01 (forage.md §5.2, §11).
  const amount = typeof body.amount === 'number' ? parseAmount(body.amount) : null;
  if (amount === null || amount < 1) {
    return fail('invalid_request_body', 'amount must be a number of dollars with at most two decimals, at least 0.01.');
  }
  const payment = ctx.state.payments.get(body.payment);
  if (!payment || payment.order !== ctx.order.ref) {
    return fail(
      'resource_not_found',
      `Payment with ref ${body.payment} does not exist for order ${ctx.order.ref}.`,
      'Payments',
      body.payment,
    );
  }
  const notRefundable = refundable(ctx);
  if (notRefundable) return notRefundable;
  const plans = [{ payment, amount, products: {} }];
  const over = checkPlans(ctx, plans);
  if ('ok' in over) return over;
  return apply(ctx, plans, over, base, 'amount');
}

/** POST /api/orders/{ref}/refund_all/ (forage.md §5.3): the net remainder of every payment. */
export function refundAll(ctx: RefundContext, body: Record<string, unknown>): Failure | Created {
  const base = common(body);
  if ('ok' in base) return base;
  const notRefundable = refundable(ctx);
  if (notRefundable) return notRefundable;
  if (ctx.state.inFlight(ctx.order)) {
    // Documented (forage.md §4): 400 while any refund on the order is still processing.
    return fail(
      'refund_in_progress',
      `Order ${ctx.order.ref} has a refund still processing; try again when it has finished.`,
      'Orders',
      ctx.order.ref,
    );
  }
  const plans: Plan[] = [];
  for (const ref of ctx.order.payments) {
    const payment = ctx.state.payments.get(ref)!;
    const amount = ctx.state.paymentRemaining(payment);
    if (amount <= 0) continue;
    const products: Record<string, number> = {};
    for (const line of ctx.order.lines) {
      const left = line.quantity - ctx.state.unitsRefunded(ctx.order, line.upc);
      if (TENDER_OF[line.eligibility] === payment.fundingType && left > 0) products[line.upc] = left;
    }
    plans.push({ payment, amount, products });
  }
  if (plans.length === 0) {
    return fail('nothing_to_refund', `Order ${ctx.order.ref} has already been refunded in full.`, 'Orders', ctx.order.ref);
  }
  return apply(ctx, plans, new Set(), base, 'refund_all');
}
