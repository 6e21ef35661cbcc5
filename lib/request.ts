import 'server-only';
import { randomUUID } from 'node:crypto';
import { headers } from 'next/headers';

export interface RequestMeta {
  ip: string | null;
  userAgent: string | null;
  requestId: string;
}

/**
 * Client address: the first X-Forwarded-For hop (set by `next start` and by any load balancer in
 * front of it). Request id: the proxy's `x-request-id`, or a new one.
 */
export function metaFromHeaders(h: Headers): RequestMeta {
  const forwarded = h.get('x-forwarded-for')?.split(',')[0]?.trim();
  return {
    ip: forwarded || h.get('x-real-ip') || null,
    userAgent: h.get('user-agent') || null,
    requestId: h.get('x-request-id') || randomUUID(),
  };
}

export async function getRequestMeta(): Promise<RequestMeta> {
  return metaFromHeaders(await headers());
}
