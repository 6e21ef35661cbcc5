import type { ErrorDescription } from '../types';

/** The 13 message keys of a refund call documented in frontpayment.md §5. */
export const FRONTPAYMENT_REFUND_ERROR_KEYS = [
  'orderNotFound',
  'refundRejectionForTransactionNotFound',
  'payloadValidationErrors',
  'requestProductIdNotAvailable',
  'orderProductsNotFound',
  'refundRejectionForProductAmountExceed',
  'refundRejectionForRefundRequestGreaterThanOrderAmount',
  'refundRejectionForRequestAmountThresholdExceed',
  'refundRejectionForWeeklyThresholdExceed',
  'refundRejectionForRefundedCancelledInvoicedOrderParamRefunded',
  'refundRejectionForRefundedCancelledInvoicedOrderParamCancelled',
  'refundRejectionForRefundedCancelledInvoicedOrderParamInvoiced',
  'somethingWentWrong',
] as const;

/** Keys outside the refund table that the client still meets: the approval guard, 401, 429. */
export const FRONTPAYMENT_OTHER_ERROR_KEYS = [
  'orderRefundRequestAlreadySubmitted',
  'Unauthenticated',
  'tooManyRequests',
] as const;

/** Codes the client itself gives when no usable answer came back. */
export const CLIENT_ERROR_KEYS = [
  'timeout',
  'network',
  'unexpectedResponse',
  'currencyNotSupported',
  'lineIdsUnknown',
  'paymentReferenceUnknown',
] as const;

export type FrontpaymentErrorKey =
  | (typeof FRONTPAYMENT_REFUND_ERROR_KEYS)[number]
  | (typeof FRONTPAYMENT_OTHER_ERROR_KEYS)[number]
  | (typeof CLIENT_ERROR_KEYS)[number];

/** Rejections that Frontpayment's Request Refund Approval exists for (§10). */
export const APPROVABLE_KEYS: readonly string[] = [
  'refundRejectionForRequestAmountThresholdExceed',
  'refundRejectionForWeeklyThresholdExceed',
];

