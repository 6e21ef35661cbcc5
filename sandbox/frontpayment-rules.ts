import { decimal, parseAmount } from './http';
import { fpError } from './server';
import { lineGrossMinor, type FpKind, type FpOrder, type FpSource, type FpState } from './frontpayment-state';

/**
 * Frontpayment's refund rules in the order §11.4 of frontpayment.md assumes: payload (417), order
 * state, product ids, amounts, thresholds. Each rejection is the exact envelope of §5, flag quirks
 * included.
 */

export interface FpReply {
  status: number;
  body: unknown;
}

/** §5: every key's HTTP status and its (inconsistent) flag pair. */
const KEYS: Record<string, [number, Record<string, unknown>]> = {
  orderNotFound: [404, { is_error: false, errors: null }],
  refundRejectionForTransactionNotFound: [404, { is_error: false, errors: null }],
  requestProductIdNotAvailable: [400, { is_data: false, data: null }],
  orderProductsNotFound: [400, { is_error: false, errors: null }],
  refundRejectionForRefundRequestGreaterThanOrderAmount: [400, { is_error: false, errors: null }],
  refundRejectionForRequestAmountThresholdExceed: [400, { is_error: true, errors: null }],
  refundRejectionForWeeklyThresholdExceed: [400, { is_error: true, errors: null }],
  refundRejectionForRefundedCancelledInvoicedOrderParamRefunded: [400, { is_error: false, errors: null }],
  refundRejectionForRefundedCancelledInvoicedOrderParamCancelled: [400, { is_error: false, errors: null }],
  refundRejectionForRefundedCancelledInvoicedOrderParamInvoiced: [400, { is_error: false, errors: null }],
  // Flags not documented for this one [ASSUME]: the usual error pair.
  orderRefundRequestAlreadySubmitted: [400, { is_error: true, errors: null }],
};

export function reject(key: keyof typeof KEYS & string): FpReply {
  const [status, flags] = KEYS[key]!;
  return { status, body: fpError(status, key, flags) };
}

export function ok(status: number, message: string, flags: Record<string, unknown>): FpReply {
  return { status, body: { status_code: status, status_message: 'OK', message, ...flags } };
}

export interface ParsedRefund {
  type: FpKind;
  grandTotalMinor: number;
  products: { id: number; amountMinor: number }[];
  source: FpSource | null;
  reference: string | null;
  message: string | null;
}

export interface RuleOptions {
  /** The approval endpoint also requires `message` (§5). */
  requireMessage: boolean;
  /** [ASSUME] grandTotal ≠ Σ products.amount: 417 ('reject') or accepted as is ('ignore'). */
  grandTotalMismatch: 'reject' | 'ignore';
}

const TYPES = ['regular', 'invoiced', 'reservation'];
const NUMERIC = /^\s*-?\d+(\.\d+)?\s*$/;

/** Laravel's messages for the §4 rules (`required|numeric`, `in:`, `required_if`), keyed by field path. */
export function validatePayload(raw: unknown, order: FpOrder, options: RuleOptions): FpReply | ParsedRefund {
  const body = raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  const errors: Record<string, string[]> = {};
  const add = (field: string, message: string) => (errors[field] ??= []).push(message);
  const present = (value: unknown) => value !== undefined && value !== null && value !== '';

  const type = body.type;
  if (!present(type)) add('type', 'The type field is required.');
  else if (typeof type !== 'string' || !TYPES.includes(type)) add('type', 'The selected type is invalid.');
  // [ASSUME] a type that does not match the order's kind is treated like any other invalid value.
  else if (type !== order.kind) add('type', 'The selected type is invalid.');

  const grandTotal = amount(body.grandTotal, 'grandTotal', 'grand total', add);
  const products: ParsedRefund['products'] = [];
  if (!present(body.products) || (Array.isArray(body.products) && body.products.length === 0)) {
    add('products', 'The products field is required.');
  } else if (!Array.isArray(body.products)) {
    add('products', 'The products field must be an array.');
  } else {
    body.products.forEach((item: unknown, index) => {
      const product = item && typeof item === 'object' ? (item as Record<string, unknown>) : {};
      const key = `products.${index}`;
      let id: number | null = null;
      if (!present(product.id)) add(`${key}.id`, `The ${key}.id field is required.`);
      else if (!isNumeric(product.id)) add(`${key}.id`, `The ${key}.id field must be a number.`);
      else id = Number(product.id);
      const value = amount(product.amount, `${key}.amount`, `${key}.amount`, add);
      if (id !== null && value !== null) products.push({ id, amountMinor: value });
    });
  }

  const reservation = type === 'reservation';
  const source = body.source;
  if (!present(source)) {
    if (reservation) add('source', 'The source field is required when type is reservation.');
  } else if (source !== 'captured' && source !== 'charged') add('source', 'The selected source is invalid.');
  const reference = body.reference;
  if (!present(reference)) {
    if (reservation) add('reference', 'The reference field is required when type is reservation.');
  } else if (typeof reference !== 'string') add('reference', 'The reference field must be a string.');

  const message = body.message;
  if (options.requireMessage) {
    if (!present(message)) add('message', 'The message field is required.');
    else if (typeof message !== 'string') add('message', 'The message field must be a string.');
  }

  if (Object.keys(errors).length === 0 && options.grandTotalMismatch === 'reject') {
    const sum = products.reduce((total, p) => total + p.amountMinor, 0);
    if (sum !== grandTotal) add('grandTotal', 'The grand total field must equal the sum of the products amounts.');
  }
  if (Object.keys(errors).length > 0)
    return { status: 417, body: fpError(417, 'payloadValidationErrors', { is_error: true, errors }) };
  return {
    type: type as FpKind,
    grandTotalMinor: grandTotal!,
    products,
    source: reservation || present(source) ? (source as FpSource) : null,
    reference: present(reference) ? (reference as string) : null,
    message: typeof message === 'string' ? message : null,
  };
}

