import { randomInt } from 'node:crypto';
import type { Db } from '@/db';
import {
  findUserByEmail,
  getUserForUpdate,
  insertUsers,
  setUserLocale,
  updateUserActive,
  updateUserPassword,
  updateUserRole,
} from '@/db/queries/users';
import { clearSessionOneTime, endUserSessions } from '@/db/queries/sessions';
import { isUniqueViolation } from '@/db/sql';
import type { Role } from '@/db/schema';
import type { Locale } from '@/i18n/locales';
import { appendAudit, type AuditContext } from '@/lib/audit';
import { hashPassword } from '@/lib/auth/passwords';
import { SafeError } from '@/lib/errors';

interface Actor {
  id: string;
}

/** How long a one-time password from an invitation or a reset works before it must be issued again. */
export const ONE_TIME_PASSWORD_TTL_HOURS = { invite: 72, reset: 24 } as const;

function oneTimePasswordExpiry(kind: keyof typeof ONE_TIME_PASSWORD_TTL_HOURS, now = new Date()) {
  return new Date(now.getTime() + ONE_TIME_PASSWORD_TTL_HOURS[kind] * 3_600_000);
}

/** Deactivation ends the user's sessions: their next request is signed out. */
export async function setUserActive(db: Db, actor: Actor, audit: AuditContext, input: { userId: string; active: boolean }) {
  if (input.userId === actor.id && !input.active) {
    throw new SafeError('You cannot deactivate your own account.', 'self_deactivation');
  }
  return db.transaction(async (tx) => {
    const before = await getUserForUpdate(tx, input.userId);
    if (!before) throw new SafeError('That user no longer exists.', 'user_not_found');
    await updateUserActive(tx, input.userId, input.active);
    const sessionsEnded = input.active ? 0 : await endUserSessions(tx, input.userId, 'deactivated');
    await appendAudit(tx, audit, {
      action: input.active ? 'user.activate' : 'user.deactivate',
      entityType: 'user',
      entityId: input.userId,
      before: { active: before.active },
      after: input.active ? { active: true } : { active: false, sessionsEnded },
    });
    return { userId: input.userId, active: input.active };
  });
}

export async function changeUserRole(db: Db, actor: Actor, audit: AuditContext, input: { userId: string; role: Role }) {
  if (input.userId === actor.id) {
    throw new SafeError('Ask another admin to change your own role.', 'self_role_change');
  }
  return db.transaction(async (tx) => {
    const before = await getUserForUpdate(tx, input.userId);
    if (!before) throw new SafeError('That user no longer exists.', 'user_not_found');
    await updateUserRole(tx, input.userId, input.role);
    // A new role starts with a new sign-in: nothing opened under the old role carries on.
    const sessionsEnded = await endUserSessions(tx, input.userId, 'role_change');
    await appendAudit(tx, audit, {
      action: 'user.role_change',
      entityType: 'user',
      entityId: input.userId,
      before: { role: before.role },
      after: { role: input.role, sessionsEnded },
    });
    return { userId: input.userId, role: input.role };
  });
}

// No 0/O, 1/l/I: read aloud or typed from a screen without mistakes.
const OTP_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/** 4 groups of 4 from a 31-letter alphabet: about 79 bits, from the OS's CSPRNG. */
export function generateOneTimePassword(): string {
  const groups = Array.from({ length: 4 }, () =>
    Array.from({ length: 4 }, () => OTP_ALPHABET[randomInt(OTP_ALPHABET.length)]).join(''),
  );
  return groups.join('-');
}

/**
 * Creates a user who signs in once with a one-time password and must then set their own. The
 * password is returned to be shown once to the admin; only its hash is kept, and never audited.
 */
