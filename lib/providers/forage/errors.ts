import type { ErrorDescription } from '../types';

/**
 * Forage error codes and what an agent should read for each (PRODUCT.md §4 `describeError`).
 *
 * - Documented by Forage (forage.md §8): the universal codes plus `amount_mismatch`,
 *   `cannot_cancel_order` and `resource_not_found`.
 * - Forage publishes no codes for refund-specific problems (over-refund, unknown product, missing
 *   headers, refund in progress). The ones below are the sandbox's descriptive codes; a real
 *   unknown code falls back to a generic sentence.
 * - Refund Desk's own codes for what happens around a call: rate limit, 5xx, timeout, network,
 *   credentials, unreadable answers.
 */
const DESCRIPTIONS = {
  // Documented by Forage.
  bad_signature: {
    message: 'Forage did not accept the sign-in that Refund Desk sent with this request.',
    action: 'Try again in a few minutes. If it keeps happening, ask an administrator to check the Forage connection.',
  },
  cannot_change_request: {
    message: 'Forage already received a different request under the same request number, so it made no new refund.',
    action:
      'Do not send it again. Refresh the order to see what Forage refunded, then start a new refund if money is still owed.',
  },
  cannot_parse_request_body: {
    message: 'Forage could not read the refund request that Refund Desk sent.',
    action: 'Try again. If it happens again, tell your administrator.',
  },
  expired_session_token: {
    message: 'The sign-in with Forage had run out before the request arrived.',
    action: 'Try again. Refund Desk signs in to Forage again by itself.',
  },
  expired_token_signature: {
    message: 'The sign-in with Forage had run out before the request arrived.',
    action: 'Try again. Refund Desk signs in to Forage again by itself.',
  },
  forbidden: {
    message: 'Forage does not allow our merchant account to do this.',
    action: 'Ask an administrator to check with Forage that our account may make refunds for this store.',
  },
  invalid_token: {
    message: 'Forage did not recognise the sign-in that Refund Desk sent.',
    action: 'Ask an administrator to check the Forage credentials in the settings.',
  },
  amount_mismatch: {
    message: 'Forage found that the amount does not match the total of the products.',
    action: 'Check the products and the amount, then try again.',
  },
  cannot_cancel_order: {
    message: 'Forage cannot cancel this order in its current state.',
    action: 'Refund the products instead of cancelling the order.',
  },
  resource_not_found: {
    message: 'Forage could not find this order for our merchant account.',
    action: 'Check the order reference, or import the order again.',
  },
  // The sandbox's codes for problems Forage has no published code for.
  missing_merchant_account: {
    message: 'The request to Forage did not say which store it was for.',
    action: 'Ask an administrator to set the Forage merchant account in the settings.',
  },
  invalid_merchant_account: {
    message: 'Forage does not recognise the store account that Refund Desk sent.',
    action: 'Ask an administrator to check the Forage merchant account in the settings.',
  },
  missing_idempotency_key: {
    message: 'The request to Forage was missing its protection against double refunds, so Forage refused it.',
    action: 'Try again. If it happens again, tell your administrator.',
  },
  invalid_idempotency_key: {
    message: 'The request to Forage had an unusable protection against double refunds, so Forage refused it.',
    action: 'Try again. If it happens again, tell your administrator.',
  },
  invalid_api_version: {
    message: 'Forage did not accept the API version that Refund Desk is set to use.',
    action: 'Ask an administrator to check the Forage API version in the settings.',
  },
  invalid_request_body: {
    message: 'Forage found something missing or wrong in the refund request.',
    action: 'Check the products, quantities, amount and reason, then try again.',
  },
  unknown_product: {
    message: 'One of the chosen products is not on this order at Forage.',
    action: 'Refresh the order from Forage and choose the products again.',
  },
  quantity_exceeds_refundable: {
    message:
      'More units were chosen than Forage can still refund on this order. Units refunded at Forage directly (outside Refund Desk) count too, and Forage does not say which products those were.',
    action:
      'Nothing was refunded. Check in the Forage dashboard how many units of this product were already refunded there, and make a new refund with that many fewer, or refund an amount instead.',
  },
  amount_exceeds_refundable: {
    message: 'The amount is more than what is left to refund on this payment at Forage.',
    action: 'Refresh the order to see what was already refunded, then lower the amount.',
  },
  refund_in_progress: {
    message: 'Another refund on this order is still being processed by Forage.',
    action: 'Wait until that refund has finished, then try again.',
  },
  nothing_to_refund: {
    message: 'Everything on this order has already been refunded at Forage.',
    action: 'Nothing more to do. Refresh the order to see its refunds.',
  },
  order_not_refundable: {
    message: 'This order was never paid or was cancelled at Forage, so there is nothing to refund.',
    action: "Check the order's status; only paid orders can be refunded.",
  },
  no_matching_payment: {
    message: 'The order has no payment of the kind these products were paid with.',
    action: 'Refresh the order from Forage. If it happens again, refund an amount from the right payment instead.',
  },
  processor_declined: {
    message: 'The card or EBT network declined the refund, so the money did not go back to the customer.',
    action: 'Try the refund again later, or give the customer the money back another way.',
  },
  ebt_network_timeout: {
    message: 'The EBT network did not answer in time, so Forage cancelled the refund and no money moved.',
    action: 'Try the refund again.',
  },
  // Refund Desk's own codes.
  too_many_requests: {
    message: 'Forage is receiving too many requests right now.',
    action: 'Wait a minute, then try again.',
  },
  server_error: {
    message: 'Forage had a problem on its side.',
    action: 'Wait a few minutes. Refund Desk checks whether the refund went through before anything is sent again.',
  },
  timeout: {
    message: 'Forage did not answer in time.',
    action: 'Wait a few minutes. Refund Desk checks whether the refund went through before anything is sent again.',
  },
  network: {
    message: 'Refund Desk could not reach Forage.',
    action: 'Try again in a few minutes. If it keeps happening, tell your administrator.',
  },
  invalid_client: {
    message: 'Forage did not accept our account details.',
    action: 'Ask an administrator to check the Forage client ID and secret in the settings.',
  },
  unexpected_response: {
    message: 'Forage sent an answer that Refund Desk could not understand.',
    action: 'Refresh the order to see whether anything changed. If it happens again, tell your administrator.',
  },
} as const satisfies Record<string, ErrorDescription>;

