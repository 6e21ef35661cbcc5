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

/** Prefix of the line ids made up for lines Frontpayment lists without an `id` (errata 1). */
export const SYNTHETIC_LINE_PREFIX = 'line-';

/** Whether a line id was made up on import (`line-<n>`), not given by Frontpayment. */
export const isSyntheticLineId = (id: string) => id.startsWith(SYNTHETIC_LINE_PREFIX);

/** Whether a payment ref is a capture / charge uuid Frontpayment gave, not one made up on import. */
export const isSyntheticPaymentRef = (ref: string) => /^(captured|charged)-\d+/.test(ref);

const present = (value: unknown) => value !== undefined && value !== null;

function numericId(value: unknown): string | null {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return String(value);
  if (typeof value === 'string' && /^\d+$/.test(value)) return value;
  return null;
}

/**
 * `productList` → lines. Refunds name lines by a numeric `id` (§4) that no published revision of
 * the order details lists (errata 1): a line without one gets `line-<position>` (from 1), which
 * cannot be taken for a Frontpayment id, and the client refuses to send it (`lineIdsUnknown`).
 *
 * `quantity` may be fractional (errata 5: 1.5 kg) while our quantities are whole: such a line is
 * imported as quantity 1 priced at its charged `amount`, the real quantity kept in the name and
 * in `raw`. Frontpayment refunds by amount per line, so nothing is lost; a refund of "one unit"
 * of it is the whole line. The same goes for whole units whose discounted `amount` does not split
 * into whole øre (before, such a line was priced at the undiscounted `rate` and offered more
 * than had been paid).
 */
function lines(value: unknown): ProviderOrderLine[] {
  if (!Array.isArray(value)) throw new ResponseShapeError('productList is not a list');
  return value.map((raw, index) => {
    const item = object(raw, `productList[${index}]`);
    const id = numericId(item.id);
    const providerLineId = id ?? `${SYNTHETIC_LINE_PREFIX}${index + 1}`;
    const name = text(item.name) ?? `Line ${id ?? index + 1}`;
    const quantity = Number(item.quantity);
    if (!Number.isFinite(quantity) || quantity < 0) throw new ResponseShapeError(`productList[${index}].quantity is invalid`);
    const rateMinor = nok(item.rate, `productList[${index}].rate`);
    const taxRateBp = percentToBp(item.tax, `productList[${index}].tax`);
    // The line's gross `amount` is what was charged (a discount lowers it below rate × quantity);
    // without one, rate × quantity, which only a whole quantity makes exact.
    if (!present(item.amount) && !Number.isInteger(quantity)) {
      throw new ResponseShapeError(`productList[${index}] has a fractional quantity and no amount`);
    }
    const amountMinor = present(item.amount) ? nok(item.amount, `productList[${index}].amount`) : rateMinor * quantity;
    const line = { providerLineId, productId: text(item.productId), taxRateBp, eligibility: null };
    const whole = Number.isInteger(quantity) && (quantity === 0 ? amountMinor === 0 : amountMinor % quantity === 0);
    if (whole) return { ...line, name, unitPriceMinor: quantity > 0 ? amountMinor / quantity : rateMinor, quantity };
    // 1.5 kg, or 3 units whose discounted amount does not split into whole øre: one line at the
    // charged amount, so that the line never offers more than was paid on it.
    return { ...line, name: `${name} (quantity ${String(quantity)})`, unitPriceMinor: amountMinor, quantity: 1 };
  });
}

const lineIdsKnown = (list: ProviderOrderLine[]) => !list.some((line) => isSyntheticLineId(line.providerLineId));

function customer(value: unknown): ProviderOrder['customer'] {
  const details = value && typeof value === 'object' ? (value as Json) : {};
  const msisdn = text(details.msisdn);
  const countryCode = text(details.countryCode);
  return {
    name: text(details.name),
    email: text(details.email),
    phone: msisdn ? `${countryCode ?? ''}${msisdn}` : null,
    // errata 4: documented as `customerDetails.uuid`; `customerUuid` is read too.
    providerCustomerId: text(details.uuid) ?? text(details.customerUuid),
  };
}

