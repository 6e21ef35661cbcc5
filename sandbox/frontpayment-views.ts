import { nok } from './frontpayment-rules';
import { lineGrossMinor, type FpOrder, type FpState } from './frontpayment-state';
import type { SandboxConfig } from './types';

type FpConfig = Pick<SandboxConfig['frontpayment'], 'statusAmounts' | 'detailLineIds' | 'historyUuids'>;

/**
 * The JSON `data` of Frontpayment's read endpoints (frontpayment.md §6). Amounts are NOK numbers;
 * line `amount` and `rate` are VAT-inclusive gross and `tax` is a percentage.
 */

const DAY_MS = 86_400_000;

/**
 * `GET /connect/orders/status/{uuid}`. The current revision adds `orderAmount` and
 * `refundedAmount`; revision 1318 and the July 2025 recordings have `{uuid, status}` only
 * (errata 2: `statusAmounts: false`).
 */
export function statusView(state: FpState, order: FpOrder, config: FpConfig) {
  if (!config.statusAmounts) return { uuid: order.uuid, status: order.status };
  // [ASSUME] for a reservation the status endpoint answers too, with what was captured and charged.
  const orderAmount = order.kind === 'reservation' ? order.paidMinor : state.grossMinor(order);
  return {
    uuid: order.uuid,
    status: order.status,
    orderAmount: nok(orderAmount),
    refundedAmount: nok(state.refundedMinor(order.uuid)),
  };
}

function customerDetails(order: FpOrder) {
  const phone = order.customer.phone ?? '';
  const norwegian = phone.startsWith('+47');
  return {
    type: 'Private',
    // errata 4: the customer's uuid is `customerDetails.uuid` (not `customerUuid`).
    uuid: order.customer.customerId ?? null,
    name: order.customer.name,
    email: order.customer.email,
    countryCode: phone ? (norwegian ? '+47' : phone.slice(0, 3)) : null,
    msisdn: phone ? phone.slice(3) : null,
    address: null,
  };
}

/** Gross → net for a VAT rate in basis points, rounded to the øre (display only). */
function netOf(grossMinor: number, taxRateBp: number) {
  return Math.round((grossMinor * 10_000) / (10_000 + taxRateBp));
}

/**
 * `productList`: `name, productId, quantity, rate, discount, tax, amount` as documented; `quantity`
 * may be fractional (errata 5). The numeric `id` is documented for reservations only; for orders it
 * is an [ASSUME] (errata 1) that `withIds: false` drops.
 */
function productList(order: FpOrder, withIds: boolean) {
  return order.lines.map((line) => ({
    ...(withIds ? { id: line.id } : {}),
    name: line.name,
    productId: line.productId,
    quantity: line.quantity,
    rate: nok(line.unitPriceMinor),
    discount: 0,
    tax: line.taxRateBp / 100,
    amount: nok(lineGrossMinor(line)),
  }));
}

/** `GET /connect/orders/details/{uuid}`. */
export function orderDetailsView(state: FpState, order: FpOrder, organizationUuid: string | null, config: FpConfig) {
  const gross = state.grossMinor(order);
  const net = order.lines.reduce((sum, l) => sum + netOf(lineGrossMinor(l), l.taxRateBp), 0);
  const digits = order.uuid.replace(/\D/g, '');
  return {
    type: order.kind,
    paymentLink: `https://demo-pay.frontpayment.no/order/${order.uuid}`,
    orderUuid: order.uuid,
    invoiceNumber: order.kind === 'invoiced' ? `INV${digits}` : null,
    status: order.status,
    productList: productList(order, config.detailLineIds),
    orderSummary: { subTotal: nok(net), tax: nok(gross - net), discount: 0, grandTotal: nok(gross) },
    invoiceAsPaymentOption: order.kind === 'invoiced',
    orderDate: order.placedAt.toISOString(),
    paymentLinkDueDate: new Date(order.placedAt.getTime() + 7 * DAY_MS).toISOString(),
    sendOrderBy: { sms: true, email: true, invoice: order.kind === 'invoiced' },
    creditCheck: order.kind === 'invoiced',
    customerDetails: customerDetails(order),
    invoiceReferences: null,
    internalReferences: null,
    organizationDetails: { organizationUuid, name: 'Refund Desk Demo AS' },
  };
}

/** `GET /connect/reservations/details/{uuid}`. */
export function reservationDetailsView(state: FpState, order: FpOrder, config: FpConfig) {
  const gross = state.grossMinor(order);
  const of = (source: 'captured' | 'charged') => order.movements.filter((m) => m.source === source);
  const total = (source: 'captured' | 'charged') => of(source).reduce((sum, m) => sum + m.amountMinor, 0);
  // errata 5: entries are `{at, amount}`; the movement's uuid is an [ASSUME] (`historyUuids`).
  const history = (source: 'captured' | 'charged') =>
    of(source).map((m) => ({
      ...(config.historyUuids ? { uuid: m.uuid } : {}),
      at: m.at.toISOString(),
      amount: nok(m.amountMinor),
    }));
  return {
    reservationUuid: order.uuid,
    status: order.status,
    isPaid: order.movements.length > 0,
    productList: productList(order, true).map((line) => ({
      ...line,
      reserved: line.quantity,
      captured: of('captured').length > 0 ? line.quantity : 0,
    })),
    grandTotal: nok(gross),
    reservationDate: order.placedAt.toISOString(),
    chargeValidity: new Date(order.placedAt.getTime() + 90 * DAY_MS).toISOString(),
    customerDetails: customerDetails(order),
    paymentDetails: {
      reservedAt: order.placedAt.toISOString(),
      reservedAmount: nok(gross),
      capturedAmount: nok(total('captured')),
      chargedAmount: nok(total('charged')),
      amountRefunded: {
        fromCaptured: nok(state.sourceRefundedMinor(order.uuid, 'captured')),
        fromCharge: nok(state.sourceRefundedMinor(order.uuid, 'charged')),
      },
    },
    paymentHistory: {
      reserved: [{ at: order.placedAt.toISOString(), amount: nok(gross) }],
      captured: history('captured'),
      charged: history('charged'),
    },
  };
}
