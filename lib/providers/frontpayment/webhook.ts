import { createHash, timingSafeEqual } from 'node:crypto';
import { parseDecimal } from '@/lib/money';
import type { WebhookEvent, WebhookVerification } from '../types';
import { checksumInput, type ChecksumFormula } from './checksum';

/**
 * Frontpayment callbacks (frontpayment.md §8 and errata 3): query-string parameters and a
 * lowercase hex `checksum = sha256(<values> . secret key)`, no HMAC. Which values go in is the
 * formula (./checksum.ts): by default every parameter except the checksum, in the order received;
 * the older fixed field lists are options. `timestamp` is checked for freshness when present; the
 * older formulas may not carry it, and a correctly checksummed callback is not refused for that.
 */

export const DEFAULT_CALLBACK_TOLERANCE_MS = 5 * 60_000;

export interface CallbackVerifyOptions {
  secret: string;
  checksum: ChecksumFormula;
  toleranceMs: number;
  now: Date;
}

export function verifyCallback(url: URL, options: CallbackVerifyOptions): WebhookVerification {
  const params = url.searchParams;
  const formulaFields = options.checksum.kind === 'fields' ? options.checksum.fields : [];
  const required = new Set([...formulaFields, 'orderUuid', 'status', 'checksum']);
  for (const name of required) if (!params.get(name)) return { ok: false, reason: 'malformed' };
  const timestamp = params.get('timestamp');
  if (timestamp !== null && !/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'malformed' };

  const given = params.get('checksum')!.toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(given)) return { ok: false, reason: 'bad_signature' };
  const expected = createHash('sha256')
    .update(checksumInput(params, options.checksum) + options.secret, 'utf8')
    .digest();
  if (!timingSafeEqual(expected, Buffer.from(given, 'hex'))) return { ok: false, reason: 'bad_signature' };

  // Checked after the checksum, so a forged request learns nothing about our clock.
  if (timestamp !== null) {
    const ageMs = options.now.getTime() - Number(timestamp) * 1000;
    if (Math.abs(ageMs) > options.toleranceMs) return { ok: false, reason: 'stale' };
  }
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
