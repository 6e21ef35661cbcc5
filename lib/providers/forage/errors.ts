import words from '@/messages/en/providerErrors.json';
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
 *
 * The sentences live in the message catalogue (messages/<locale>/providerErrors.json): English
 * here, for the server's own records (a refund's stored reason, logs); pages say them in the
 * reader's language from the code.
 */
const DESCRIPTIONS = words.forage.codes satisfies Record<string, ErrorDescription>;

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

export const UNKNOWN_FORAGE_ERROR: ErrorDescription = words.forage.unknown;

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
