import { createHash } from 'node:crypto';
import { nok } from './frontpayment-rules';

/**
 * Frontpayment's callback (frontpayment.md §8): a GET with query-string parameters and
 * `checksum = sha256(values of the checksum fields, in order, then the secret)` in lowercase hex.
 * No HMAC. The field order is configurable because the docs changed it over time.
 */

export interface CallbackEvent {
  orderUuid: string;
  status: string;
  /** When the change happened. */
  createdAt: Date;
  paymentMethod: string;
  amountMinor: number;
}

export interface CallbackOptions {
  secret: string;
  checksumFields: string[];
  /** Stamps `timestamp` this much in the past (the stale-callback mode). */
  staleByMs: number;
  now?: number;
}

export function callbackParams(event: CallbackEvent, options: CallbackOptions): URLSearchParams {
  const now = options.now ?? Date.now();
  const values: Record<string, string> = {
    orderUuid: event.orderUuid,
    status: event.status,
    createdAt: String(Math.floor(event.createdAt.getTime() / 1000)),
    paymentMethod: event.paymentMethod,
    amount: String(nok(event.amountMinor)),
    timestamp: String(Math.floor((now - options.staleByMs) / 1000)),
  };
  const params = new URLSearchParams(values);
  params.set('checksum', checksum(values, options.checksumFields, options.secret));
  return params;
}

export function checksum(values: Record<string, string>, fields: string[], secret: string): string {
  return createHash('sha256')
    .update(fields.map((field) => values[field] ?? '').join('') + secret, 'utf8')
    .digest('hex');
}

export function callbackUrl(appUrl: string, params: URLSearchParams): string {
  return `${appUrl.replace(/\/+$/, '')}/api/webhooks/frontpayment?${params.toString()}`;
}
