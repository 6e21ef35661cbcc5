import type { NextAuthConfig } from 'next-auth';

/**
 * The part of the next-auth config that needs no database, shared by the proxy (which only
 * redirects signed-out visitors) and the full config in ./index.ts.
 */
export const authConfig = {
  pages: { signIn: '/signin' },
  session: { strategy: 'jwt', maxAge: 8 * 60 * 60 },
  trustHost: true,
  providers: [],
  callbacks: {
    session({ session, token }) {
      // Only the id travels in the cookie; role and active flag are read from the users table on
      // every request (lib/auth/session.ts), so changes apply at once.
      if (token.sub) session.user.id = token.sub;
      return session;
    },
  },
} satisfies NextAuthConfig;