export type ForageErrorCode = keyof typeof DESCRIPTIONS;

/** Every code with a description, for tests and for the admin page. */
export const FORAGE_ERROR_CODES = Object.keys(DESCRIPTIONS) as ForageErrorCode[];

/** The codes Forage itself documents (forage.md §8). */
export const FORAGE_DOCUMENTED_CODES: ForageErrorCode[] = [
  'bad_signature',
  'cannot_change_request',
  'cannot_parse_request_body',
  'expired_session_token',
  'expired_token_signature',
  'forbidden',
  'invalid_token',
  'amount_mismatch',
  'cannot_cancel_order',
  'resource_not_found',
];

export const UNKNOWN_FORAGE_ERROR: ErrorDescription = {
  message: 'Forage refused the request for a reason Refund Desk does not know.',
  action: 'Try again later. If it happens again, give your administrator the error code shown.',
};

export function describeForageError(code: string): ErrorDescription {
  return Object.hasOwn(DESCRIPTIONS, code) ? DESCRIPTIONS[code as ForageErrorCode] : UNKNOWN_FORAGE_ERROR;
}

/**
 * The error code of a Forage answer: the first code of the §8 envelope, or, for the older
 * `{"detail": ...}` bodies and bodies from proxies, a code from the HTTP status.
 */
export function errorCodeOf(status: number, body: unknown): string {
  if (body && typeof body === 'object' && 'errors' in body && Array.isArray(body.errors)) {
    const first: unknown = body.errors[0];
    if (first && typeof first === 'object' && 'code' in first && typeof first.code === 'string' && first.code) {
      return first.code;
    }
  }
  if (status === 401) return 'invalid_token';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'resource_not_found';
  if (status === 429) return 'too_many_requests';
  if (status >= 500) return 'server_error';
  return 'unexpected_response';
}

/** The envelope's own message, for logs (agents read `describeForageError`). */
export function errorDetailOf(body: unknown): string | null {
  if (body && typeof body === 'object') {
    if ('errors' in body && Array.isArray(body.errors)) {
      const first: unknown = body.errors[0];
      if (first && typeof first === 'object' && 'message' in first && typeof first.message === 'string') return first.message;
    }
    if ('detail' in body && typeof body.detail === 'string') return body.detail;
  }
  return typeof body === 'string' && body ? body.slice(0, 200) : null;
}