function date(value: unknown): Date | null {
  if (typeof value !== 'string' && typeof value !== 'number') return null;
  const parsed = new Date(value);
  return Number.isNaN(parsed.getTime()) ? null : parsed;
}

/** Orders that never took money (§7). */
const UNPAID_STATUSES = new Set(['SENT', 'EXPIRED', 'CANCELLED']);

/** `refundedAmount` of a status read, or null where the revision has none (errata 2). */
export function statusRefunded(status: Json): number | null {
  return present(status.refundedAmount) ? nok(status.refundedAmount, 'refundedAmount') : null;
}

/**
 * An order from `GET /connect/orders/details/{uuid}` plus `GET /connect/orders/status/{uuid}`.
 * A regular or invoiced order has one payment: the order total, under the reference `PAY` + the
 * order's digits, as the demo data names it. The status read may carry no amounts (errata 2):
 * the order total then comes from `orderSummary.grandTotal` (else the lines), and the refunded
 * total from the status: all of it when REFUNDED, else 0, with `refundedMinorKnown: false`.
 */
export function orderFromDetails(uuid: string, detailsData: unknown, statusData: unknown): ProviderOrder {
  const details = object(detailsData, 'order details');
  const status = object(statusData, 'order status');
  // The docs name `regular` and `invoiced` here; another or a missing type is still imported, as a
  // regular order (the refund API's own default type), rather than failing the whole import.
  const kind = details.type === 'invoiced' ? 'invoiced' : 'regular';
  const providerStatus = text(status.status) ?? text(details.status);
  if (!providerStatus) throw new ResponseShapeError('order has no status');
  const productLines = lines(details.productList);
  const summary = details.orderSummary && typeof details.orderSummary === 'object' ? (details.orderSummary as Json) : {};
  const orderAmountMinor = present(status.orderAmount)
    ? nok(status.orderAmount, 'orderAmount')
    : present(summary.grandTotal)
      ? nok(summary.grandTotal, 'orderSummary.grandTotal')
      : productLines.reduce((sum, line) => sum + line.unitPriceMinor * line.quantity, 0);
  const refundedMinor = statusRefunded(status);
  const payments: ProviderPayment[] = UNPAID_STATUSES.has(providerStatus.toUpperCase())
    ? []
    : [{ ref: `PAY${uuid.replace(/\D/g, '')}`, tender: kind, amountMinor: orderAmountMinor }];
  return {
    provider: 'frontpayment',
    providerRef: text(details.orderUuid) ?? uuid,
    kind,
    providerStatus,
    currency: 'NOK',
    lines: productLines,
    lineIdsKnown: lineIdsKnown(productLines),
    payments,
    refundedMinor: refundedMinor ?? (providerStatus.toUpperCase() === 'REFUNDED' ? orderAmountMinor : 0),
    refundedMinorKnown: refundedMinor !== null,
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
      // errata 5: entries are documented as `{at, amount}`, no uuid. Without one, a stable ref from
      // the position and the time (`captured-1-1767960000`); the client will not send it.
      const at = date(entry.at ?? entry.date);
      const ref = text(entry.uuid) ?? `${key}-${index + 1}${at ? `-${Math.floor(at.getTime() / 1000)}` : ''}`;
      return { ref, tender: key, amountMinor: nok(entry.amount, `paymentHistory.${key}[${index}].amount`) };
    });
  };
  const providerStatus = text(details.status);
  if (!providerStatus) throw new ResponseShapeError('reservation has no status');
  const reservationLines = lines(details.productList);
  return {
    provider: 'frontpayment',
    providerRef: text(details.reservationUuid) ?? uuid,
    kind: 'reservation',
    providerStatus,
    currency: 'NOK',
    lines: reservationLines,
    lineIdsKnown: lineIdsKnown(reservationLines),
    payments: [...movements('captured'), ...movements('charged')],
    refundedMinor:
      (refunded.fromCaptured === undefined ? 0 : nok(refunded.fromCaptured, 'amountRefunded.fromCaptured')) +
      (refunded.fromCharge === undefined ? 0 : nok(refunded.fromCharge, 'amountRefunded.fromCharge')),
    customer: customer(details.customerDetails),
    placedAt: date(details.reservationDate),
    raw: data,
  };
}
