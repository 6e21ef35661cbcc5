import { desc, gte, sql } from 'drizzle-orm';
import type { DbOrTx } from '@/db';
import { securityCounts } from '@/db/schema';
import { timestamp as ts } from '@/db/sql';

const hourOf = (at: Date) => new Date(Math.floor(at.getTime() / 3_600_000) * 3_600_000);

/** Adds `count` refusals to the (kind, subject) count of the hour that holds `firstAt`. */
export async function addRefusals(
  db: DbOrTx,
  refusal: { kind: string; subject: string; count: number; firstAt: Date; lastAt: Date },
) {
  const { kind, count, firstAt, lastAt } = refusal;
  await db
    .insert(securityCounts)
    .values({ kind, subject: refusal.subject.slice(0, 200), hour: hourOf(firstAt), count, firstAt, lastAt })
    .onConflictDoUpdate({
      target: [securityCounts.kind, securityCounts.subject, securityCounts.hour],
      set: { count: sql`${securityCounts.count} + ${count}`, lastAt: sql`greatest(${securityCounts.lastAt}, ${ts(lastAt)})` },
    });
}

/** Adds one refusal now. */
export function countRefusal(db: DbOrTx, kind: string, subject: string, now = new Date()) {
  return addRefusals(db, { kind, subject, count: 1, firstAt: now, lastAt: now });
}

/** The counts of the last `days` days, newest hour first, largest first within an hour. */
export function listRefusals(db: DbOrTx, days: number, limit = 200) {
  const since = new Date(Date.now() - days * 24 * 3_600_000);
  return db
    .select()
    .from(securityCounts)
    .where(gte(securityCounts.hour, since))
    .orderBy(desc(securityCounts.hour), desc(securityCounts.count))
    .limit(limit);
}
