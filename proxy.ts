import NextAuth, { type NextAuthRequest } from 'next-auth';
import { NextResponse, type NextFetchEvent, type NextRequest } from 'next/server';
import { authConfig } from '@/lib/auth/config';
import { contentSecurityPolicy, newNonce, oidcFormTargets } from '@/lib/http/csp';

const { auth } = NextAuth(authConfig);

/**
 * Reached without a session: sign-in, Auth.js's own endpoints, the health probes, provider webhooks
 * and the metrics scrape (which checks its own bearer token).
 */
const PUBLIC = /^\/(?:signin|api\/auth|api\/health|api\/metrics|api\/webhooks)(?:\/|$)/;

/**
 * Lets the request through with a fresh nonce-based CSP (lib/http/csp.ts): on the request, where
 * Next.js reads the nonce while it renders, and on the answer, where the browser enforces it.
 */
function nextWithCsp(request: NextRequest) {
  const csp = contentSecurityPolicy({
    nonce: newNonce(),
    dev: process.env.NODE_ENV === 'development',
    formTargets: oidcFormTargets(),
  });
  const headers = new Headers(request.headers);
  // Overwrites whatever the client sent under this name: only this nonce may reach the renderer.
  headers.set('content-security-policy', csp);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set('content-security-policy', csp);
  return response;
}

/**
 * Sends signed-out visitors to the sign-in page. Authorization lives in layouts, actions and route
 * handlers, which read the user's row on every request.
 */
// Typed with the event so that Auth.js's middleware overload (not the route handler's) applies.
const signedInOnly = auth((request: NextAuthRequest, _event: NextFetchEvent) => {
  if (request.auth) return nextWithCsp(request);
  const url = new URL('/signin', request.nextUrl.origin);
  const path = request.nextUrl.pathname + request.nextUrl.search;
  if (path !== '/') url.searchParams.set('callbackUrl', path);
  return NextResponse.redirect(url);
});

/**
 * Next.js's own limit on a server action's body (1 MB, `serverActions.bodySizeLimit`'s default).
 * Past it Next.js fails the request with a 500 (its 413 is lost on the way out); a body declared
 * larger is refused here first with a 413 the caller can read.
 */
const SERVER_ACTION_BODY_LIMIT = 1024 * 1024;

function tooLargeForAnAction(request: NextRequest) {
  if (request.method !== 'POST' || !request.headers.has('next-action')) return false;
  return Number(request.headers.get('content-length') ?? 0) > SERVER_ACTION_BODY_LIMIT;
}

export default function proxy(request: NextRequest, event: NextFetchEvent) {
  if (tooLargeForAnAction(request)) {
    return NextResponse.json({ error: 'That request is too large.', code: 'too_large' }, { status: 413 });
  }
  if (PUBLIC.test(request.nextUrl.pathname)) return nextWithCsp(request);
  return signedInOnly(request, event);
}

export const config = {
  // Every page, public ones included, so each HTML answer carries its own nonce; only build assets
  // and the files in public/ (favicon, robots.txt: fetched without a session, and no HTML) skip it.
  matcher: ['/((?!_next/static|_next/image|favicon.ico|favicon.svg|robots.txt).*)'],
};
