import { and, eq, gt, isNull, lt, ne, sql } from 'drizzle-orm';
import type { DbOrTx } from '@/db';
import { sessions, type SessionEndReason } from '@/db/schema';

/** Opens a session at sign-in; its absolute end is fixed now. */
export async function insertSession(db: DbOrTx, session: { sid: string; userId: string; expiresAt: Date; oneTime: boolean }) {
  await db.insert(sessions).values(session);
}

/**
 * A live session: the row exists, has not ended, is within its absolute lifetime and was seen after
 * `idleSince`; or null.
 */
export async function getLiveSession(db: DbOrTx, sid: string, userId: string, now: Date, idleSince: Date) {
  const [row] = await db
    .select({ sid: sessions.sid, userId: sessions.userId, oneTime: sessions.oneTime, lastSeenAt: sessions.lastSeenAt })
    .from(sessions)
    .where(
      and(
        eq(sessions.sid, sid),
        eq(sessions.userId, userId),
        isNull(sessions.endedAt),
        gt(sessions.expiresAt, now),
        gt(sessions.lastSeenAt, idleSince),
      ),
    );
  return row ?? null;
}

/** Marks the session as used now (the idle timeout counts from here). */
export async function touchSession(db: DbOrTx, sid: string, now: Date) {
  await db
    .update(sessions)
    .set({ lastSeenAt: now })
    .where(and(eq(sessions.sid, sid), isNull(sessions.endedAt)));
}

/** Ends one session; ending it twice is no error. */
export async function endSession(db: DbOrTx, sid: string, reason: SessionEndReason) {
  await db
    .update(sessions)
    .set({ endedAt: new Date(), endReason: reason })
    .where(and(eq(sessions.sid, sid), isNull(sessions.endedAt)));
}

/** Ends every live session of a user, except `keepSid` when given. Returns how many ended. */
export async function endUserSessions(db: DbOrTx, userId: string, reason: SessionEndReason, keepSid?: string) {
  const ended = await db
    .update(sessions)
    .set({ endedAt: new Date(), endReason: reason })
    .where(and(eq(sessions.userId, userId), isNull(sessions.endedAt), keepSid ? ne(sessions.sid, keepSid) : sql`true`))
    .returning({ sid: sessions.sid });
  return ended.length;
}

/** The session no longer needs to set a password (it just did). */
export async function clearSessionOneTime(db: DbOrTx, sid: string) {
  await db.update(sessions).set({ oneTime: false }).where(eq(sessions.sid, sid));
}

/**
 * Forgets sessions past their absolute end. Their cookies are dead either way: a cookie whose row
 * is gone is no session at all.
 */
export async function deleteExpiredSessions(db: DbOrTx, now: Date) {
  await db.delete(sessions).where(lt(sessions.expiresAt, now));
}
