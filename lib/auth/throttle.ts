import type { DbOrTx } from '@/db';
import { clearLoginThrottle, countLoginAttempt, getLoginThrottle, uncountLoginAttempt } from '@/db/queries/login-throttle';

const MINUTE = 60_000;

/**
 * Failed sign-ins allowed per window before a key is locked, with the lock doubling for each
 * further failure (up to 15 minutes). Keys:
 * - `source`: one account from one source (its address behind a trusted proxy, else "unknown"):
 *   the guesser is slowed where the guesses come from;
 * - `account`: one account from all untrusted sources together, with a higher limit, so that many
 *   addresses cannot guess without limit either;
 * - `device`: one account from a browser that has signed in to it before (a signed device cookie,
 *   lib/auth/device.ts). The owner's own browser counts only its own failures, so an attacker's
 *   guesses never lock the owner out;
 * - `ip`: one address across all accounts (password spraying), when the address is known.
 */
export const THROTTLE_RULES = {
  source: { maxFailures: 5, windowMs: 60 * MINUTE, baseLockMs: 30_000, maxLockMs: 15 * MINUTE },
  account: { maxFailures: 20, windowMs: 60 * MINUTE, baseLockMs: MINUTE, maxLockMs: 15 * MINUTE },
  device: { maxFailures: 5, windowMs: 60 * MINUTE, baseLockMs: 30_000, maxLockMs: 15 * MINUTE },
  ip: { maxFailures: 20, windowMs: 15 * MINUTE, baseLockMs: MINUTE, maxLockMs: 15 * MINUTE },
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
 * before the first of them is counted. An attempt that turns out not to be a failure is taken back
 * with `undoAttempt`.
 */
export async function beginAttempt(db: DbOrTx, kind: ThrottleKind, value: string, now = new Date()): Promise<Date | null> {
  const rule = THROTTLE_RULES[kind];
  const key = throttleKey(kind, value);
  const failures = await countLoginAttempt(db, key, {
    now,
    windowStart: new Date(now.getTime() - rule.windowMs),
    maxFailures: rule.maxFailures,
    baseLockMs: rule.baseLockMs,
    maxLockMs: rule.maxLockMs,
  });
  if (failures !== undefined) return null;
  return (await lockedUntil(db, key, now)) ?? new Date(now.getTime() + rule.baseLockMs);
}

/** Takes back an attempt counted by `beginAttempt` (a successful or refused sign-in is no failure). */
export async function undoAttempt(db: DbOrTx, kind: ThrottleKind, value: string) {
  await uncountLoginAttempt(db, throttleKey(kind, value), THROTTLE_RULES[kind].maxFailures);
}

export async function clearFailures(db: DbOrTx, kind: ThrottleKind, value: string) {
  await clearLoginThrottle(db, throttleKey(kind, value));
}
