import 'server-only';
import { getDb } from '@/db';
import { isSessionRevoked } from '@/db/queries/sessions';
import type { Session } from 'next-auth';
import { auth } from '.';
import type { SessionWithSid } from './config';

/** The session cookie's user id and session id, or null. */
export async function getSessionIds(): Promise<{ userId: string; sid: string } | null> {
  const session = (await auth()) as (Session & SessionWithSid) | null;
  const userId = session?.user?.id;
  const sid = session?.sid;
  return userId && sid ? { userId, sid } : null;
}

/**
 * The user id in the signed session cookie, or null when there is none or its session was ended
 * by signing out. Kept apart so tests can stand in for the cookie.
 */
export async function getSessionUserId(): Promise<string | null> {
  const ids = await getSessionIds();
  if (!ids) return null;
  const db = await getDb();
  return (await isSessionRevoked(db, ids.sid)) ? null : ids.userId;
}
