import 'server-only';
import { forbidden, redirect } from 'next/navigation';
import { cache } from 'react';
import { getDb } from '@/db';
import { getSessionUser } from '@/db/queries/users';
import type { User } from '@/db/schema';
import { ForbiddenError, SafeError, UnauthenticatedError } from '@/lib/errors';
import { getCookieSession } from './session-id';
import { can, type Permission } from './permissions';

export type SessionUser = Pick<User, 'id' | 'email' | 'name' | 'role' | 'active' | 'mustChangePassword' | 'locale'> & {
  /** The session's own id, so that its owner can end it or keep it. */
  sid: string;
};

/**
 * The signed-in user as the users table has them *now*: a deactivated user or a changed role
 * takes effect on the next request, whatever the cookie says. Cached per request.
 *
 * "Must change password" belongs to the session that used the one-time password: only that
 * session may set it (and do nothing else); any other session of a user whose one-time password
 * is pending is no session at all.
 */
export const getCurrentUser = cache(async (): Promise<SessionUser | null> => {
  const session = await getCookieSession();
  if (!session) return null;
  const db = await getDb();
  const user = await getSessionUser(db, session.userId);
  if (!user?.active) return null;
  if (user.mustChangePassword && !session.oneTime) return null;
  return { ...user, mustChangePassword: user.mustChangePassword && session.oneTime, sid: session.sid };
});

/**
 * For actions and route handlers: throws a SafeError the wrapper turns into a refusal. A user who
 * signed in with a one-time password can do nothing until they have set their own password.
 */
export async function requireUser(options: { allowPasswordChangePending?: boolean } = {}): Promise<SessionUser> {
  const user = await getCurrentUser();
  if (!user) throw new UnauthenticatedError();
  if (user.mustChangePassword && !options.allowPasswordChangePending) {
    throw new SafeError('Set your own password before doing anything else.', 'password_change_required');
  }
  return user;
}

export async function requirePermission(permission: Permission): Promise<SessionUser> {
  const user = await requireUser();
  if (!can(user.role, permission)) throw new ForbiddenError();
  return user;
}

/** For pages and layouts: signed-out → sign-in page; signed-in without the permission → 403 page. */
export async function requirePagePermission(permission?: Permission): Promise<SessionUser> {
  const user = await getCurrentUser();
  if (!user) redirect('/signin');
  if (user.mustChangePassword) redirect('/set-password');
  if (permission && !can(user.role, permission)) forbidden();
  return user;
}
