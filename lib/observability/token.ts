import { createHash, timingSafeEqual } from 'node:crypto';

/** The shortest METRICS_TOKEN served: anything shorter is treated as unset (metrics off). */
export const MIN_METRICS_TOKEN_LENGTH = 24;

export type TokenCheck = 'disabled' | 'missing' | 'refused' | 'ok';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * Checks `Authorization: Bearer <token>` against METRICS_TOKEN. Only the header is read: a token in
 * the query string would end up in access logs and proxies' histories, so it is never looked at.
 * Both sides are hashed to the same length first, so the comparison takes the same time whatever
 * the presented token is.
 */
export function checkMetricsToken(headers: Headers, expected = process.env.METRICS_TOKEN): TokenCheck {
  if (!expected || expected.length < MIN_METRICS_TOKEN_LENGTH) return 'disabled';
  const match = /^Bearer ([^\s]+)$/i.exec(headers.get('authorization')?.trim() ?? '');
  if (!match) return 'missing';
  return timingSafeEqual(digest(match[1]!), digest(expected)) ? 'ok' : 'refused';
}
