import { unstable_doesMiddlewareMatch } from 'next/experimental/testing/server';
import { NextRequest, type NextFetchEvent } from 'next/server';
import { beforeEach, describe, expect, it, vi } from 'vitest';

/**
 * Auth.js cannot be loaded under Vitest (next-auth's ESM build imports `next/server` without an
 * extension); its middleware wrapper is stood in for: it hands the callback the request with the
 * session of `signedIn`, as the real one does.
 */
const signedIn = vi.hoisted(() => ({ value: false }));
vi.mock('next-auth', () => ({
  default: () => ({
    auth:
      (callback: (request: NextRequest & { auth: unknown }, event: unknown) => Response) =>
      (request: NextRequest, event: unknown) =>
        callback(Object.assign(request, { auth: signedIn.value ? { user: { id: 'u1' } } : null }), event),
  }),
}));

const { default: proxy, config } = await import('./proxy');

const event = {} as NextFetchEvent;
const call = (path: string, headers: Record<string, string> = {}) =>
  proxy(new NextRequest(`http://localhost:3000${path}`, { headers }), event) as Response;

function scriptSrc(csp: string | null): string[] {
  const directive = (csp ?? '')
    .split(';')
    .map((part) => part.trim())
    .find((part) => part.startsWith('script-src '));
  return directive ? directive.split(/\s+/).slice(1) : [];
}
const nonceOf = (csp: string | null) => scriptSrc(csp).find((source) => source.startsWith("'nonce-"));

beforeEach(() => {
  signedIn.value = false;
});

describe('proxy', () => {
  it('runs for every page, the public ones and unknown paths included, but not for build assets', () => {
    for (const url of [
      '/',
      '/signin',
      '/signin?callbackUrl=%2Forders',
      '/orders',
      '/set-password',
      '/no-such-page',
      '/api/webhooks/forage',
      '/api/auth/session',
    ]) {
      expect(unstable_doesMiddlewareMatch({ config, url }), url).toBe(true);
    }
    for (const url of ['/_next/static/chunks/app.js', '/_next/image?url=x', '/favicon.svg', '/favicon.ico', '/robots.txt']) {
      expect(unstable_doesMiddlewareMatch({ config, url }), url).toBe(false);
    }
  });

  it('gives each answer a fresh nonce in a CSP without unsafe-inline scripts, and hands it to the renderer', () => {
    const first = call('/signin');
    const second = call('/signin');
    const csp = first.headers.get('content-security-policy');
    expect(nonceOf(csp)).toMatch(/^'nonce-[A-Za-z0-9+/]{22}=='$/);
    expect(nonceOf(second.headers.get('content-security-policy'))).not.toBe(nonceOf(csp));
    expect(scriptSrc(csp)).toContain("'strict-dynamic'");
    expect(scriptSrc(csp)).not.toContain("'unsafe-inline'");
    expect(scriptSrc(csp)).not.toContain("'unsafe-eval'");
    for (const directive of ["object-src 'none'", "frame-ancestors 'none'", "base-uri 'self'", "form-action 'self'"]) {
      expect(csp).toContain(directive);
    }
    // Next.js reads the nonce from the request it renders: the same policy, overriding the client's.
    expect(first.headers.get('x-middleware-request-content-security-policy')).toBe(csp);
  });

  it("overwrites a CSP the client sent, so a client cannot choose the renderer's nonce", () => {
    const response = call('/signin', { 'content-security-policy': "script-src 'nonce-chosenbytheclient'" });
    expect(response.headers.get('x-middleware-request-content-security-policy')).not.toContain('chosenbytheclient');
  });

  it('sends signed-out visitors to sign in, and lets signed-in ones through with the CSP', () => {
    const redirected = call('/orders?q=RD-1');
    expect(redirected.status).toBe(307);
    expect(new URL(redirected.headers.get('location')!).pathname).toBe('/signin');
    expect(new URL(redirected.headers.get('location')!).searchParams.get('callbackUrl')).toBe('/orders?q=RD-1');
    expect(new URL(call('/').headers.get('location')!).search).toBe('');

    for (const path of [
      '/signin',
      '/api/health',
      '/api/health/live',
      '/api/health/ready',
      '/api/metrics',
      '/api/webhooks/forage',
      '/api/auth/csrf',
    ]) {
      const response = call(path);
      expect(response.headers.get('location'), path).toBeNull();
      expect(nonceOf(response.headers.get('content-security-policy')), path).toBeDefined();
    }

    signedIn.value = true;
    const page = call('/orders');
    expect(page.headers.get('location')).toBeNull();
    expect(nonceOf(page.headers.get('content-security-policy'))).toBeDefined();
  });

  it('refuses a server action whose body is past the 1 MB limit with a 413, not the 500 Next.js gives', async () => {
    const SERVER_ACTION_BODY_LIMIT = 1024 * 1024;
    const post = (length: number, action = 'abc123') =>
      proxy(
        new NextRequest('http://localhost:3000/signin', {
          method: 'POST',
          headers: { 'next-action': action, 'content-length': String(length) },
        }),
        event,
      ) as Response;
    const refused = post(SERVER_ACTION_BODY_LIMIT + 1);
    expect(refused.status).toBe(413);
    expect(await refused.json()).toMatchObject({ code: 'too_large' });
    expect(post(SERVER_ACTION_BODY_LIMIT).status).not.toBe(413);
    // Not an action: route handlers cap their own bodies (lib/http/body.ts).
    const route = proxy(
      new NextRequest('http://localhost:3000/api/webhooks/forage', {
        method: 'POST',
        headers: { 'content-length': String(SERVER_ACTION_BODY_LIMIT * 2) },
      }),
      event,
    ) as Response;
    expect(route.status).not.toBe(413);
  });
});