const DESCRIPTIONS: Record<FrontpaymentErrorKey, ErrorDescription> = {
  orderNotFound: {
    message: 'Frontpayment does not know this order, or it belongs to another merchant account.',
    action: 'Check the order reference. If it is right, contact Frontpayment support.',
  },
  refundRejectionForTransactionNotFound: {
    message: 'Frontpayment could not find the capture or charge this refund was sent against.',
    action: 'Refresh the order to load its captures and charges, then choose the payment again.',
  },
  payloadValidationErrors: {
    message: 'Frontpayment rejected the refund because some fields were missing or invalid.',
    action: 'Correct the fields marked below and send the refund again.',
  },
  requestProductIdNotAvailable: {
    message: 'One of the products in this refund is not part of the order at Frontpayment.',
    action: 'Refresh the order to load its current product lines, then choose the products again.',
  },
  orderProductsNotFound: {
    message: 'Frontpayment has no refundable product lines for this order.',
    action: 'Refresh the order. If it still has no products, contact Frontpayment support.',
  },
  refundRejectionForProductAmountExceed: {
    message: 'The amount for one or more products is more than what is left to refund on them.',
    action: 'Refresh the order to see what is still refundable, and lower the amounts.',
  },
  refundRejectionForRefundRequestGreaterThanOrderAmount: {
    message: 'The refund is more than what is left to refund on this order (or on the chosen payment).',
    action: 'Refresh the order to see what is still refundable, and lower the total.',
  },
  refundRejectionForRequestAmountThresholdExceed: {
    message: "Frontpayment refused this refund because it is above the merchant's limit for a single refund.",
    action: 'You can ask Frontpayment to approve it.',
  },
  refundRejectionForWeeklyThresholdExceed: {
    message: "Frontpayment refused this refund because this week's refunds would go above the merchant's weekly limit.",
    action: 'You can ask Frontpayment to approve it, or send it later in the week.',
  },
  refundRejectionForRefundedCancelledInvoicedOrderParamRefunded: {
    message: 'This order is already fully refunded at Frontpayment.',
    action: 'Nothing is left to refund. Refresh the order to see its refunds.',
  },
  refundRejectionForRefundedCancelledInvoicedOrderParamCancelled: {
    message: 'This order is cancelled at Frontpayment, so it cannot be refunded.',
    action: 'No money was taken for a cancelled order. Check the order with the customer.',
  },
  refundRejectionForRefundedCancelledInvoicedOrderParamInvoiced: {
    message: 'This order still has an unpaid invoice at Frontpayment, so it cannot be refunded yet.',
    action: 'Wait until the invoice is paid, or ask Frontpayment to credit the invoice instead.',
  },
  somethingWentWrong: {
    message: 'Frontpayment had an internal error. The refund may or may not have been made.',
    action: 'Do not send it again. Refund Desk checks the order at Frontpayment and updates the refund.',
  },
  orderRefundRequestAlreadySubmitted: {
    message: 'An approval request for this order is already waiting at Frontpayment.',
    action: 'Wait for Frontpayment to decide. Its decision shows up in the order status.',
  },
  Unauthenticated: {
    message: 'Frontpayment did not accept Refund Desk’s credentials.',
    action: 'Ask an administrator to check the Frontpayment token. Nothing was refunded.',
  },
  tooManyRequests: {
    message: 'Frontpayment is limiting how many requests Refund Desk may send right now.',
    action: 'Try again in a minute. Nothing was refunded.',
  },
  timeout: {
    message: 'Frontpayment did not answer in time.',
    action: 'Try again in a moment. A refund that was sent is checked automatically before anything is sent again.',
  },
  network: {
    message: 'Refund Desk could not reach Frontpayment.',
    action: 'Try again in a moment. A refund that was sent is checked automatically before anything is sent again.',
  },
  unexpectedResponse: {
    message: 'Frontpayment sent an answer Refund Desk could not read.',
    action: 'Try again in a moment, and contact support if it happens again.',
  },
  currencyNotSupported: {
    message: 'Frontpayment refunds are in Norwegian kroner only; this refund is in another currency.',
    action: 'Nothing was sent. Check the order with support.',
  },
  // frontpayment.md errata 1: order details may list no line ids; Frontpayment refunds name lines by them.
  lineIdsUnknown: {
    message:
      'Frontpayment did not give Refund Desk the line numbers of this order, and a refund through Refund Desk must name them.',
    action:
      "Nothing was sent. Refund the amount in Frontpayment's merchant portal, or ask Frontpayment support for the order's line ids.",
  },
  // errata 5: reservation payment history may list no capture or charge uuid; a refund must name one.
  paymentReferenceUnknown: {
    message: 'Frontpayment did not give Refund Desk the reference of the capture or charge to refund from.',
    action:
      "Nothing was sent. Refund it in Frontpayment's merchant portal, or ask Frontpayment support for the capture or charge reference.",
  },
};

/** Spellings Frontpayment uses for the same thing (§2: the 510 message comes both ways). */
const ALIASES: Record<string, FrontpaymentErrorKey> = {
  'Something Went Wrong': 'somethingWentWrong',
  // errata 6: the status endpoints answer an unknown order with this sentence.
  'Order Not Found': 'orderNotFound',
  'Unauthenticated.': 'Unauthenticated',
  'Too Many Attempts.': 'tooManyRequests',
};

/** The canonical key for a `message` as it came off the wire. */
export function normalizeKey(code: string): string {
  return ALIASES[code] ?? code;
}

export function describeFrontpaymentError(code: string): ErrorDescription {
  const known = DESCRIPTIONS[normalizeKey(code) as FrontpaymentErrorKey];
  if (known) return known;
  return {
    message: `Frontpayment answered with an error Refund Desk does not know (${code || 'no code'}).`,
    action: 'Refresh the order to see whether anything changed, and contact support if it happens again.',
  };
}
