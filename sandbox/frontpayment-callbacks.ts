import { createHash } from 'node:crypto';
import { nok } from './frontpayment-rules';

/**
 * Frontpayment's callback (frontpayment.md §8, errata 3): a GET with query-string parameters and
 * a lowercase hex `checksum = sha256(<values> . secret)`, no HMAC. Which values is the formula:
 *
 * - `all-in-order` (the current docs, default): every parameter except the checksum, in the
 *   order they are sent, `paymentMethod` included;
 * - `fields:<comma list>`: the older revisions' fixed lists, e.g.
 *   `fields:orderUuid,status,createdAt,amount,timestamp` or `fields:orderUuid,status,createdAt`.
 *
 * The parameters go out in the order of the docs' example URL:
 * `orderUuid, status, amount, paymentMethod, createdAt, timestamp, checksum`.
 */

export type CallbackChecksum = { kind: 'all-in-order' } | { kind: 'fields'; fields: string[] };

/** Reads `SANDBOX_FP_CHECKSUM` (`all-in-order` | `fields:<list>`) or the older `SANDBOX_FP_CHECKSUM_FIELDS` list. */
export function callbackChecksumFrom(formula: string | undefined, fieldsList: string | undefined): CallbackChecksum {
  const text = formula?.trim();
  const fields = (list: string) => ({
    kind: 'fields' as const,
    fields: list
      .split(',')
      .map((f) => f.trim())
      .filter(Boolean),
  });
  if (text) {
    if (text === 'all-in-order') return { kind: 'all-in-order' };
    if (text.startsWith('fields:')) return fields(text.slice('fields:'.length));
    throw new Error(`SANDBOX_FP_CHECKSUM: "${text}" is not all-in-order or fields:<comma list>`);
  }
  return fieldsList?.trim() ? fields(fieldsList) : { kind: 'all-in-order' };
}

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
  checksum: CallbackChecksum;
  /** Stamps `timestamp` this much in the past (the stale-callback mode). */
  staleByMs: number;
  now?: number;
}

export function callbackParams(event: CallbackEvent, options: CallbackOptions): URLSearchParams {
  const now = options.now ?? Date.now();
  const params = new URLSearchParams([
    ['orderUuid', event.orderUuid],
    ['status', event.status],
    ['amount', String(nok(event.amountMinor))],
    ['paymentMethod', event.paymentMethod],
    ['createdAt', String(Math.floor(event.createdAt.getTime() / 1000))],
    ['timestamp', String(Math.floor((now - options.staleByMs) / 1000))],
  ]);
  params.set('checksum', checksum(params, options.checksum, options.secret));
  return params;
}

export function checksum(params: URLSearchParams, formula: CallbackChecksum, secret: string): string {
  const values =
    formula.kind === 'fields'
      ? formula.fields.map((field) => params.get(field) ?? '')
      : [...params].filter(([name]) => name !== 'checksum').map(([, value]) => value);
  return createHash('sha256')
    .update(values.join('') + secret, 'utf8')
    .digest('hex');
}

export function callbackUrl(appUrl: string, params: URLSearchParams): string {
  return `${appUrl.replace(/\/+$/, '')}/api/webhooks/frontpayment?${params.toString()}`;
}
