import { parseDecimal } from '@/lib/money';
import type { ProviderOrder, ProviderOrderLine, ProviderPayment } from '../types';

/**
 * Frontpayment's read models (frontpayment.md §6) → our ProviderOrder, amounts parsed exactly
 * from NOK numbers. Anything that does not have the documented shape throws a ResponseShapeError.
 */

export class ResponseShapeError extends Error {
  override name = 'ResponseShapeError';
}

type Json = Record<string, unknown>;

export function object(value: unknown, what: string): Json {
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new ResponseShapeError(`${what} is not an object`);
  return value as Json;
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

export function nok(value: unknown, what: string): number {
  if (typeof value !== 'number' && typeof value !== 'string') throw new ResponseShapeError(`${what} is not an amount`);
  try {
    return parseDecimal(value, 'NOK');
  } catch {
    throw new ResponseShapeError(`${what} is not an amount: ${String(value)}`);
  }
}

/** `tax` is a percentage (0, 12, 15, 25; maybe 12.5): two decimals at most, so ×100 is exact. */
function percentToBp(value: unknown, what: string): number {
  if (value === null || value === undefined) return 0;
  return nok(value, what);
}

function lines(value: unknown): ProviderOrderLine[] {
  if (!Array.isArray(value)) throw new ResponseShapeError('productList is not a list');
  return value.map((raw, index) => {
    const item = object(raw, `productList[${index}]`);
    // [ASSUME] §4: refunds name lines by a numeric `id` that the published order schema omits.
    if (typeof item.id !== 'number' && !(typeof item.id === 'string' && /^\d+$/.test(item.id))) {
      throw new ResponseShapeError(`productList[${index}] has no numeric id`);
    }
    const quantity = Number(item.quantity);
    if (!Number.isInteger(quantity) || quantity < 0) throw new ResponseShapeError(`productList[${index}].quantity is invalid`);
    const rateMinor = nok(item.rate, `productList[${index}].rate`);
    const amountMinor = item.amount === undefined ? rateMinor * quantity : nok(item.amount, `productList[${index}].amount`);
    // The line's gross `amount` is what was charged (a discount lowers it below rate × quantity).
    const unitPriceMinor = quantity > 0 && amountMinor % quantity === 0 ? amountMinor / quantity : rateMinor;
    return {
      providerLineId: String(item.id),
      productId: text(item.productId),
      name: text(item.name) ?? `Line ${String(item.id)}`,
      unitPriceMinor,
      quantity,
      taxRateBp: percentToBp(item.tax, `productList[${index}].tax`),
      eligibility: null,
    };
  });
}

function customer(value: unknown): ProviderOrder['customer'] {
  const details = value && typeof value === 'object' ? (value as Json) : {};
  const msisdn = text(details.msisdn);
  const countryCode = text(details.countryCode);
  return {
    name: text(details.name),
    email: text(details.email),
    phone: msisdn ? `${countryCode ?? ''}${msisdn}` : null,
    providerCustomerId: text(details.customerUuid),
  };
}

function date(value: unknown): Date | null {
  if (typeof value !== 'string' && typeof value !== 'number') return null;
  const parsed = new Date(value);
  return Number.isNaN(parsed.getTime()) ? null : parsed;
}

/** Orders that never took money (§7). */
const UNPAID_STATUSES = new Set(['SENT', 'EXPIRED', 'CANCELLED']);

/**
 * An order from `GET /connect/orders/details/{uuid}` plus `GET /connect/orders/status/{uuid}`
 * (only the latter has `refundedAmount`). A regular or invoiced order has one payment: the order
 * total, under the reference `PAY` + the order's digits, as the demo data names it.
 */
export function orderFromDetails(uuid: string, detailsData: unknown, statusData: unknown): ProviderOrder {
  const details = object(detailsData, 'order details');
  const status = object(statusData, 'order status');
  const kind = details.type === 'invoiced' ? 'invoiced' : details.type === 'regular' ? 'regular' : null;
  if (!kind) throw new ResponseShapeError(`unknown order type ${String(details.type)}`);
  const providerStatus = text(status.status) ?? text(details.status);
  if (!providerStatus) throw new ResponseShapeError('order has no status');
  const orderAmountMinor = nok(status.orderAmount, 'orderAmount');
  const payments: ProviderPayment[] = UNPAID_STATUSES.has(providerStatus.toUpperCase())
    ? []
    : [{ ref: `PAY${uuid.replace(/\D/g, '')}`, tender: kind, amountMinor: orderAmountMinor }];
  return {
    provider: 'frontpayment',
    providerRef: text(details.orderUuid) ?? uuid,
    kind,
    providerStatus,
    currency: 'NOK',
    lines: lines(details.productList),
    payments,
    refundedMinor: nok(status.refundedAmount, 'refundedAmount'),
    customer: customer(details.customerDetails),
    placedAt: date(details.orderDate),
    raw: { details: detailsData, status: statusData },
  };
}

/** A reservation from `GET /connect/reservations/details/{uuid}`: one payment per capture and charge. */
export function orderFromReservation(uuid: string, data: unknown): ProviderOrder {
  const details = object(data, 'reservation details');
  const paymentDetails = object(details.paymentDetails, 'paymentDetails');
  const refunded = object(paymentDetails.amountRefunded ?? {}, 'amountRefunded');
  const history = object(details.paymentHistory ?? {}, 'paymentHistory');
  const movements = (key: 'captured' | 'charged'): ProviderPayment[] => {
    const list = history[key] ?? [];
    if (!Array.isArray(list)) throw new ResponseShapeError(`paymentHistory.${key} is not a list`);
    return list.map((raw, index) => {
      const entry = object(raw, `paymentHistory.${key}[${index}]`);
      const ref = text(entry.uuid);
      if (!ref) throw new ResponseShapeError(`paymentHistory.${key}[${index}] has no uuid`);
      return { ref, tender: key, amountMinor: nok(entry.amount, `paymentHistory.${key}[${index}].amount`) };
    });
  };
  const providerStatus = text(details.status);
  if (!providerStatus) throw new ResponseShapeError('reservation has no status');
  return {
    provider: 'frontpayment',
    providerRef: text(details.reservationUuid) ?? uuid,
    kind: 'reservation',
    providerStatus,
    currency: 'NOK',
    lines: lines(details.productList),
    payments: [...movements('captured'), ...movements('charged')],
    refundedMinor:
      (refunded.fromCaptured === undefined ? 0 : nok(refunded.fromCaptured, 'amountRefunded.fromCaptured')) +
      (refunded.fromCharge === undefined ? 0 : nok(refunded.fromCharge, 'amountRefunded.fromCharge')),
    customer: customer(details.customerDetails),
    placedAt: date(details.reservationDate),
    raw: data,
  };
}
