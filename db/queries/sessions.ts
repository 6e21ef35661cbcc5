import { eq, lt } from 'drizzle-orm';
import type { DbOrTx } from '@/db';
import { revokedSessions } from '@/db/schema';

/** Records a signed-out session so a copy of its cookie is refused; signing out twice is no error. */
export async function revokeSession(db: DbOrTx, session: { sid: string; userId: string; expiresAt: Date }) {
  await db.insert(revokedSessions).values(session).onConflictDoNothing();
}

export async function isSessionRevoked(db: DbOrTx, sid: string): Promise<boolean> {
  const [revoked] = await db.select({ sid: revokedSessions.sid }).from(revokedSessions).where(eq(revokedSessions.sid, sid));
  return Boolean(revoked);
}

/** Forgets revoked sessions whose cookies have expired by `now`: they guard nothing any more. */
export async function deleteExpiredRevokedSessions(db: DbOrTx, now: Date) {
  await db.delete(revokedSessions).where(lt(revokedSessions.expiresAt, now));
}
