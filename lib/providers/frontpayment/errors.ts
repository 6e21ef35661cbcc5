import words from '@/messages/en/providerErrors.json';
import type { ErrorDescription } from '../types';
import { normalizeKey } from './error-keys';

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

// The sentences live in the message catalogue (messages/<locale>/providerErrors.json), English here
// for the server's own records (a refund's stored reason, logs); pages say them in the reader's language.
// Notes on the client's own keys: lineIdsUnknown is frontpayment.md errata 1 (order details may list
// no line ids; refunds name lines by them), paymentReferenceUnknown errata 5 (payment history may
// list no capture or charge uuid; a refund must name one).
const DESCRIPTIONS: Record<FrontpaymentErrorKey, ErrorDescription> = words.frontpayment.codes;

export { normalizeKey } from './error-keys';

export function describeFrontpaymentError(code: string): ErrorDescription {
  const known = DESCRIPTIONS[normalizeKey(code) as FrontpaymentErrorKey];
  if (known) return known;
  const { message, action } = words.frontpayment.unknown;
  return { message: message.replace('{code}', code || 'no code'), action };
}
