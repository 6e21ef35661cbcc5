import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Db } from '@/db';
import { auditEvents, securityCounts, users, type Role, type User } from '@/db/schema';
import { verifyAuditChain } from '@/lib/audit';
import { freshPglite, freshPostgres, TEST_DATABASE_URL, warnPostgresSkipped } from '@/test/db';
import { authenticate, type SignInResult } from './authenticate';
import { hashPassword } from './passwords';
import { THROTTLE_RULES } from './throttle';
import { flushRefusals } from '@/lib/security/refusals';

warnPostgresSkipped('lib/auth/authenticate.test.ts — sign-in throttling under real concurrency on PostgreSQL');

const PASSWORD = 'correct horse battery staple';

let db: Db;
let close: () => Promise<void>;
let audited = 0;
let passwordHash: string;

beforeAll(async () => {
  ({ db, close } = await freshPglite());
  passwordHash = await hashPassword(PASSWORD);
});
afterAll(() => close());

async function createUser(email: string, options: { active?: boolean; role?: Role } = {}): Promise<User> {
  const [user] = await db
    .insert(users)
    .values({ email, name: email.split('@')[0]!, passwordHash, role: options.role ?? 'agent', active: options.active ?? true })
    .returning();
  return user!;
}

/**
 * One sign-in attempt; returns the result and the audit event it wrote (found by its request id).
 * A password check of an existing account writes exactly one; an attempt at an account that does
 * not exist, or one refused by a limit before any check, writes none (it is counted in
 * security_counts instead).
 */
async function signIn(email: string, password: string, ip: string | null = '198.51.100.1', deviceToken?: string) {
  const requestId = randomUUID();
  const exists = (await db.select().from(users)).some((u) => u.email.toLowerCase() === email.trim().toLowerCase());
  const result: SignInResult = await authenticate(db, { email, password, ip, userAgent: 'vitest-agent', requestId, deviceToken });
  const events = await db.select().from(auditEvents).where(eq(auditEvents.requestId, requestId));
  const checked = exists && !(!result.ok && result.reason === 'throttled');
  expect(events, checked ? 'a password check writes one audit event' : 'a refusal before any check writes none').toHaveLength(
    checked ? 1 : 0,
  );
  audited += events.length;
  return { result, event: events[0]! };
}

async function refusals(kind: string, subject: string) {
  const rows = await db.select().from(securityCounts);
  return rows.filter((r) => r.kind === kind && r.subject === subject).reduce((sum, r) => sum + r.count, 0);
}

describe('authenticate', () => {
  it('accepts the right password and audits a successful auth.sign_in', async () => {
    const user = await createUser('ok@example.com', { role: 'manager' });
    expect(user.lastSignInAt).toBeNull();
    const { result, event } = await signIn('ok@example.com', PASSWORD, '203.0.113.10');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.user.id).toBe(user.id);
    expect(result.user.role).toBe('manager');
    expect(event).toMatchObject({
      action: 'auth.sign_in',
      outcome: 'success',
      entityType: 'user',
      entityId: user.id,
      actorId: user.id,
      actorRole: 'manager',
      actorEmail: 'ok@example.com',
      ip: '203.0.113.10',
      userAgent: 'vitest-agent',
    });
    const [stored] = await db.select().from(users).where(eq(users.id, user.id));
    expect(stored!.lastSignInAt).toBeInstanceOf(Date);
  });

  it('rejects a wrong password as invalid and audits the failure with reason wrong_password', async () => {
    const user = await createUser('wrong@example.com');
    const { result, event } = await signIn('wrong@example.com', 'not the password', '203.0.113.11');
    expect(result).toEqual({ ok: false, reason: 'invalid' });
    expect(event).toMatchObject({
      action: 'auth.sign_in',
      outcome: 'failure',
      actorId: user.id,
      entityId: user.id,
      after: { reason: 'wrong_password' },
    });
  });

  it('answers an unknown email exactly like a wrong password, and counts it instead of writing to the trail', async () => {
    const { result } = await signIn('nobody@example.com', PASSWORD, '203.0.113.12');
    expect(result).toEqual({ ok: false, reason: 'invalid' });
    expect(await refusals('auth.unknown_account', '203.0.113.12')).toBe(1);
    await signIn('nobody-else@example.com', PASSWORD, '203.0.113.12');
    expect(await refusals('auth.unknown_account', '203.0.113.12')).toBe(2);
  });

  it('refuses an inactive user even with the right password', async () => {
    await createUser('gone@example.com', { active: false });
    const { result, event } = await signIn('gone@example.com', PASSWORD, '203.0.113.13');
    expect(result).toEqual({ ok: false, reason: 'invalid' });
    expect(event).toMatchObject({ outcome: 'failure', after: { reason: 'inactive' } });
  });

  it('refuses a user without a password (OIDC only)', async () => {
    await db.insert(users).values({ email: 'sso@example.com', name: 'sso', passwordHash: null, role: 'agent' });
    const { result } = await signIn('sso@example.com', '', '203.0.113.14');
    expect(result).toEqual({ ok: false, reason: 'invalid' });
  });

  it('matches the email case-insensitively and ignores surrounding spaces', async () => {
    const user = await createUser('Mixed.Case@Example.COM');
    const { result, event } = await signIn('  mixed.case@EXAMPLE.com ', PASSWORD, '203.0.113.15');
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.user.id).toBe(user.id);
    expect(event.actorEmail).toBe('mixed.case@example.com');
  });
});

