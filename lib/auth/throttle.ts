import type { DbOrTx } from '@/db';
import { clearLoginThrottle, countLoginAttempt, getLoginThrottle, uncountLoginAttempt } from '@/db/queries/login-throttle';

/** Failed sign-ins allowed per window before the key is locked. Per account, and per IP. */
export const THROTTLE_RULES = {
  email: { maxFailures: 5, windowMs: 15 * 60_000, lockMs: 15 * 60_000 },
  ip: { maxFailures: 20, windowMs: 15 * 60_000, lockMs: 15 * 60_000 },
} as const;

export type ThrottleKind = keyof typeof THROTTLE_RULES;

export function throttleKey(kind: ThrottleKind, value: string) {
  return `${kind}:${value.trim().toLowerCase()}`;
}

/** The moment until which the key is locked, or null. */
export async function lockedUntil(db: DbOrTx, key: string, now = new Date()): Promise<Date | null> {
  const row = await getLoginThrottle(db, key);
  return row?.lockedUntil && row.lockedUntil > now ? row.lockedUntil : null;
}

/**
 * Counts a sign-in attempt *before* its password is checked, in one atomic upsert, and says whether
 * it may go ahead: null, or the moment the key's lock ends. Checking the lock first and counting the
 * failure after the (slow) password check would let any number of simultaneous guesses through
 * before the first of them is counted. A key that is already locked is left as it is, so refused
 * attempts do not extend the lock. An attempt that turns out not to be a failure is taken back with
 * `undoAttempt`.
 */
export async function beginAttempt(db: DbOrTx, kind: ThrottleKind, value: string, now = new Date()): Promise<Date | null> {
  const rule = THROTTLE_RULES[kind];
  const key = throttleKey(kind, value);
  const windowStart = new Date(now.getTime() - rule.windowMs);
  const lockUntil = new Date(now.getTime() + rule.lockMs);
  const failures = await countLoginAttempt(db, key, { now, windowStart, lockUntil, maxFailures: rule.maxFailures });
  if (failures !== undefined && failures <= rule.maxFailures) return null;
  return (await lockedUntil(db, key, now)) ?? lockUntil;
}

/** Takes back an attempt counted by `beginAttempt` (a successful or refused sign-in is no failure). */
export async function undoAttempt(db: DbOrTx, kind: ThrottleKind, value: string) {
  await uncountLoginAttempt(db, throttleKey(kind, value), THROTTLE_RULES[kind].maxFailures);
}

export async function clearFailures(db: DbOrTx, kind: ThrottleKind, value: string) {
  await clearLoginThrottle(db, throttleKey(kind, value));
}
