import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '@/db';
import { auditEvents, users, type Role, type User } from '@/db/schema';
import { verifyAuditChain } from '@/lib/audit';
import { freshPglite, freshPostgres, TEST_DATABASE_URL, warnPostgresSkipped } from '@/test/db';
import { authenticate, type SignInResult } from './authenticate';
import { hashPassword } from './passwords';
import { THROTTLE_RULES } from './throttle';

warnPostgresSkipped('lib/auth/authenticate.test.ts — sign-in throttling under real concurrency on PostgreSQL');

const PASSWORD = 'correct horse battery staple';

let db: Db;
let close: () => Promise<void>;
let attempts = 0;
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

/** One sign-in attempt; returns the result and the audit event it wrote (found by its request id). */
async function signIn(email: string, password: string, ip: string | null = '198.51.100.1') {
  const requestId = randomUUID();
  attempts += 1;
  const result: SignInResult = await authenticate(db, { email, password, ip, userAgent: 'vitest-agent', requestId });
  const events = await db.select().from(auditEvents).where(eq(auditEvents.requestId, requestId));
  expect(events, 'each attempt writes exactly one audit event').toHaveLength(1);
  return { result, event: events[0]! };
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

  it('answers an unknown email exactly like a wrong password', async () => {
    const { result, event } = await signIn('nobody@example.com', PASSWORD, '203.0.113.12');
    expect(result).toEqual({ ok: false, reason: 'invalid' });
    expect(event).toMatchObject({
      outcome: 'failure',
      actorId: null,
      actorEmail: 'nobody@example.com',
      after: { reason: 'unknown_account' },
    });
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
  it('locks the account after 5 wrong passwords: the 6th attempt is throttled even with the right password', async () => {
    expect(THROTTLE_RULES.email.maxFailures).toBe(5);
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
    expect(result.retryAt.getTime()).toBeLessThanOrEqual(started + THROTTLE_RULES.email.lockMs + 1000);
    expect(event).toMatchObject({ outcome: 'failure', after: { reason: 'throttled', retryAt: result.retryAt.toISOString() } });

    // The lock is on the account, wherever the next attempt comes from.
    const elsewhere = await signIn('LOCKED@example.com', PASSWORD, '192.0.2.99');
    expect(elsewhere.result).toMatchObject({ ok: false, reason: 'throttled' });
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
  it('30 simultaneous guesses at one account get at most 5 password checks', async () => {
    await createUser('burst@example.com');
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) => signIn('burst@example.com', `burst-${i}`, `192.0.2.${100 + i}`)),
    );
    const checked = results.filter(({ result }) => !result.ok && result.reason === 'invalid').length;
    expect(checked).toBeGreaterThan(0);
    expect(checked).toBeLessThanOrEqual(THROTTLE_RULES.email.maxFailures);
    expect(results.every(({ result }) => !result.ok)).toBe(true);
    expect((await signIn('burst@example.com', PASSWORD, '192.0.2.200')).result).toMatchObject({ ok: false, reason: 'throttled' });
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
  it('30 simultaneous guesses at one account on a pool of 20 get at most 5 password checks', async () => {
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
      expect(checked).toBeLessThanOrEqual(THROTTLE_RULES.email.maxFailures);
      expect(results.filter((r) => !r.ok && r.reason === 'throttled')).toHaveLength(30 - checked);
      expect(await verifyAuditChain(pg.db)).toMatchObject({ ok: true, verified: 30 });
    } finally {
      await pg.close();
    }
  });
});

describe('audit trail of sign-ins', () => {
  it('recorded every attempt above in a chain that verifies', async () => {
    const all = await db.select().from(auditEvents);
    expect(all.filter((e) => e.action === 'auth.sign_in')).toHaveLength(attempts);
    expect(attempts).toBeGreaterThan(60);
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true, verified: all.length });
  });
});