describe('throttling', () => {
  it('slows one source after 5 wrong passwords: the 6th attempt from it is throttled even with the right password', async () => {
    expect(THROTTLE_RULES.source.maxFailures).toBe(5);
    await createUser('locked@example.com');
    for (let i = 1; i <= 5; i += 1) {
      const { result } = await signIn('locked@example.com', `guess-${i}`, '192.0.2.20');
      expect(result, `attempt ${i}`).toEqual({ ok: false, reason: 'invalid' });
    }
    const started = Date.now();
    const { result, event } = await signIn('locked@example.com', PASSWORD, '192.0.2.20');
    expect(result.ok).toBe(false);
    if (result.ok || result.reason !== 'throttled') throw new Error(`expected throttled, got ${JSON.stringify(result)}`);
    expect(result.retryAt.getTime()).toBeGreaterThan(started);
    expect(result.retryAt.getTime()).toBeLessThanOrEqual(started + THROTTLE_RULES.source.baseLockMs + 1000);
    expect(event, 'counted, not audited').toBeUndefined();
    expect(await refusals('auth.throttled', 'locked@example.com')).toBe(1);

    // The lock is on that account from that source: the owner elsewhere still gets in.
    expect((await signIn('LOCKED@example.com', PASSWORD, '192.0.2.99')).result.ok).toBe(true);
  });

  it('backs off: after the lock ends one more guess is allowed, and its failure locks twice as long', async () => {
    await createUser('backoff@example.com');
    const ip = '192.0.2.30';
    const start = Date.now();
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      for (let i = 0; i < 5; i += 1) await signIn('backoff@example.com', `x${i}`, ip);
      const locks: number[] = [];
      let now = start;
      for (let round = 0; round < 3; round += 1) {
        const refused = (await signIn('backoff@example.com', 'y', ip)).result;
        if (refused.ok || refused.reason !== 'throttled') throw new Error('expected a lock');
        locks.push(refused.retryAt.getTime() - now);
        now = refused.retryAt.getTime() + 1000;
        vi.setSystemTime(now);
        expect((await signIn('backoff@example.com', 'y', ip)).result, `one guess after lock ${round}`).toEqual({
          ok: false,
          reason: 'invalid',
        });
      }
      // 30 s, then 60 s, then 120 s (measured from the failure that set each lock).
      expect(locks[0]).toBeLessThanOrEqual(30_000 + 1000);
      expect(locks[1]).toBeGreaterThan(59_000);
      expect(locks[1]).toBeLessThanOrEqual(61_000);
      expect(locks[2]).toBeGreaterThan(119_000);
      // The right password after the lock ends gets in and clears the counters.
      const last = (await signIn('backoff@example.com', 'z', ip)).result;
      if (last.ok || last.reason !== 'throttled') throw new Error('expected a lock');
      vi.setSystemTime(last.retryAt.getTime() + 1000);
      expect((await signIn('backoff@example.com', PASSWORD, ip)).result.ok).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });

  it('does not lock the owner out: guesses from anywhere never throttle a browser that signed in before', async () => {
    await createUser('owner@example.com');
    const first = (await signIn('owner@example.com', PASSWORD, null)).result;
    if (!first.ok) throw new Error('owner could not sign in');
    // Without a trusted proxy every source is "unknown": the attacker and the owner share it.
    for (let i = 0; i < THROTTLE_RULES.account.maxFailures + 5; i += 1) {
      await signIn('owner@example.com', `attack-${i}`, null);
    }
    expect((await signIn('owner@example.com', PASSWORD, null)).result).toMatchObject({ ok: false, reason: 'throttled' });
    // A forged or borrowed device cookie is just an untrusted source.
    const forged = `${'A'.repeat(22)}.${'B'.repeat(43)}`;
    expect((await signIn('owner@example.com', PASSWORD, null, forged)).result).toMatchObject({ reason: 'throttled' });
    const other = await createUser('other@example.com');
    const othersSignIn = await signIn(other.email, PASSWORD, null);
    const othersCookie = othersSignIn.result as { deviceToken: string };
    expect((await signIn('owner@example.com', PASSWORD, null, othersCookie.deviceToken)).result).toMatchObject({
      reason: 'throttled',
    });
    // The owner's own browser gets in.
    const owner = (await signIn('owner@example.com', PASSWORD, null, first.deviceToken)).result;
    expect(owner.ok).toBe(true);
  });

  it('a trusted browser is still limited on its own failures', async () => {
    await createUser('typo@example.com');
    const first = (await signIn('typo@example.com', PASSWORD, '192.0.2.40')).result;
    if (!first.ok) throw new Error('no sign-in');
    for (let i = 0; i < THROTTLE_RULES.device.maxFailures; i += 1) {
      await signIn('typo@example.com', `typo-${i}`, '192.0.2.40', first.deviceToken);
    }
    expect((await signIn('typo@example.com', PASSWORD, '192.0.2.40', first.deviceToken)).result).toMatchObject({
      reason: 'throttled',
    });
  });

  it('turns a burst away in memory before the database or a password hash: counted, not audited', async () => {
    const ip = '192.0.2.44';
    for (let i = 0; i < 10; i += 1) await signIn('ghost@example.com', 'x', ip);
    const burst = (await signIn('ghost@example.com', 'x', ip)).result;
    expect(burst).toMatchObject({ ok: false, reason: 'throttled' });
    await flushRefusals(db);
    expect(await refusals('auth.rate_limited', ip)).toBe(1);
  });

  it('counts failures per account whatever the case of the email', async () => {
    await createUser('casey@example.com');
    for (const email of [
      'casey@example.com',
      'CASEY@example.com',
      'Casey@Example.com',
      'casey@EXAMPLE.COM',
      ' casey@example.com',
    ]) {
      expect((await signIn(email, 'nope', '192.0.2.21')).result).toEqual({ ok: false, reason: 'invalid' });
    }
    expect((await signIn('casey@example.com', PASSWORD, '192.0.2.21')).result).toMatchObject({ ok: false, reason: 'throttled' });
  });

  it("does not lock before the limit, and a successful sign-in clears the account's failures", async () => {
    await createUser('almost@example.com');
    for (let i = 0; i < 4; i += 1) await signIn('almost@example.com', 'nope', '192.0.2.22');
    expect((await signIn('almost@example.com', PASSWORD, '192.0.2.22')).result.ok).toBe(true);
    for (let i = 0; i < 4; i += 1) {
      expect((await signIn('almost@example.com', 'nope', '192.0.2.22')).result).toEqual({ ok: false, reason: 'invalid' });
    }
    expect((await signIn('almost@example.com', PASSWORD, '192.0.2.22')).result.ok).toBe(true);
  });

  it('locks an IP after 20 failures across different emails, for that IP only', async () => {
    expect(THROTTLE_RULES.ip.maxFailures).toBe(20);
    const target = await createUser('victim@example.com');
    for (let i = 0; i < 20; i += 1) {
      const { result } = await signIn(`spray-${i}@example.com`, 'password1', '192.0.2.66');
      expect(result, `spray ${i}`).toEqual({ ok: false, reason: 'invalid' });
    }
    const blocked = await signIn('victim@example.com', PASSWORD, '192.0.2.66');
    expect(blocked.result).toMatchObject({ ok: false, reason: 'throttled' });
    if (!blocked.result.ok && blocked.result.reason === 'throttled') {
      expect(blocked.result.retryAt.getTime()).toBeGreaterThan(Date.now());
    }

    const fromElsewhere = await signIn('victim@example.com', PASSWORD, '192.0.2.67');
    expect(fromElsewhere.result.ok).toBe(true);
    if (fromElsewhere.result.ok) expect(fromElsewhere.result.user.id).toBe(target.id);
  });

  it('successful sign-ins do not count against the IP', async () => {
    await createUser('regular@example.com');
    for (let i = 0; i < 19; i += 1) await signIn(`typo-${i}@example.com`, 'x', '192.0.2.88');
    for (let i = 0; i < 3; i += 1) {
      expect((await signIn('regular@example.com', PASSWORD, '192.0.2.88')).result.ok, `sign-in ${i}`).toBe(true);
    }
    expect((await signIn('typo-last@example.com', 'x', '192.0.2.88')).result).toEqual({ ok: false, reason: 'invalid' });
    expect((await signIn('regular@example.com', PASSWORD, '192.0.2.88')).result).toMatchObject({
      ok: false,
      reason: 'throttled',
    });
  });

  it('19 failures from one IP do not lock it', async () => {
    await createUser('neighbour@example.com');
    for (let i = 0; i < 19; i += 1) await signIn(`probe-${i}@example.com`, 'x', '192.0.2.77');
    expect((await signIn('neighbour@example.com', PASSWORD, '192.0.2.77')).result.ok).toBe(true);
  });
});

