import { z } from 'zod';
import { eligibilityEnum, type Tender } from '@/db/schema/enums';
import { parseDecimal } from '@/lib/money';
import type { ProviderOrder, ProviderPayment, ProviderRefundInfo, ProviderRefundStatus } from '../types';

/**
 * Forage's objects (forage.md §6) → the provider interface. Amounts are decimal strings in
 * responses (numbers are tolerated) and are converted exactly; every other field is read
 * leniently, and the original object is kept in `raw`.
 */

const decimal = z.union([z.string(), z.number()]);
/** `payments` / `refunds` hold refs; some versions may embed the objects (forage.md §6.2). */
const refOrObject = z.union([z.string(), z.looseObject({ ref: z.string() })]);

export const refundSchema = z.looseObject({
  ref: z.string().min(1),
  payment: z.string().nullish(),
  funding_type: z.string().nullish(),
  amount: decimal,
  status: z.string(),
  // Timestamps are read leniently by parseForageTime: a bad one never fails the whole object.
  updated: z.unknown().optional(),
  last_processing_error: z.unknown().optional(),
  refund_errors: z.array(z.unknown()).nullish(),
});

export const orderSchema = z.looseObject({
  ref: z.string().min(1),
  status: z.string(),
  product_list: z.array(
    z.looseObject({
      name: z.string().nullish(),
      upc: z.string(),
      unit_price: decimal,
      quantity: z.number(),
      tax_rate: decimal.nullish(),
      eligibility: z.string().nullish(),
    }),
  ),
  payments: z.array(refOrObject),
  refunds: z.array(refOrObject).nullish(),
  customer_id: z.string().nullish(),
  success_date: z.unknown().optional(),
});

/** An Order's payment (GET /api/orders/{ref}/payments/[{payment_ref}/], forage.md errata 1); only the fields we use. */
export const paymentSchema = z.looseObject({ ref: z.string().min(1), funding_type: z.string(), amount: decimal });

export type ForageRefund = z.infer<typeof refundSchema>;
export type ForageOrder = z.infer<typeof orderSchema>;
export type ForagePayment = z.infer<typeof paymentSchema>;

const TENDERS = new Set<string>(['ebt_snap', 'ebt_cash', 'credit_tpp', 'benefit']);
const ELIGIBILITIES = new Set<string>(eligibilityEnum.enumValues);

export const usd = (value: string | number) => parseDecimal(value, 'USD');

const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z)?\s*(?:([+-])(\d{2}):?(\d{2})?)?$/i;

/**
 * Forage timestamps, read leniently (forage.md errata 6): the examples come in more than one
 * shape: "2025-03-04T10:15:06.698516-08:00" (microseconds and an offset), "…T18:15:06Z",
 * "…T10:57:31.000000Z-07:00" (a `Z` *and* an offset: the offset wins, the `Z` is taken as a
 * formatting slip), an offset without a colon ("-0800"), a space for the `T`, a bare date. No
 * offset at all reads as UTC. Anything else, or a value that is not a string, is null: one odd
 * timestamp never fails a whole response. Date keeps milliseconds; further digits are dropped.
 */
export function parseForageTime(value: unknown): Date | null {
  if (typeof value !== 'string') return null;
  const match = TIMESTAMP.exec(value.trim());
  if (!match) return null;
  const [, y, mo, d, h = '0', mi = '0', s = '0', fraction = '', , sign, oh, om = '0'] = match;
  const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, s].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const ms = Number(fraction.padEnd(3, '0').slice(0, 3));
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return null;
  const offsetMinutes = sign ? (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om)) : 0;
  if (sign && (Number(oh) > 23 || Number(om) > 59)) return null;
  const local = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  // Date.UTC rolls 31 February over into March: such a day does not exist.
  if (new Date(local).getUTCDate() !== day) return null;
  const time = local - offsetMinutes * 60_000;
  return Number.isFinite(time) ? new Date(time) : null;
}

