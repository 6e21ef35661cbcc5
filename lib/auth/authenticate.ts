import type { Db } from '@/db';
import { insertSession } from '@/db/queries/sessions';
import { findUserByEmail, recordSignIn } from '@/db/queries/users';
import type { User } from '@/db/schema';
import { appendAudit, type AuditContext } from '@/lib/audit';
import { SESSION_MAX_AGE_SECONDS } from './config';
import { verifyPassword } from './passwords';
import { beginAttempt, clearFailures, undoAttempt, type ThrottleKind } from './throttle';

export interface SignInAttempt {
  email: string;
  password: string;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
}

export type SignInResult =
  { ok: true; user: User; sid: string } | { ok: false; reason: 'invalid' } | { ok: false; reason: 'throttled'; retryAt: Date };

/**
 * Email + password sign-in with per-account and per-IP limits stored in the database. Every
 * outcome is audited; unknown accounts, wrong passwords and inactive users look the same to the
 * caller so that the answer does not reveal which accounts exist.
 */
export async function authenticate(db: Db, attempt: SignInAttempt): Promise<SignInResult> {
  const email = attempt.email.trim().toLowerCase();
  const user = await findUserByEmail(db, email);
  const context: AuditContext = {
    actorId: user?.id ?? null,
    actorRole: user?.role ?? null,
    actorEmail: email,
    ip: attempt.ip,
    userAgent: attempt.userAgent,
    requestId: attempt.requestId,
  };
  const fail = async (reason: string, after: Record<string, unknown> = {}) =>
    db.transaction((tx) =>
      appendAudit(tx, context, {
        action: 'auth.sign_in',
        entityType: 'user',
        entityId: user?.id ?? null,
        after: { reason, ...after },
        outcome: 'failure',
      }),
    );

  // The attempt is counted as a failure before the password is checked, atomically, so that
  // simultaneous guesses cannot all get past the limit; it is taken back if it is not a failure.
  const keys: [ThrottleKind, string][] = attempt.ip
    ? [
        ['email', email],
        ['ip', attempt.ip],
      ]
    : [['email', email]];
  const locks = await Promise.all(keys.map(([kind, value]) => beginAttempt(db, kind, value)));
  const retryAt = locks.filter((d): d is Date => d !== null).sort((a, b) => b.getTime() - a.getTime())[0];
  if (retryAt) {
    await Promise.all(keys.filter((_, i) => locks[i] === null).map(([kind, value]) => undoAttempt(db, kind, value)));
    await fail('throttled', { retryAt: retryAt.toISOString() });
    return { ok: false, reason: 'throttled', retryAt };
  }

  const passwordOk = await verifyPassword(user?.passwordHash, attempt.password);
  const now = new Date();
  const oneTimeExpired = user?.mustChangePassword && (!user.oneTimePasswordExpiresAt || user.oneTimePasswordExpiresAt <= now);
  if (!user || !passwordOk || !user.active || oneTimeExpired) {
    await fail(
      !user ? 'unknown_account' : !passwordOk ? 'wrong_password' : !user.active ? 'inactive' : 'one_time_password_expired',
    );
    return { ok: false, reason: 'invalid' };
  }

  // A one-time password from an invitation or reset works once, until it expires: it is used up by
  // this sign-in, and the session it opens can only set the user's own password.
  const oneTime = user.mustChangePassword;
  const sid = crypto.randomUUID();
  const consumed = await db.transaction(async (tx) => {
    if (!(await recordSignIn(tx, user.id, oneTime ? user.passwordHash! : null))) return false;
    await insertSession(tx, {
      sid,
      userId: user.id,
      oneTime,
      expiresAt: new Date(now.getTime() + SESSION_MAX_AGE_SECONDS * 1000),
    });
    await appendAudit(tx, context, {
      action: 'auth.sign_in',
      entityType: 'user',
      entityId: user.id,
      after: oneTime ? { oneTimePassword: true } : undefined,
    });
    return true;
  });
  if (!consumed) {
    // Two sign-ins raced with the same one-time password: only the first one gets in.
    await fail('one_time_password_used');
    return { ok: false, reason: 'invalid' };
  }
  await clearFailures(db, 'email', email);
  if (attempt.ip) await undoAttempt(db, 'ip', attempt.ip);
  return { ok: true, user, sid };
}
