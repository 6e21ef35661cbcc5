import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { WebhookEvent, WebhookVerification } from '../types';
import { parseForageTime, usd } from './mapping';

/**
 * Forage webhooks (forage.md §10, errata 4). The `Webhook-Signature` header is documented; the
 * exact HMAC construction is not. [ASSUME] HMAC-SHA256 of the raw body with the webhook's secret,
 * lowercase hex; algorithm and encoding are configurable.
 *
 * There is no maximum age: `created` is when the event was made, and Forage retries a delivery
 * with exponential backoff for much longer than minutes, asking for a 2xx to every well-formed
 * one. A replay is stopped by the inbox's unique (provider, event id) key instead, and an old
 * status never moves a refund back (lib/refunds/provider-status.ts). Only a `created` too far in
 * the future for clock skew is refused.
 */

export interface WebhookOptions {
  secret: string;
  algorithm: 'sha256' | 'sha512';
  encoding: 'hex' | 'base64';
  /** How far in the future `created` may be (clock skew). Any age in the past is accepted. */
  futureToleranceMs: number;
}

const envelope = z.object({
  ref: z.string().min(1),
  type: z.string().min(1),
  /** Read leniently (errata 6): an unreadable `created` does not make the event malformed. */
  created: z.unknown().optional(),
  data: z.looseObject({
    refund_ref: z.string().nullish(),
    order_ref: z.string().nullish(),
    status: z.string().nullish(),
    amount: z.union([z.string(), z.number()]).nullish(),
  }),
});

function signatureMatches(rawBody: string, header: string, options: WebhookOptions): boolean {
  // Tolerate a "sha256=" style prefix, which many providers put in front of the digest.
  const given = header.trim().replace(/^[a-z0-9]+=/i, '');
  const valid =
    options.encoding === 'hex' ? /^[0-9a-f]+$/i.test(given) && given.length % 2 === 0 : /^[A-Za-z0-9+/=_-]+$/.test(given);
  if (!valid) return false;
  const expected = createHmac(options.algorithm, options.secret).update(rawBody, 'utf8').digest();
  const received = Buffer.from(given, options.encoding === 'hex' ? 'hex' : 'base64');
  return received.length === expected.length && timingSafeEqual(received, expected);
}

function parseEnvelope(rawBody: string) {
  try {
    const parsed = envelope.safeParse(JSON.parse(rawBody));
    if (!parsed.success) return null;
    const createdAt = parseForageTime(parsed.data.created);
    const { amount } = parsed.data.data;
    const amountMinor = amount === null || amount === undefined ? null : usd(amount);
    return { ...parsed.data, createdAt, amountMinor };
  } catch {
    // Not JSON, or an amount that is not a decimal (MoneyError).
    return null;
  }
}

/**
 * Checks the signature over the raw body, then the body's shape, then that `created` is not in
 * the future beyond the clock-skew tolerance. However old, a genuine event is accepted. Never throws.
 */
export function verifyForageWebhook(
  input: { rawBody: string; headers: Headers; now?: Date },
  options: WebhookOptions,
): WebhookVerification {
  const header = input.headers.get('webhook-signature');
  if (!header || !signatureMatches(input.rawBody, header, options)) return { ok: false, reason: 'bad_signature' };
  const event = parseEnvelope(input.rawBody);
  if (!event) return { ok: false, reason: 'malformed' };
  const ahead = event.createdAt ? event.createdAt.getTime() - (input.now ?? new Date()).getTime() : 0;
  if (ahead > options.futureToleranceMs) return { ok: false, reason: 'stale' };
  return { ok: true };
}

/**
 * The event inside a verified delivery; throws on a body that is not a Forage event. An unreadable
 * `created` becomes the time of receipt.
 */
export function parseForageWebhook(rawBody: string, now: Date = new Date()): WebhookEvent {
  const event = parseEnvelope(rawBody);
  if (!event) throw new Error('Not a Forage webhook event.');
  const { data } = event;
  return {
    provider: 'forage',
    eventId: event.ref,
    type: event.type,
    createdAt: event.createdAt ?? now,
    orderRef: data.order_ref ?? '',
    refundRef: data.refund_ref ?? null,
    status: data.status ?? '',
    amountMinor: event.amountMinor,
    raw: JSON.parse(rawBody) as unknown,
  };
}
