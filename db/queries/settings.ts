import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { DbOrTx } from '@/db';
import { refundLimits, settings, users } from '@/db/schema';

export type RefundLimitsRow = typeof refundLimits.$inferSelect;

/** Every limits row, defaults first, each override with its agent's name and email. */
export function listRefundLimits(db: DbOrTx) {
  return db
    .select({
      id: refundLimits.id,
      userId: refundLimits.userId,
      userName: users.name,
      userEmail: users.email,
      currency: refundLimits.currency,
      approvalThresholdMinor: refundLimits.approvalThresholdMinor,
      perRefundMinor: refundLimits.perRefundMinor,
      perDayMinor: refundLimits.perDayMinor,
      updatedAt: refundLimits.updatedAt,
    })
    .from(refundLimits)
    .leftJoin(users, eq(users.id, refundLimits.userId))
    .orderBy(sql`${refundLimits.userId} is not null`, asc(users.email), asc(refundLimits.currency));
}

/** The limits row of one currency (for everyone when `userId` is null), locked for the rest of the transaction. */
export async function getRefundLimitsForUpdate(db: DbOrTx, key: { currency: string; userId: string | null }) {
  const [row] = await db
    .select()
    .from(refundLimits)
    .where(
      and(
        eq(refundLimits.currency, key.currency),
        key.userId ? eq(refundLimits.userId, key.userId) : isNull(refundLimits.userId),
      ),
    )
    .for('update');
  return row ?? null;
}

export async function getRefundLimitsByIdForUpdate(db: DbOrTx, id: string) {
  const [row] = await db.select().from(refundLimits).where(eq(refundLimits.id, id)).for('update');
  return row ?? null;
}

export function insertRefundLimits(db: DbOrTx, rows: (typeof refundLimits.$inferInsert)[]) {
  return db.insert(refundLimits).values(rows).returning();
}

export async function updateRefundLimits(db: DbOrTx, id: string, values: Partial<typeof refundLimits.$inferInsert>) {
  const [row] = await db.update(refundLimits).set(values).where(eq(refundLimits.id, id)).returning();
  return row;
}

export async function deleteRefundLimits(db: DbOrTx, id: string) {
  await db.delete(refundLimits).where(eq(refundLimits.id, id));
}

export async function getSettingForUpdate(db: DbOrTx, key: string) {
  const [row] = await db.select().from(settings).where(eq(settings.key, key)).for('update');
  return row ?? null;
}

export function insertSettings(db: DbOrTx, rows: (typeof settings.$inferInsert)[]) {
  return db.insert(settings).values(rows);
}

export async function upsertSetting(db: DbOrTx, key: string, value: unknown, updatedBy: string) {
  await db
    .insert(settings)
    .values({ key, value, updatedBy })
    .onConflictDoUpdate({ target: settings.key, set: { value, updatedBy, updatedAt: new Date() } });
}
