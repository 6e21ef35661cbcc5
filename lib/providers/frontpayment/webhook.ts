import { createHash, timingSafeEqual } from 'node:crypto';
import { parseDecimal } from '@/lib/money';
import type { WebhookEvent, WebhookVerification } from '../types';

/**
 * Frontpayment callbacks (frontpayment.md §8): query-string parameters and
 * `checksum = sha256(values of the checksum fields, in order, then the secret key)`, lowercase
 * hex, no HMAC. The docs changed the field list over time, so it is configurable; the default is
 * the revision that includes `amount` and `timestamp`, and `timestamp` is checked for freshness.
 */

export const DEFAULT_CHECKSUM_FIELDS = ['orderUuid', 'status', 'createdAt', 'amount', 'timestamp'];
export const DEFAULT_CALLBACK_TOLERANCE_MS = 5 * 60_000;

export interface CallbackVerifyOptions {
  secret: string;
  checksumFields: string[];
  toleranceMs: number;
  now: Date;
}

export function verifyCallback(url: URL, options: CallbackVerifyOptions): WebhookVerification {
  const params = url.searchParams;
  const required = new Set([...options.checksumFields, 'orderUuid', 'status', 'timestamp', 'checksum']);
  for (const name of required) if (!params.get(name)) return { ok: false, reason: 'malformed' };
  const timestamp = params.get('timestamp')!;
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'malformed' };

  const given = params.get('checksum')!.toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(given)) return { ok: false, reason: 'bad_signature' };
  const expected = createHash('sha256')
    .update(options.checksumFields.map((field) => params.get(field) ?? '').join('') + options.secret, 'utf8')
    .digest();
  if (!timingSafeEqual(expected, Buffer.from(given, 'hex'))) return { ok: false, reason: 'bad_signature' };

  // Checked after the checksum, so a forged request learns nothing about our clock.
  const ageMs = options.now.getTime() - Number(timestamp) * 1000;
  if (Math.abs(ageMs) > options.toleranceMs) return { ok: false, reason: 'stale' };
  return { ok: true };
}

/**
 * A verified callback → WebhookEvent. The event id is a digest of every parameter except the
 * checksum, sorted, so a repeated delivery of the same callback dedupes to the same id.
 */
export function parseCallback(url: URL): WebhookEvent {
  const params = new URLSearchParams(url.searchParams);
  params.delete('checksum');
  const orderUuid = params.get('orderUuid');
  const status = params.get('status');
  if (!orderUuid || !status) throw new Error('Frontpayment callback without orderUuid or status');
  params.sort();
  const eventId = createHash('sha256').update(params.toString(), 'utf8').digest('hex');
  const seconds = Number(params.get('createdAt') ?? params.get('timestamp'));
  let amountMinor: number | null = null;
  try {
    const amount = params.get('amount');
    if (amount) amountMinor = parseDecimal(amount, 'NOK');
  } catch {
    amountMinor = null;
  }
  return {
    provider: 'frontpayment',
    eventId,
    type: 'ORDER_STATUS',
    createdAt: Number.isFinite(seconds) && seconds > 0 ? new Date(seconds * 1000) : new Date(),
    orderRef: orderUuid,
    refundRef: null,
    status,
    amountMinor,
    raw: Object.fromEntries(url.searchParams),
  };
}
