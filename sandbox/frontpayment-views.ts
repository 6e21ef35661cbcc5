import { nok } from './frontpayment-rules';
import type { FpOrder, FpState } from './frontpayment-state';

/**
 * The JSON `data` of Frontpayment's read endpoints (frontpayment.md §6). Amounts are NOK numbers;
 * line `amount` and `rate` are VAT-inclusive gross and `tax` is a percentage.
 */

const DAY_MS = 86_400_000;

/** `GET /connect/orders/status/{uuid}`. */
export function statusView(state: FpState, order: FpOrder) {
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
    customerUuid: order.customer.customerId ?? null,
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

function productList(order: FpOrder) {
  return order.lines.map((line) => ({
    // [ASSUME] §4: the published schema lacks a numeric `id`, but refunds need it; we return it.
    id: line.id,
    name: line.name,
    productId: line.productId,
    quantity: line.quantity,
    rate: nok(line.unitPriceMinor),
    discount: 0,
    tax: line.taxRateBp / 100,
    amount: nok(line.unitPriceMinor * line.quantity),
  }));
}

/** `GET /connect/orders/details/{uuid}`. */
export function orderDetailsView(state: FpState, order: FpOrder, organizationUuid: string | null) {
  const gross = state.grossMinor(order);
  const net = order.lines.reduce((sum, l) => sum + netOf(l.unitPriceMinor * l.quantity, l.taxRateBp), 0);
  const digits = order.uuid.replace(/\D/g, '');
  return {
    type: order.kind,
    paymentLink: `https://demo-pay.frontpayment.no/order/${order.uuid}`,
    orderUuid: order.uuid,
    invoiceNumber: order.kind === 'invoiced' ? `INV${digits}` : null,
    status: order.status,
    productList: productList(order),
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
export function reservationDetailsView(state: FpState, order: FpOrder) {
  const gross = state.grossMinor(order);
  const of = (source: 'captured' | 'charged') => order.movements.filter((m) => m.source === source);
  const total = (source: 'captured' | 'charged') => of(source).reduce((sum, m) => sum + m.amountMinor, 0);
  const history = (source: 'captured' | 'charged') =>
    of(source).map((m) => ({ uuid: m.uuid, amount: nok(m.amountMinor), date: m.at.toISOString() }));
  return {
    reservationUuid: order.uuid,
    status: order.status,
    isPaid: order.movements.length > 0,
    productList: productList(order).map((line) => ({
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
      reserved: [{ amount: nok(gross), date: order.placedAt.toISOString() }],
      captured: history('captured'),
      charged: history('charged'),
    },
  };
}
