import { describe, expect, it, vi } from 'vitest';

vi.mock('server-only', () => ({}));
vi.mock('next/headers', () => ({ headers: async () => new Headers() }));
const { clientIp, metaFromHeaders, trustedProxyHops } = await import('./request');

const spoofed = (xff: string) => new Headers({ 'x-forwarded-for': xff, 'x-real-ip': '6.6.6.6' });

describe('client address', () => {
  it('believes no address without trusted proxies: a spoofed X-Forwarded-For is not recorded', () => {
    expect(clientIp(spoofed('1.2.3.4'), 0)).toBeNull();
    expect(trustedProxyHops({})).toBe(0);
    expect(metaFromHeaders(spoofed('1.2.3.4')).ip).toBeNull();
  });

  it('behind one proxy takes the address that proxy appended, never what the client wrote before it', () => {
    // The client sent "X-Forwarded-For: 1.2.3.4"; the load balancer appended the real peer.
    expect(clientIp(spoofed('1.2.3.4, 203.0.113.50'), 1)).toBe('203.0.113.50');
    expect(clientIp(spoofed('203.0.113.50'), 1)).toBe('203.0.113.50');
  });

  it('behind two proxies takes the second entry from the right', () => {
    expect(clientIp(spoofed('9.9.9.9, 203.0.113.50, 10.0.0.2'), 2)).toBe('203.0.113.50');
  });

  it('refuses a chain shorter than the configured hops, and anything that is not an address', () => {
    expect(clientIp(spoofed('203.0.113.50'), 2)).toBeNull();
    expect(clientIp(spoofed('not-an-ip'), 1)).toBeNull();
    expect(clientIp(new Headers(), 1)).toBeNull();
  });

  it('reads the configuration strictly', () => {
    expect(trustedProxyHops({ TRUSTED_PROXY_HOPS: '1' })).toBe(1);
    expect(trustedProxyHops({ TRUSTED_PROXY_HOPS: '-1' })).toBe(0);
    expect(trustedProxyHops({ TRUSTED_PROXY_HOPS: 'yes' })).toBe(0);
  });

  it('keeps a sane request id and drops an outlandish one', () => {
    expect(metaFromHeaders(new Headers({ 'x-request-id': 'abc-123' })).requestId).toBe('abc-123');
    expect(metaFromHeaders(new Headers({ 'x-request-id': 'x'.repeat(500) })).requestId).not.toHaveLength(500);
  });
});
