import 'server-only';
import { randomUUID } from 'node:crypto';
import { isIP } from 'node:net';
import { headers } from 'next/headers';

export interface RequestMeta {
  ip: string | null;
  userAgent: string | null;
  requestId: string;
}

/**
 * How many proxies in front of the app append to X-Forwarded-For and can be trusted to
 * (`TRUSTED_PROXY_HOPS`, default 0). Each trusted proxy appends the address it received the
 * request from, so the client is the entry that many places from the right; everything to its
 * left was written by the client and proves nothing. With 0, no address is believed: a client can
 * put anything in X-Forwarded-For (and `next start` keeps it), so the trail records none rather
 * than a forged one.
 */
export function trustedProxyHops(env: Record<string, string | undefined> = process.env): number {
  const hops = Number(env.TRUSTED_PROXY_HOPS ?? 0);
  return Number.isInteger(hops) && hops >= 0 && hops <= 10 ? hops : 0;
}

export function clientIp(h: Headers, hops = trustedProxyHops()): string | null {
  if (hops === 0) return null;
  const chain = (h.get('x-forwarded-for') ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  const candidate = chain[chain.length - hops];
  return candidate && isIP(candidate) ? candidate : null;
}

/** Client address (see `clientIp`) and request id: the proxy's `x-request-id`, or a new one. */
export function metaFromHeaders(h: Headers): RequestMeta {
  const given = h.get('x-request-id');
  return {
    ip: clientIp(h),
    userAgent: h.get('user-agent')?.slice(0, 512) || null,
    requestId: given && /^[\w.:-]{1,128}$/.test(given) ? given : randomUUID(),
  };
}

export async function getRequestMeta(): Promise<RequestMeta> {
  return metaFromHeaders(await headers());
}