describe('throttling under concurrency', () => {
  it('30 simultaneous guesses at one account from one source get at most 5 password checks', async () => {
    await createUser('burst@example.com');
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => signIn('burst@example.com', `burst-${i}`, null)));
    const checked = results.filter(({ result }) => !result.ok && result.reason === 'invalid').length;
    expect(checked).toBeGreaterThan(0);
    expect(checked).toBeLessThanOrEqual(THROTTLE_RULES.source.maxFailures);
    expect(results.every(({ result }) => !result.ok)).toBe(true);
    expect((await signIn('burst@example.com', PASSWORD, null)).result).toMatchObject({ ok: false, reason: 'throttled' });
  });

  it('40 simultaneous guesses from one IP get at most 20 password checks', async () => {
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => signIn(`burst-spray-${i}@example.com`, 'password1', '192.0.2.250')),
    );
    const checked = results.filter(({ result }) => !result.ok && result.reason === 'invalid').length;
    expect(checked).toBeGreaterThan(0);
    expect(checked).toBeLessThanOrEqual(THROTTLE_RULES.ip.maxFailures);
  });
});

describe.skipIf(!TEST_DATABASE_URL)('throttling under concurrency on PostgreSQL', () => {
  it('30 simultaneous guesses at one account from 30 addresses on a pool of 20 get at most 20 password checks', async () => {
    const pg = await freshPostgres(20);
    try {
      await pg.db.insert(users).values({ email: 'pg-burst@example.com', name: 'pg', passwordHash, role: 'agent' });
      const results = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          authenticate(pg.db, {
            email: 'pg-burst@example.com',
            password: `g${i}`,
            ip: `10.0.0.${i}`,
            userAgent: null,
            requestId: null,
          }),
        ),
      );
      const checked = results.filter((r) => !r.ok && r.reason === 'invalid').length;
      expect(checked).toBeGreaterThan(0);
      expect(checked).toBeLessThanOrEqual(THROTTLE_RULES.account.maxFailures);
      expect(results.filter((r) => !r.ok && r.reason === 'throttled')).toHaveLength(30 - checked);
      // Each password check is audited; the refusals are counted.
      expect(await verifyAuditChain(pg.db)).toMatchObject({ ok: true, verified: checked });
    } finally {
      await pg.close();
    }
  });
});

describe('audit trail of sign-ins', () => {
  it('recorded every attempt above in a chain that verifies', async () => {
    const all = await db.select().from(auditEvents);
    expect(all.filter((e) => e.action === 'auth.sign_in')).toHaveLength(audited);
    expect(audited).toBeGreaterThan(50);
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true, verified: all.length });
  });
});
