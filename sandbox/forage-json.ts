import { decimal } from './http';
import type { ForageState, Order, Payment, Refund } from './forage-state';

/**
 * Forage's objects as they go over the wire (forage.md §6): decimal strings for amounts, refs for
 * related objects, Pacific timestamps with microseconds, and the per-version differences of §3.
 */

/** Published versions (forage.md §3); 'default' is the unversioned original. */
const KNOWN_VERSIONS = ['2023-05-15', '2024-01-08', '2024-03-05'] as const;

/** What the sandbox merchant's dashboard would apply when the header is missing. [ASSUME] */
export const DASHBOARD_DEFAULT_VERSION = '2024-03-05';

/**
 * `API-Version` → the version the sandbox applies: versions are per endpoint and fall back to the
 * nearest earlier release (forage.md §3). Null when the value is not `default` or YYYY-MM-DD.
 */
export function resolveVersion(header: string | undefined): string | null {
  if (header === undefined || header === '') return DASHBOARD_DEFAULT_VERSION;
  if (header === 'default') return 'default';
  if (!/^\d{4}-\d{2}-\d{2}$/.test(header) || Number.isNaN(Date.parse(header))) return null;
  let chosen = 'default';
  for (const version of KNOWN_VERSIONS) if (version <= header) chosen = version;
  return chosen;
}

const atLeast = (version: string, release: string) => version !== 'default' && version >= release;

export function refundJson(refund: Refund, merchant: string, version: string) {
  // Partial (amount) refunds carry a receipt only from 2024-01-08 on (forage.md §3).
  const receipt = refund.via === 'amount' && !atLeast(version, '2024-01-08') ? null : refund.receipt;
  return {
    ref: refund.ref,
    order: refund.order,
    payment: refund.payment,
    merchant,
    funding_type: refund.fundingType,
    amount: decimal(refund.amount),
    merchant_fixed_settlement: 0.0,
    platform_fixed_settlement: 0.0,
    reason: refund.reason,
    metadata: refund.metadata,
    created: refund.created,
    updated: refund.updated,
    status: refund.status,
    last_processing_error: refund.lastProcessingError,
    receipt,
    tpp_lookup_id: refund.tppLookupId,
    refund_errors: refund.refundErrors,
    ...(atLeast(version, '2023-05-15') ? { external_order_id: null } : {}),
  };
}

const utcMicro = (date: Date) => date.toISOString().replace('Z', '000Z');

export function orderJson(order: Order, _state: ForageState) {
  const total = (eligibility: string) =>
    order.lines.filter((l) => l.eligibility === eligibility).reduce((sum, l) => sum + l.unitPrice * l.quantity, 0);
  const captured = order.status === 'succeeded';
  return {
    ref: order.ref,
    snap_total: decimal(total('snap')),
    ebt_cash_total: decimal(total('ebt_cash')),
    remaining_total: '0.00',
    product_list: order.lines.map((l) => ({
      name: l.name,
      upc: l.upc,
      // Forage's unit_price is before tax (forage.md errata 2, page create-session); the demo's price
      // is what the customer paid per unit, tax included. Tax is rounded per unit, half up, so the
      // price before tax taken back through the rate gives the demo's price exactly. [ASSUME]
      unit_price: decimal(priceBeforeTax(l.unitPrice, l.taxRateBp)),
      quantity: l.quantity,
      // A fraction with six decimals: 725 basis points → "0.072500".
      tax_rate: `0.${String(l.taxRateBp * 100).padStart(6, '0')}`,
      taxes_charged: null,
      taxes_exempted: null,
      eligibility: l.eligibility,
    })),
    status: order.status,
    delivery_address: order.isDelivery
      ? { city: 'San Francisco', country: 'US', line1: '1856 Market St.', line2: null, state: 'CA', zipcode: '94102' }
      : null,
    is_delivery: order.isDelivery,
    success_redirect_url: '',
    cancel_redirect_url: '',
    supported_benefits: ['snap', 'ebt_cash', 'non_ebt'],
    success_date: captured ? utcMicro(order.placedAt) : null,
    receipt: null,
    customer_id: order.customerId,
    is_commercial_shipping: null,
    expires_at: utcMicro(new Date(order.placedAt.getTime() + 30 * 60_000)),
    psp_customer_id: null,
    external_order_id: null,
    payments: [...order.payments],
    refunds: [...order.refunds],
    previous_errors: [],
  };
}

/**
 * An Order's payment as GET /api/orders/{ref}/payments/ lists it and
 * GET /api/orders/{ref}/payments/{payment_ref}/ returns it (forage.md errata 1). [ASSUME] Only the
 * fields the client needs are modelled. The Order object has no payment amounts, so the client
 * reads them here.
 */
export function paymentJson(payment: Payment, merchant: string, state: ForageState) {
  const order = state.orders.get(payment.order)!;
  return {
    ref: payment.ref,
    order: payment.order,
    merchant,
    funding_type: payment.fundingType,
    amount: decimal(payment.amount),
    status: 'succeeded',
    created: payment.created,
    updated: payment.created,
    refunds: state
      .refundsOf(order)
      .filter((r) => r.payment === payment.ref)
      .map((r) => r.ref),
  };
}

/** A unit price with tax included → before tax, to the cent (the inverse of per-unit half-up tax). */
export function priceBeforeTax(grossMinor: number, taxRateBp: number): number {
  return Math.round((grossMinor * 10_000) / (10_000 + taxRateBp));
}
