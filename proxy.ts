import NextAuth from 'next-auth';
import { NextResponse } from 'next/server';
import { authConfig } from '@/lib/auth/config';

const { auth } = NextAuth(authConfig);

/**
 * Only sends signed-out visitors to the sign-in page. Authorization lives in layouts, actions and
 * route handlers, which read the user's row on every request.
 */
export default auth((request) => {
  if (request.auth) return NextResponse.next();
  const url = new URL('/signin', request.nextUrl.origin);
  const path = request.nextUrl.pathname + request.nextUrl.search;
  if (path !== '/') url.searchParams.set('callbackUrl', path);
  return NextResponse.redirect(url);
});

export const config = {
  // Public: sign-in, auth endpoints, health, provider webhooks, static assets and the files in public/
  // (favicon, robots.txt: crawlers and browsers fetch them without a session).
  matcher: ['/((?!signin|api/auth|api/health|api/webhooks|_next/static|_next/image|favicon.ico|favicon.svg|robots.txt).*)'],
};