/** Refund states (forage.md §7). `canceled` is unconfirmed for refunds; no money moved, so failed. */
export function refundStatus(status: string): ProviderRefundStatus {
  switch (status) {
    case 'succeeded':
      return 'succeeded';
    case 'failed':
    case 'canceled':
      return 'failed';
    default:
      // requires_confirmation, processing and anything new: not final yet.
      return 'processing';
  }
}

export function toRefundInfo(refund: ForageRefund): ProviderRefundInfo {
  const firstError: unknown = refund.refund_errors?.[0];
  const errorMessage =
    firstError && typeof firstError === 'object' && 'message' in firstError && typeof firstError.message === 'string'
      ? firstError.message
      : null;
  const metadata = refund.metadata as { refund_id?: unknown } | null | undefined;
  return {
    ref: refund.ref,
    ourRefundId: typeof metadata?.refund_id === 'string' ? metadata.refund_id : null,
    paymentRef: refund.payment ?? null,
    tender: refund.funding_type && TENDERS.has(refund.funding_type) ? (refund.funding_type as Tender) : null,
    amountMinor: usd(refund.amount),
    status: refundStatus(refund.status),
    lastError: typeof refund.last_processing_error === 'string' ? refund.last_processing_error : errorMessage,
    updatedAt: parseForageTime(refund.updated),
    raw: refund,
  };
}

/**
 * A unit price before tax → what the customer paid for the unit: tax per unit, rounded half up to
 * the cent, in integers. [ASSUME] per-unit rounding; Forage does not document it.
 */
export function withTax(minor: number, taxRateBp: number): number {
  return Math.floor((minor * (10_000 + taxRateBp) + 5_000) / 10_000);
}

/** A tax rate fraction ("0.072500") → basis points (725), by string arithmetic. */
export function taxRateToBp(value: string | number | null | undefined): number {
  if (value === null || value === undefined) return 0;
  const match = /^(\d+)(?:\.(\d*))?$/.exec(String(value).trim());
  if (!match) return 0;
  const micro = Number(match[1]) * 1_000_000 + Number((match[2] ?? '').padEnd(6, '0').slice(0, 6));
  return Math.round(micro / 100);
}

export function paymentRefs(order: ForageOrder): string[] {
  return order.payments.map((p) => (typeof p === 'string' ? p : p.ref));
}

export function toProviderPayment(payment: ForagePayment): ProviderPayment {
  return {
    ref: payment.ref,
    tender: (TENDERS.has(payment.funding_type) ? payment.funding_type : 'credit_tpp') as Tender,
    amountMinor: usd(payment.amount),
  };
}

export function toProviderOrder(
  order: ForageOrder,
  payments: ForagePayment[],
  refunds: ForageRefund[],
  raw: unknown,
): ProviderOrder {
  const providerRefunds = refunds.map(toRefundInfo);
  const refundedMinor = providerRefunds.filter((r) => r.status !== 'failed').reduce((sum, r) => sum + r.amountMinor, 0);
  return {
    provider: 'forage',
    providerRef: order.ref,
    kind: 'forage',
    providerStatus: order.status,
    currency: 'USD',
    providerRefunds,
    lines: order.product_list.map((item) => ({
      providerLineId: item.upc,
      productId: null,
      name: item.name ?? item.upc,
      // What the customer paid per unit: unit_price is before tax (forage.md errata 2).
      unitPriceMinor: withTax(usd(item.unit_price), taxRateToBp(item.tax_rate)),
      quantity: item.quantity,
      taxRateBp: taxRateToBp(item.tax_rate),
      eligibility:
        item.eligibility && ELIGIBILITIES.has(item.eligibility)
          ? (item.eligibility as ProviderOrder['lines'][number]['eligibility'])
          : null,
    })),
    payments: payments.map(toProviderPayment),
    refundedMinor,
    customer: { name: null, email: null, phone: null, providerCustomerId: order.customer_id ?? null },
    placedAt: parseForageTime(order.success_date),
    raw,
  };
}
