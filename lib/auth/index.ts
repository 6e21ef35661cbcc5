import 'server-only';
import NextAuth, { CredentialsSignin } from 'next-auth';
import { cookies } from 'next/headers';
import Credentials from 'next-auth/providers/credentials';
import type { Provider } from 'next-auth/providers';
import { z } from 'zod';
import { getDb } from '@/db';
import { insertSession } from '@/db/queries/sessions';
import { findUserByEmail } from '@/db/queries/users';
import { oidcSignInAllowed } from './oidc';
import { recordAudit } from '@/lib/audit';
import { metaFromHeaders } from '@/lib/request';
import { authenticate } from './authenticate';
import { DEVICE_COOKIE, DEVICE_COOKIE_MAX_AGE_SECONDS, deviceTokenFromCookieHeader } from './device';
import { authConfig, SESSION_MAX_AGE_SECONDS } from './config';

class InvalidCredentials extends CredentialsSignin {
  override code = 'invalid';
}
class Throttled extends CredentialsSignin {
  override code = 'throttled';
}

const credentialsSchema = z.object({
  email: z.string().trim().email().max(320),
  password: z.string().min(1).max(1024),
});

const providers: Provider[] = [
  Credentials({
    credentials: { email: {}, password: {} },
    async authorize(raw, request) {
      const parsed = credentialsSchema.safeParse(raw);
      if (!parsed.success) throw new InvalidCredentials();
      const meta = metaFromHeaders(request.headers);
      const deviceToken = deviceTokenFromCookieHeader(request.headers.get('cookie'));
      const result = await authenticate(await getDb(), { ...parsed.data, ...meta, deviceToken });
      if (result.ok) {
        // This browser now counts its own failed sign-ins for this account (lib/auth/device.ts).
        (await cookies()).set(DEVICE_COOKIE, result.deviceToken, {
          httpOnly: true,
          sameSite: 'lax',
          secure: new URL(request.url).protocol === 'https:',
          path: '/',
          maxAge: DEVICE_COOKIE_MAX_AGE_SECONDS,
        });
        return { id: result.user.id, email: result.user.email, name: result.user.name, sid: result.sid };
      }
      throw result.reason === 'throttled' ? new Throttled() : new InvalidCredentials();
    },
  }),
];

/**
 * Single sign-on through any OIDC provider (Okta, Entra ID, Google Workspace), off unless
 * configured. Only users an admin has created (matched by email) may sign in this way.
 */
if (process.env.AUTH_OIDC_ISSUER && process.env.AUTH_OIDC_CLIENT_ID) {
  providers.push({
    id: 'oidc',
    name: process.env.AUTH_OIDC_NAME || 'Single sign-on',
    type: 'oidc',
    issuer: process.env.AUTH_OIDC_ISSUER,
    clientId: process.env.AUTH_OIDC_CLIENT_ID,
    clientSecret: process.env.AUTH_OIDC_CLIENT_SECRET,
  });
}

export const oidcEnabled = providers.some((p) => typeof p !== 'function' && p.id === 'oidc');
export const oidcName = process.env.AUTH_OIDC_NAME || 'Single sign-on';

export const { handlers, auth, signIn, signOut } = NextAuth({
  ...authConfig,
  providers,
  callbacks: {
    ...authConfig.callbacks,
    async signIn({ account, profile }) {
      if (account?.provider !== 'oidc') return true;
      const email = profile?.email?.toLowerCase();
      const db = await getDb();
      const user = email ? await findUserByEmail(db, email) : null;
      const allowed = oidcSignInAllowed(user, profile);
      await recordAudit(
        db,
        {
          actorId: user?.id ?? null,
          actorRole: user?.role ?? null,
          actorEmail: email ?? null,
          ip: null,
          userAgent: null,
          requestId: null,
        },
        {
          action: 'auth.sign_in',
          entityType: 'user',
          entityId: user?.id ?? null,
          after: { method: 'oidc' },
          outcome: allowed ? 'success' : 'failure',
        },
      );
      return allowed;
    },
    async jwt({ token, account, profile, user }) {
      // Each sign-in opens a session row (lib/auth/session-id.ts); the cookie carries its id, kept
      // as the cookie is re-issued. Without a row the cookie is no session.
      if (account?.provider === 'oidc' && profile?.email) {
        const db = await getDb();
        const row = await findUserByEmail(db, profile.email);
        if (!row) return null;
        const sid = crypto.randomUUID();
        await insertSession(db, {
          sid,
          userId: row.id,
          oneTime: false,
          expiresAt: new Date(Date.now() + SESSION_MAX_AGE_SECONDS * 1000),
        });
        token.sub = row.id;
        token.sid = sid;
      } else if (user?.id) {
        token.sub = user.id;
        token.sid = (user as typeof user & { sid?: string }).sid;
      }
      return token;
    },
  },
});
