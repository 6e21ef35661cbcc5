import { and, asc, count, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import type { DbOrTx } from '@/db';
import { users, type Role, type User } from '@/db/schema';

const publicColumns = {
  id: users.id,
  email: users.email,
  name: users.name,
  role: users.role,
  active: users.active,
  mustChangePassword: users.mustChangePassword,
  lastSignInAt: users.lastSignInAt,
  createdAt: users.createdAt,
};

export function listUsers(db: DbOrTx) {
  return db.select(publicColumns).from(users).orderBy(asc(users.role), asc(users.email));
}

export async function getUser(db: DbOrTx, id: string) {
  const [user] = await db.select(publicColumns).from(users).where(eq(users.id, id));
  return user ?? null;
}

/** Locks the row for the rest of the transaction, so two admins' edits do not interleave. */
export async function getUserForUpdate(db: DbOrTx, id: string) {
  // Not FOR UPDATE: refunds' requested_by takes KEY SHARE on it (db/queries/refunds.ts lockOrder).
  const [user] = await db.select(publicColumns).from(users).where(eq(users.id, id)).for('no key update');
  return user ?? null;
}

/** The columns a request needs to decide who is asking and what they may do. */
const sessionColumns = {
  id: users.id,
  email: users.email,
  name: users.name,
  role: users.role,
  active: users.active,
  mustChangePassword: users.mustChangePassword,
  locale: users.locale,
};

export async function getSessionUser(db: DbOrTx, id: string) {
  const [user] = await db.select(sessionColumns).from(users).where(eq(users.id, id));
  return user ?? null;
}

/** Emails are unique whatever their case (users_email_lower_key), so this finds at most one user. */
export async function findUserByEmail(db: DbOrTx, email: string): Promise<User | null> {
  const [user] = await db
    .select()
    .from(users)
    .where(eq(sql`lower(${users.email})`, email.toLowerCase()));
  return user ?? null;
}

export async function countUsers(db: DbOrTx): Promise<number> {
  const [row] = await db.select({ value: count() }).from(users);
  return row?.value ?? 0;
}

export function insertUsers(db: DbOrTx, rows: (typeof users.$inferInsert)[]) {
  return db.insert(users).values(rows).returning({ id: users.id, role: users.role });
}

export async function updateUserActive(db: DbOrTx, id: string, active: boolean) {
  await db.update(users).set({ active }).where(eq(users.id, id));
}

export async function updateUserRole(db: DbOrTx, id: string, role: Role) {
  await db.update(users).set({ role }).where(eq(users.id, id));
}

/** Replaces the password hash; the user's role comes back, or null when there is no such user. */
export async function updateUserPassword(
  db: DbOrTx,
  id: string,
  password: { passwordHash: string; mustChangePassword: boolean; oneTimePasswordExpiresAt: Date | null },
): Promise<{ role: Role } | null> {
  const [row] = await db.update(users).set(password).where(eq(users.id, id)).returning({ role: users.role });
  return row ?? null;
}

/**
 * Stamps a successful sign-in. With `consumeHash`, the one-time password is used up in the same
 * statement, and only while the hash is still the one that was checked: of two sign-ins racing
 * with it, one updates the row and the other gets false.
 */
export async function recordSignIn(db: DbOrTx, id: string, consumeHash: string | null): Promise<boolean> {
  const [row] = await db
    .update(users)
    .set(consumeHash !== null ? { lastSignInAt: new Date(), passwordHash: null } : { lastSignInAt: new Date() })
    .where(consumeHash !== null ? and(eq(users.id, id), eq(users.passwordHash, consumeHash)) : eq(users.id, id))
    .returning({ id: users.id });
  return Boolean(row);
}

/** Of these emails, the accounts that are active and can sign in with a password. */
export async function activeAccountsWithPassword(db: DbOrTx, emails: string[]): Promise<string[]> {
  if (emails.length === 0) return [];
  const rows = await db
    .select({ email: users.email })
    .from(users)
    .where(
      and(
        inArray(
          sql`lower(${users.email})`,
          emails.map((e) => e.toLowerCase()),
        ),
        eq(users.active, true),
        isNotNull(users.passwordHash),
      ),
    );
  return rows.map((r) => r.email);
}

export async function countActiveAdmins(db: DbOrTx): Promise<number> {
  const [row] = await db
    .select({ value: count() })
    .from(users)
    .where(and(eq(users.role, 'admin'), eq(users.active, true)));
  return row?.value ?? 0;
}

/** Retires an account for good: inactive, and no password that could sign in. */
export async function retireUser(db: DbOrTx, id: string) {
  await db
    .update(users)
    .set({ active: false, passwordHash: null, mustChangePassword: false, oneTimePasswordExpiresAt: null })
    .where(eq(users.id, id));
}

/** The user's language (i18n/locales.ts), or null for "my browser's". */
export function setUserLocale(db: DbOrTx, userId: string, locale: string | null) {
  return db.update(users).set({ locale }).where(eq(users.id, userId));
}
