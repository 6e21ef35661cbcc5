import { trustedProxyHops } from '@/lib/request';

/** Methods that must not change anything, so a request from another site may make them. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The host the browser addressed: the Host header, or, behind trusted proxies only
 * (`TRUSTED_PROXY_HOPS` > 0, see lib/request.ts), the X-Forwarded-Host entry the outermost trusted
 * proxy wrote (that many places from the right, as for X-Forwarded-For). Without trusted proxies
 * X-Forwarded-Host is whatever the client wrote and is ignored.
 */
export function requestHost(request: Request, hops = trustedProxyHops()): string | null {
  if (hops > 0) {
    const chain = (request.headers.get('x-forwarded-host') ?? '')
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean);
    const forwarded = chain[chain.length - hops] ?? chain[0];
    if (forwarded) return forwarded;
  }
  const host = request.headers.get('host');
  if (host) return host;
  try {
    return new URL(request.url).host || null;
  } catch {
    return null;
  }
}

export type OriginRefusal = 'cross_origin' | 'missing_origin';

/**
 * Why a request that may change something is refused as possibly forged by another site (CSRF), or
 * null. Browsers send Origin on every cross-origin request and every same-origin POST, PUT, PATCH
 * and DELETE, and a page cannot forge it, so:
 * - an Origin whose host is not the one addressed (another site, a sandboxed frame's `null`) is
 *   refused;
 * - no Origin at all, on a request that carries cookies (so could carry a session), is refused: a
 *   browser would have sent one. Without cookies there is no session to ride on: the caller is a
 *   script, and the session check after this answers it.
 * Only the host is compared (as Next.js does for server actions): behind a TLS-terminating proxy
 * the app cannot tell the scheme the browser used.
 */
export function originRefusal(request: Request, hops = trustedProxyHops()): OriginRefusal | null {
  if (SAFE_METHODS.has(request.method.toUpperCase())) return null;
  const origin = request.headers.get('origin');
  if (origin === null) return request.headers.get('cookie') ? 'missing_origin' : null;
  const expected = requestHost(request, hops);
  if (!expected) return 'cross_origin';
  try {
    const from = new URL(origin);
    // The addressed host, written as a URL of the Origin's scheme: a default port then compares equal.
    const addressed = new URL(`${from.protocol}//${expected}`);
    return from.host === addressed.host ? null : 'cross_origin';
  } catch {
    return 'cross_origin';
  }
}
