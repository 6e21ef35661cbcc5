import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DbHandle } from '@/db';
import { auditEvents, sessions, users } from '@/db/schema';
import { deleteExpiredSessions } from '@/db/queries/sessions';
import { freshPglite } from '@/test/db';
import type { AuditContext } from '@/lib/audit';

// Auth.js itself (the cookie) is stood in for: what it would decode from the browser's cookie.
const cookie = vi.hoisted(() => ({ session: null as { user: { id: string }; sid?: string } | null }));
const database = vi.hoisted(() => ({ handle: null as DbHandle | null }));
const signOut = vi.hoisted(() => vi.fn(async () => {}));
vi.mock('next-auth', () => ({ AuthError: class extends Error {}, CredentialsSignin: class extends Error {} }));
vi.mock('@/lib/auth', () => ({ auth: async () => cookie.session, signIn: vi.fn(), signOut }));
vi.mock('@/db', async (importOriginal) => ({
  ...(await importOriginal<typeof import('@/db')>()),
  getDb: async () => database.handle!.db,
}));
vi.mock('next/headers', () => ({ headers: async () => new Headers({ 'user-agent': 'vitest', 'x-request-id': 'req-session' }) }));
vi.mock('react', async (importOriginal) => ({
  ...(await importOriginal<typeof import('react')>()),
  cache: <T>(fn: T) => fn,
}));

const { getCookieSession } = await import('./session-id');
const { getCurrentUser } = await import('./session');
const { signOutAction } = await import('./actions');
const { authenticate } = await import('./authenticate');
const { hashPassword } = await import('./passwords');
const service = await import('@/lib/users/service');
const { SESSION_IDLE_TIMEOUT_SECONDS, SESSION_MAX_AGE_SECONDS } = await import('./config');

const PASSWORD = 'correct horse battery staple';
const audit: AuditContext = {
  actorId: null,
  actorRole: 'admin',
  actorEmail: 'admin@t.test',
  ip: null,
  userAgent: null,
  requestId: null,
};
let adminId: string;
let n = 0;

async function newUser(password = PASSWORD) {
  n += 1;
  const [user] = await database
    .handle!.db.insert(users)
    .values({ email: `u${n}@t.test`, name: `U${n}`, role: 'agent', passwordHash: await hashPassword(password) })
    .returning();
  return user!;
}

/** Signs in through the real credentials check and returns the cookie the browser would hold. */
async function signIn(email: string, password = PASSWORD) {
  const result = await authenticate(database.handle!.db, { email, password, ip: null, userAgent: 'vitest', requestId: null });
  if (!result.ok) throw new Error(`sign-in refused: ${result.reason}`);
  return { user: { id: result.user.id }, sid: result.sid };
}

async function asCookie(session: { user: { id: string }; sid?: string }) {
  cookie.session = session;
  return getCookieSession();
}

beforeAll(async () => {
  database.handle = await freshPglite();
  const [admin] = await database.handle.db
    .insert(users)
    .values({ email: 'admin@t.test', name: 'Admin', role: 'admin' })
    .returning();
  adminId = admin!.id;
});
afterAll(() => database.handle?.close());
beforeEach(() => vi.useRealTimers());

describe('sessions live in the database, not in the cookie', () => {
  it('signing out ends that session; the same cookie replayed is refused; other sessions stay', async () => {
    const user = await newUser();
    const laptop = await signIn(user.email);
    const phone = await signIn(user.email);
    expect((await asCookie(laptop))?.userId).toBe(user.id);

    await signOutAction();
    expect(signOut).toHaveBeenCalledWith({ redirectTo: '/signin' });
    const [row] = await database.handle!.db.select().from(sessions).where(eq(sessions.sid, laptop.sid));
    expect(row).toMatchObject({ endReason: 'sign_out' });
    expect(await asCookie({ ...laptop })).toBeNull();
    expect((await asCookie(phone))?.userId).toBe(user.id);
  });

  it('a signed-out cookie stays dead after its row is purged: a cookie without a row is no session', async () => {
    const user = await newUser();
    const cookieCopy = await signIn(user.email);
    await asCookie(cookieCopy);
    await signOutAction();
    await deleteExpiredSessions(database.handle!.db, new Date(Date.now() + SESSION_MAX_AGE_SECONDS * 1000 + 1000));
    expect(await database.handle!.db.select().from(sessions).where(eq(sessions.sid, cookieCopy.sid))).toHaveLength(0);
    expect(await asCookie(cookieCopy)).toBeNull();
    // A well-formed cookie naming a session that was never opened is refused too.
    expect(await asCookie({ user: { id: user.id }, sid: crypto.randomUUID() })).toBeNull();
    expect(await asCookie({ user: { id: user.id } })).toBeNull();
  });

  it('"sign out everywhere" ends every session of the user', async () => {
    const user = await newUser();
    const a = await signIn(user.email);
    const b = await signIn(user.email);
    await asCookie(a);
    const form = new FormData();
    form.set('scope', 'everywhere');
    await signOutAction(form);
    expect(await asCookie(a)).toBeNull();
    expect(await asCookie(b)).toBeNull();
    const events = await database.handle!.db.select().from(auditEvents).where(eq(auditEvents.action, 'auth.sign_out'));
    expect(events.find((e) => e.entityId === user.id)?.after).toEqual({ scope: 'everywhere', sessionsEnded: 2 });
  });

  it('a session ends at its absolute lifetime even when used all the time', async () => {
    const user = await newUser();
    const s = await signIn(user.email);
    const start = Date.now();
    vi.useFakeTimers({ toFake: ['Date'] });
    // Used every 20 minutes: never idle, but the day ends.
    for (let t = 20 * 60_000; t < SESSION_MAX_AGE_SECONDS * 1000; t += 20 * 60_000) {
      vi.setSystemTime(start + t);
      expect(await asCookie(s), `alive at ${t / 60_000} min`).not.toBeNull();
    }
    vi.setSystemTime(start + SESSION_MAX_AGE_SECONDS * 1000 + 1000);
    expect(await asCookie(s)).toBeNull();
  });

  it('a session ends after the idle timeout without a request', async () => {
    const user = await newUser();
    const s = await signIn(user.email);
    const start = Date.now();
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(start + (SESSION_IDLE_TIMEOUT_SECONDS - 60) * 1000);
    expect(await asCookie(s)).not.toBeNull();
    vi.setSystemTime(start + (2 * SESSION_IDLE_TIMEOUT_SECONDS - 90) * 1000);
    expect(await asCookie(s), 'the previous request reset the idle clock').not.toBeNull();
    vi.setSystemTime(start + 3 * SESSION_IDLE_TIMEOUT_SECONDS * 1000);
    expect(await asCookie(s)).toBeNull();
  });
});

