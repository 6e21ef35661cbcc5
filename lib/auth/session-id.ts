import 'server-only';
import { getDb } from '@/db';
import { getLiveSession, touchSession } from '@/db/queries/sessions';
import type { Session } from 'next-auth';
import { auth } from '.';
import { SESSION_IDLE_TIMEOUT_SECONDS, type SessionWithSid } from './config';

/** The session cookie's user id and session id, or null. */
export async function getSessionIds(): Promise<{ userId: string; sid: string } | null> {
  const session = (await auth()) as (Session & SessionWithSid) | null;
  const userId = session?.user?.id;
  const sid = session?.sid;
  return userId && sid ? { userId, sid } : null;
}

/** Seen-at is written at most once a minute per session: plenty for a 30-minute idle timeout. */
const TOUCH_EVERY_MS = 60_000;

export interface CookieSession {
  sid: string;
  userId: string;
  /** Opened with a one-time password: only this session may set the user's own password. */
  oneTime: boolean;
}

/**
 * The live session behind the signed cookie, or null: no cookie, no row for its id (never opened,
 * or purged), ended (sign-out, reset, deactivation, role change), past its absolute lifetime, or
 * idle for too long. Kept apart so tests can stand in for the cookie.
 */
export async function getCookieSession(now = new Date()): Promise<CookieSession | null> {
  const ids = await getSessionIds();
  if (!ids) return null;
  const db = await getDb();
  const idleSince = new Date(now.getTime() - SESSION_IDLE_TIMEOUT_SECONDS * 1000);
  const row = await getLiveSession(db, ids.sid, ids.userId, now, idleSince);
  if (!row) return null;
  if (now.getTime() - row.lastSeenAt.getTime() > TOUCH_EVERY_MS) await touchSession(db, ids.sid, now);
  return { sid: row.sid, userId: row.userId, oneTime: row.oneTime };
}