function isNumeric(value: unknown) {
  return (typeof value === 'number' && Number.isFinite(value)) || (typeof value === 'string' && NUMERIC.test(value));
}

function amount(value: unknown, field: string, label: string, add: (field: string, message: string) => void): number | null {
  if (value === undefined || value === null || value === '') return (add(field, `The ${label} field is required.`), null);
  if (!isNumeric(value)) return (add(field, `The ${label} field must be a number.`), null);
  // NOK has two decimals (§11.11): cent-exact, so 10.005 is refused rather than rounded.
  const minor = parseAmount(typeof value === 'string' ? value.trim() : value);
  if (minor === null) return (add(field, `The ${label} field must have 0-2 decimal places.`), null);
  if (minor <= 0) return (add(field, `The ${label} field must be greater than 0.`), null);
  return minor;
}

/** Order state (§7): refunded, cancelled and invoiced orders are refused with their own key. */
export function checkOrderState(order: FpOrder): FpReply | null {
  if (order.status === 'REFUNDED') return reject('refundRejectionForRefundedCancelledInvoicedOrderParamRefunded');
  if (order.status === 'CANCELLED') return reject('refundRejectionForRefundedCancelledInvoicedOrderParamCancelled');
  if (order.status === 'INVOICED') return reject('refundRejectionForRefundedCancelledInvoicedOrderParamInvoiced');
  return null;
}

/** Product ids: the order must have lines, and every requested id must be one of them. */
export function checkProducts(order: FpOrder, refund: ParsedRefund): FpReply | null {
  if (order.lines.length === 0) return reject('orderProductsNotFound');
  const ids = new Set(order.lines.map((l) => l.id));
  if (refund.products.some((p) => !ids.has(p.id))) return reject('requestProductIdNotAvailable');
  return null;
}

/** For reservations: the named capture or charge must exist on this reservation, under that source. */
export function checkMovement(order: FpOrder, refund: ParsedRefund): FpReply | null {
  if (order.kind !== 'reservation') return null;
  const movement = order.movements.find((m) => m.uuid === refund.reference && m.source === refund.source);
  return movement ? null : reject('refundRejectionForTransactionNotFound');
}

/**
 * Amounts, on what remains refundable counting pending refunds too (the money is committed once
 * Frontpayment answered 202): each line's gross, then the order's (or the movement's) remainder.
 */
export function checkAmounts(state: FpState, order: FpOrder, refund: ParsedRefund): FpReply | null {
  const requested = new Map<number, number>();
  for (const p of refund.products) requested.set(p.id, (requested.get(p.id) ?? 0) + p.amountMinor);
  const exceeded = [];
  for (const [id, amountMinor] of requested) {
    const line = order.lines.find((l) => l.id === id)!;
    const remaining = lineGrossMinor(line) - state.lineCommittedMinor(order.uuid, id);
    if (amountMinor > remaining) {
      // [ASSUME] the shape of `errors` for this key is undocumented (§12): one entry per line.
      exceeded.push({ id, productId: line.productId, amount: nok(amountMinor), refundableAmount: nok(Math.max(0, remaining)) });
    }
  }
  if (exceeded.length > 0) {
    return {
      status: 400,
      body: fpError(400, 'refundRejectionForProductAmountExceed', { is_error: true, errors: exceeded }),
    };
  }
  const total = refund.products.reduce((sum, p) => sum + p.amountMinor, 0);
  const remaining =
    order.kind === 'reservation'
      ? order.movements.find((m) => m.uuid === refund.reference)!.amountMinor -
        state.movementMinor(order.uuid, refund.reference!, ['pending', 'applied'])
      : order.paidMinor - state.committedMinor(order.uuid);
  if (total > remaining) return reject('refundRejectionForRefundRequestGreaterThanOrderAmount');
  return null;
}

/** Merchant risk limits (§10): per request first, then the rolling 7-day volume. */
export function checkThresholds(
  state: FpState,
  refund: ParsedRefund,
  limits: { perRequestThresholdMinor: number; weeklyThresholdMinor: number },
  now = Date.now(),
): FpReply | null {
  const total = refund.products.reduce((sum, p) => sum + p.amountMinor, 0);
  if (total > limits.perRequestThresholdMinor) return reject('refundRejectionForRequestAmountThresholdExceed');
  if (state.weeklyCommittedMinor(now) + total > limits.weeklyThresholdMinor)
    return reject('refundRejectionForWeeklyThresholdExceed');
  return null;
}

/** Øre → the JSON number Frontpayment writes (149.5, 1500): exact, via the decimal string. */
export function nok(minor: number): number {
  return Number(decimal(minor));
}
