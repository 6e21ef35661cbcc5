import { eq, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '@/db';
import { authThrottle } from '@/db/schema';
import { timestamp as ts } from '@/db/sql';

/** The failed sign-ins counted against one key (`email:…` or `ip:…`), or null. */
export async function getLoginThrottle(db: DbOrTx, key: string) {
  const [row] = await db.select().from(authThrottle).where(eq(authThrottle.key, key));
  return row ?? null;
}

/**
 * Counts one attempt against the key in one atomic upsert, so simultaneous attempts are all
 * counted, and says whether it may go ahead: the failures after counting, or undefined when the key
 * was locked at `now` (the attempt is refused and left uncounted, so refusals do not extend a lock).
 * A window older than `windowStart` starts again at 1. From `maxFailures` on, every counted attempt
 * locks the key for `baseLockMs`, doubled for each failure past the limit, at most `maxLockMs`: a
 * guesser gets one try per lock, further and further apart, and the owner is never shut out for
 * longer than `maxLockMs`.
 */
export async function countLoginAttempt(
  db: DbOrTx,
  key: string,
  rule: { now: Date; windowStart: Date; maxFailures: number; baseLockMs: number; maxLockMs: number },
): Promise<number | undefined> {
  const { now, windowStart, maxFailures, baseLockMs, maxLockMs } = rule;
  const failures = sql`case when ${authThrottle.windowStartedAt} < ${ts(windowStart)} then 1 else ${authThrottle.failures} + 1 end`;
  const lockMs = (n: SQL) =>
    sql`least(${maxLockMs}::float8, ${baseLockMs}::float8 * power(2, least(greatest(${n} - ${maxFailures}, 0), 30)))`;
  const [counted] = await db
    .insert(authThrottle)
    .values({
      key,
      failures: 1,
      windowStartedAt: now,
      lockedUntil: maxFailures <= 1 ? new Date(now.getTime() + baseLockMs) : null,
    })
    .onConflictDoUpdate({
      target: authThrottle.key,
      set: {
        failures,
        windowStartedAt: sql`case when ${authThrottle.windowStartedAt} < ${ts(windowStart)} then ${ts(now)} else ${authThrottle.windowStartedAt} end`,
        lockedUntil: sql`case when ${failures} >= ${maxFailures} then ${ts(now)} + ${lockMs(failures)} * interval '1 millisecond' else null end`,
      },
      setWhere: sql`${authThrottle.lockedUntil} is null or ${authThrottle.lockedUntil} <= ${ts(now)}`,
    })
    .returning({ failures: authThrottle.failures });
  return counted?.failures;
}

/** Takes one counted attempt back; the lock goes when the failures drop below `maxFailures`. */
export async function uncountLoginAttempt(db: DbOrTx, key: string, maxFailures: number) {
  await db
    .update(authThrottle)
    .set({
      failures: sql`greatest(${authThrottle.failures} - 1, 0)`,
      lockedUntil: sql`case when ${authThrottle.failures} - 1 < ${maxFailures} then null else ${authThrottle.lockedUntil} end`,
    })
    .where(eq(authThrottle.key, key));
}

export async function clearLoginThrottle(db: DbOrTx, key: string) {
  await db.delete(authThrottle).where(eq(authThrottle.key, key));
}