export async function inviteUser(db: Db, _actor: Actor, audit: AuditContext, input: { name: string; email: string; role: Role }) {
  const oneTimePassword = generateOneTimePassword();
  const passwordHash = await hashPassword(oneTimePassword);
  const taken = () =>
    new SafeError('Someone already has that email address.', 'email_taken', {
      email: ['emailTaken'],
    });
  return db
    .transaction(async (tx) => {
      if (await findUserByEmail(tx, input.email)) throw taken();
      const [user] = await insertUsers(tx, [
        {
          name: input.name,
          email: input.email,
          role: input.role,
          passwordHash,
          mustChangePassword: true,
          oneTimePasswordExpiresAt: oneTimePasswordExpiry('invite'),
        },
      ]);
      await appendAudit(tx, audit, {
        action: 'user.invite',
        entityType: 'user',
        entityId: user!.id,
        before: null,
        after: { name: input.name, email: input.email, role: input.role, active: true, mustChangePassword: true },
      });
      return { userId: user!.id, email: input.email, oneTimePassword, validHours: ONE_TIME_PASSWORD_TTL_HOURS.invite };
    })
    .catch((error: unknown) => {
      // Two admins inviting the same address at once: the unique index decides, the second is told.
      throw isUniqueViolation(error, 'users_email_lower_key') ? taken() : error;
    });
}

/**
 * Replaces a user's password with a new one-time password (a forgotten password, a lost invite, a
 * suspected break-in) and ends all of the user's sessions: a stolen cookie dies with the old password.
 */
export async function resetPassword(db: Db, actor: Actor, audit: AuditContext, input: { userId: string }) {
  if (input.userId === actor.id) throw new SafeError('Ask another admin to reset your own password.', 'self_reset');
  const oneTimePassword = generateOneTimePassword();
  const passwordHash = await hashPassword(oneTimePassword);
  return db.transaction(async (tx) => {
    const before = await getUserForUpdate(tx, input.userId);
    if (!before) throw new SafeError('That user no longer exists.', 'user_not_found');
    await updateUserPassword(tx, input.userId, {
      passwordHash,
      mustChangePassword: true,
      oneTimePasswordExpiresAt: oneTimePasswordExpiry('reset'),
    });
    const sessionsEnded = await endUserSessions(tx, input.userId, 'password_reset');
    await appendAudit(tx, audit, {
      action: 'user.password_reset',
      entityType: 'user',
      entityId: input.userId,
      after: { mustChangePassword: true, sessionsEnded },
    });
    return { userId: input.userId, email: before.email, oneTimePassword, validHours: ONE_TIME_PASSWORD_TTL_HOURS.reset };
  });
}

/**
 * The user's own password, set by the session that signed in with the one-time password. Every
 * other session of the user ends; this one carries on as a normal session.
 */
export async function setOwnPassword(db: Db, actor: Actor & { sid: string }, audit: AuditContext, input: { password: string }) {
  const passwordHash = await hashPassword(input.password);
  return db.transaction(async (tx) => {
    const row = await updateUserPassword(tx, actor.id, {
      passwordHash,
      mustChangePassword: false,
      oneTimePasswordExpiresAt: null,
    });
    if (!row) throw new SafeError('That user no longer exists.', 'user_not_found');
    await clearSessionOneTime(tx, actor.sid);
    await endUserSessions(tx, actor.id, 'password_set', actor.sid);
    await appendAudit(tx, audit, { action: 'user.password_set', entityType: 'user', entityId: actor.id });
    return { role: row.role };
  });
}

/** The language the user reads the app in, saved on their account (and so on every device). */
export async function setLanguage(
  db: Db,
  actor: Actor & { locale: string | null },
  audit: AuditContext,
  input: { locale: Locale },
) {
  if (actor.locale === input.locale) return { locale: input.locale };
  return db.transaction(async (tx) => {
    await setUserLocale(tx, actor.id, input.locale);
    await appendAudit(tx, audit, {
      action: 'user.language_set',
      entityType: 'user',
      entityId: actor.id,
      before: { locale: actor.locale },
      after: { locale: input.locale },
    });
    return { locale: input.locale };
  });
}
