import type { NextAuthConfig } from 'next-auth';
import { authLogger } from './logger';

/**
 * The part of the next-auth config that needs no database, shared by the proxy (which only
 * redirects signed-out visitors) and the full config in ./index.ts.
 */
function minutesFromEnv(name: string, fallback: number) {
  const value = Number(process.env[name]);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}

/**
 * A session lasts at most one working day from sign-in, whatever happens (absolute lifetime), and
 * ends after 30 minutes without a request (idle timeout). Both are checked on the server against
 * the session's row; the cookie's own expiry is only a backstop.
 */
export const SESSION_MAX_AGE_SECONDS = minutesFromEnv('SESSION_MAX_AGE_MINUTES', 8 * 60) * 60;
export const SESSION_IDLE_TIMEOUT_SECONDS = minutesFromEnv('SESSION_IDLE_TIMEOUT_MINUTES', 30) * 60;

export type SessionWithSid = { sid?: string };

export const authConfig = {
  pages: { signIn: '/signin' },
  session: { strategy: 'jwt', maxAge: SESSION_MAX_AGE_SECONDS },
  trustHost: true,
  providers: [],
  // Here, not only in ./index.ts: the proxy's own Auth.js instance (a cookie it cannot decode, say)
  // must not print its unstructured `[auth][error]` lines either.
  logger: authLogger,
  callbacks: {
    session({ session, token }) {
      // Only the id travels in the cookie; role and active flag are read from the users table on
      // every request (lib/auth/session.ts), so changes apply at once.
      if (token.sub) session.user.id = token.sub;
      // The session's own id, so that signing out can end exactly this session on the server.
      if (typeof token.sid === 'string') (session as typeof session & SessionWithSid).sid = token.sid;
      return session;
    },
  },
} satisfies NextAuthConfig;
