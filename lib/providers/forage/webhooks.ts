import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { WebhookEvent, WebhookVerification } from '../types';
import { parseForageTime, usd } from './mapping';

/**
 * Forage webhooks (forage.md §10). The `Webhook-Signature` header is documented; the algorithm is
 * not. [ASSUME] HMAC-SHA256 of the raw body with the webhook's secret, lowercase hex, and a replay
 * check on the payload's `created`. Algorithm, encoding and tolerance are configurable.
 */

export interface WebhookOptions {
  secret: string;
  algorithm: 'sha256' | 'sha512';
  encoding: 'hex' | 'base64';
  /** How old `created` may be. */
  toleranceMs: number;
  /** How far in the future `created` may be (clock skew). */
  futureToleranceMs: number;
}

const envelope = z.object({
  ref: z.string().min(1),
  type: z.string().min(1),
  created: z.string().min(1),
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
    return createdAt ? { ...parsed.data, createdAt, amountMinor } : null;
  } catch {
    // Not JSON, or an amount that is not a decimal (MoneyError).
    return null;
  }
}

/** Checks the signature over the raw body, then the body's shape, then its age. Never throws. */
export function verifyForageWebhook(
  input: { rawBody: string; headers: Headers; now?: Date },
  options: WebhookOptions,
): WebhookVerification {
  const header = input.headers.get('webhook-signature');
  if (!header || !signatureMatches(input.rawBody, header, options)) return { ok: false, reason: 'bad_signature' };
  const event = parseEnvelope(input.rawBody);
  if (!event) return { ok: false, reason: 'malformed' };
  const age = (input.now ?? new Date()).getTime() - event.createdAt.getTime();
  if (age > options.toleranceMs || -age > options.futureToleranceMs) return { ok: false, reason: 'stale' };
  return { ok: true };
}

/** The event inside a verified delivery; throws on a body that is not a Forage event. */
export function parseForageWebhook(rawBody: string): WebhookEvent {
  const event = parseEnvelope(rawBody);
  if (!event) throw new Error('Not a Forage webhook event.');
  const { data } = event;
  return {
    provider: 'forage',
    eventId: event.ref,
    type: event.type,
    createdAt: event.createdAt,
    orderRef: data.order_ref ?? '',
    refundRef: data.refund_ref ?? null,
    status: data.status ?? '',
    amountMinor: event.amountMinor,
    raw: JSON.parse(rawBody) as unknown,
  };
}