describe('what an admin does ends the user’s sessions at their next request', () => {
  it('a password reset ends every session: a stolen cookie cannot keep the account or set the password', async () => {
    const user = await newUser();
    const stolen = await signIn(user.email);
    const { oneTimePassword } = await service.resetPassword(database.handle!.db, { id: adminId }, audit, { userId: user.id });
    expect(await asCookie(stolen)).toBeNull();
    expect(await getCurrentUser()).toBeNull();

    // The owner signs in with the one-time password: only that session may set the password.
    const owner = await signIn(user.email, oneTimePassword);
    expect(await asCookie(owner)).toMatchObject({ oneTime: true });
    expect(await getCurrentUser()).toMatchObject({ id: user.id, mustChangePassword: true });
    expect(await asCookie(stolen)).toBeNull();
  });

  it('deactivation and a role change end the user’s sessions', async () => {
    const a = await newUser();
    const b = await newUser();
    const sa = await signIn(a.email);
    const sb = await signIn(b.email);
    await service.setUserActive(database.handle!.db, { id: adminId }, audit, { userId: a.id, active: false });
    await service.changeUserRole(database.handle!.db, { id: adminId }, audit, { userId: b.id, role: 'manager' });
    expect(await asCookie(sa)).toBeNull();
    expect(await asCookie(sb)).toBeNull();
    // Reactivated, the user signs in again; the old cookie stays dead.
    await service.setUserActive(database.handle!.db, { id: adminId }, audit, { userId: a.id, active: true });
    expect(await asCookie(sa)).toBeNull();
    expect(await asCookie(await signIn(a.email))).not.toBeNull();
  });

  it('setting the password keeps the session that did it and ends any other', async () => {
    const user = await newUser();
    const { oneTimePassword } = await service.resetPassword(database.handle!.db, { id: adminId }, audit, { userId: user.id });
    const owner = await signIn(user.email, oneTimePassword);
    await service.setOwnPassword(database.handle!.db, { id: user.id, sid: owner.sid }, audit, {
      password: 'a brand new passphrase',
    });
    expect(await asCookie(owner)).toMatchObject({ oneTime: false });
    expect(await getCurrentUser()).toMatchObject({ id: user.id, mustChangePassword: false });
  });
});

describe('one-time passwords', () => {
  it('expire: an invitation after 72 hours, a reset after 24', async () => {
    const invited = await service.inviteUser(database.handle!.db, { id: adminId }, audit, {
      name: 'Late',
      email: 'late@t.test',
      role: 'agent',
    });
    expect(invited.validHours).toBe(72);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 73 * 3_600_000);
    const late = await authenticate(database.handle!.db, {
      email: 'late@t.test',
      password: invited.oneTimePassword,
      ip: null,
      userAgent: null,
      requestId: 'late',
    });
    expect(late).toEqual({ ok: false, reason: 'invalid' });
    const [event] = await database.handle!.db.select().from(auditEvents).where(eq(auditEvents.requestId, 'late'));
    expect(event?.after).toMatchObject({ reason: 'one_time_password_expired' });
    vi.useRealTimers();

    const user = await newUser();
    const reset = await service.resetPassword(database.handle!.db, { id: adminId }, audit, { userId: user.id });
    expect(reset.validHours).toBe(24);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 23 * 3_600_000);
    expect(
      (
        await authenticate(database.handle!.db, {
          email: user.email,
          password: reset.oneTimePassword,
          ip: null,
          userAgent: null,
          requestId: null,
        })
      ).ok,
    ).toBe(true);
  });
});
