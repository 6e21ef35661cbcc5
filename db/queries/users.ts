import { asc, eq } from 'drizzle-orm';
import type { DbOrTx } from '@/db';
import { users } from '@/db/schema';

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
  const [user] = await db.select(publicColumns).from(users).where(eq(users.id, id)).for('update');
  return user ?? null;
}
