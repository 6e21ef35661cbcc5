import type { Db } from '@/db';
import { countRefusal } from '@/db/queries/security-counts';
import { insertSession } from '@/db/queries/sessions';
import { findUserByEmail, recordSignIn } from '@/db/queries/users';
import type { User } from '@/db/schema';
import { appendAudit, type AuditContext } from '@/lib/audit';
import { concurrencyGate, memoryLimiter } from '@/lib/http/rate-limit';
import { noteRefusalAndFlush } from '@/lib/security/refusals';
import { SESSION_MAX_AGE_SECONDS } from './config';
import { issueDeviceToken, trustedDeviceId } from './device';
import { verifyPassword } from './passwords';
import { beginAttempt, clearFailures, undoAttempt, type ThrottleKind } from './throttle';

export interface SignInAttempt {
  email: string;
  password: string;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  /** The browser's device cookie, if it has one (lib/auth/device.ts). */
  deviceToken?: string | null;
}

export type SignInResult =
  | { ok: true; user: User; sid: string; deviceToken: string }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'throttled'; retryAt: Date };

/**
 * The cheap gates, per instance and in memory, passed before anything touches the database or
 * hashes a password: a burst per account and source, a burst per source, and at most 4 password
 * hashes at once with 16 waiting.
 */
const perAccountAndSource = memoryLimiter({ points: 10, durationSeconds: 60 });
const deviceKey = (token: string | null | undefined) => (token ? token.slice(0, 24) : '-');
const perSource = memoryLimiter({ points: 60, durationSeconds: 60 });
const hashing = concurrencyGate(4, 16);

/** The source a sign-in comes from, for limits and counts: its address behind a trusted proxy. */
const sourceOf = (attempt: SignInAttempt) => attempt.ip ?? 'unknown';

/**
 * Email + password sign-in. Limits: the in-memory gates above, then per-account, per-source and
 * per-device counters in the database (lib/auth/throttle.ts), with backoff. Every password check
 * of an existing account is audited (success, wrong password, inactive, expired one-time
 * password); attempts at accounts that do not exist, and attempts refused by a limit before any
 * check, are counted per hour (security_counts) instead, so that nobody can flood the audit trail
 * without signing in. Unknown accounts, wrong passwords and inactive
 * users look the same to the caller.
 */
export async function authenticate(db: Db, attempt: SignInAttempt): Promise<SignInResult> {
  const email = attempt.email.trim().toLowerCase();
  const source = sourceOf(attempt);
  const now = new Date();

  // The owner's browser (device cookie) has its own burst allowance, so a flood at the account from
  // the same source does not turn the owner away either.
  const gated =
    (await perAccountAndSource(`${email}|${source}|${deviceKey(attempt.deviceToken)}`)) ??
    (attempt.ip ? await perSource(attempt.ip) : null);
  if (gated) {
    await noteRefusalAndFlush(db, 'auth.rate_limited', source);
    return { ok: false, reason: 'throttled', retryAt: gated };
  }

  const user = await findUserByEmail(db, email);
  const context: AuditContext = {
    actorId: user?.id ?? null,
    actorRole: user?.role ?? null,
    actorEmail: email,
    ip: attempt.ip,
    userAgent: attempt.userAgent,
    requestId: attempt.requestId,
  };
  const fail = async (reason: string, after: Record<string, unknown> = {}) => {
    // Refusals that cost the caller nothing are counted, not written to the chain one by one.
    if (!user)
      return countRefusal(db, reason === 'throttled' ? 'auth.unknown_account_throttled' : 'auth.unknown_account', source);
    if (reason === 'throttled') return countRefusal(db, 'auth.throttled', email);
    await db.transaction((tx) =>
      appendAudit(tx, context, {
        action: 'auth.sign_in',
        entityType: 'user',
        entityId: user.id,
        after: { reason, ...after },
        outcome: 'failure',
      }),
    );
  };

  // The attempt is counted as a failure before the password is checked, atomically, so that
  // simultaneous guesses cannot all get past the limit; it is taken back if it is not a failure.
  const deviceId = user ? trustedDeviceId(attempt.deviceToken, user.id) : null;
  const keys: [ThrottleKind, string][] = deviceId
    ? [['device', `${email}|${deviceId}`]]
    : [
        ['source', `${email}|${source}`],
        ['account', email],
      ];
  if (attempt.ip) keys.push(['ip', attempt.ip]);
  const locks = await Promise.all(keys.map(([kind, value]) => beginAttempt(db, kind, value, now)));
  const retryAt = locks.filter((d): d is Date => d !== null).sort((a, b) => b.getTime() - a.getTime())[0];
  if (retryAt) {
    await Promise.all(keys.filter((_, i) => locks[i] === null).map(([kind, value]) => undoAttempt(db, kind, value)));
    await fail('throttled');
    return { ok: false, reason: 'throttled', retryAt };
  }

  const checked = await hashing(() => verifyPassword(user?.passwordHash, attempt.password));
  if (!checked.ran) {
    await Promise.all(keys.map(([kind, value]) => undoAttempt(db, kind, value)));
    await countRefusal(db, 'auth.busy', source);
    return { ok: false, reason: 'throttled', retryAt: new Date(Date.now() + 5_000) };
  }
  const passwordOk = checked.value;
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
  await Promise.all(keys.map(([kind, value]) => (kind === 'ip' ? undoAttempt(db, kind, value) : clearFailures(db, kind, value))));
  return { ok: true, user, sid, deviceToken: issueDeviceToken(user.id, deviceId ?? undefined) };
}
