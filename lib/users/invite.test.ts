import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DbHandle } from '@/db';
import { auditEvents, users } from '@/db/schema';
import { verifyAuditChain } from '@/lib/audit';
import { authenticate } from '@/lib/auth/authenticate';
import { freshPglite } from '@/test/db';

// Only the session cookie and request headers are stood in for; actions, sign-in and audit are real.
const session = vi.hoisted(() => ({ userId: null as string | null }));
const database = vi.hoisted(() => ({ handle: null as DbHandle | null }));
vi.mock('@/lib/auth/session-id', () => ({
  getCookieSession: async () =>
    session.userId ? { userId: session.userId, sid: '00000000-0000-4000-8000-000000000000', oneTime: true } : null,
}));
vi.mock('@/db', async (importOriginal) => ({
  ...(await importOriginal<typeof import('@/db')>()),
  getDb: async () => database.handle!.db,
}));
vi.mock('next/headers', () => ({ headers: async () => new Headers({ 'user-agent': 'vitest', 'x-request-id': 'req-invite' }) }));
vi.mock('next/cache', () => ({ revalidatePath: () => {} }));

const { inviteUserAction, resetPasswordAction, setOwnPasswordAction, changeUserRoleAction } = await import('@/lib/users/actions');

let adminId: string;
const db = () => database.handle!.db;
const signIn = (email: string, password: string) =>
  authenticate(db(), { email, password, ip: null, userAgent: 'vitest', requestId: crypto.randomUUID() });

beforeAll(async () => {
  database.handle = await freshPglite();
  const [admin] = await db().insert(users).values({ email: 'admin@t.test', name: 'Admin', role: 'admin' }).returning();
  adminId = admin!.id;
});
afterAll(() => database.handle?.close());
beforeEach(() => {
  session.userId = adminId;
});

describe('inviting a user with a one-time password', () => {
  it('creates the user, shows the password once, keeps only its hash, and never writes it to the audit log', async () => {
    const result = await inviteUserAction({ name: 'Nora Agent', email: 'Nora@Example.test', role: 'agent' });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const { userId, oneTimePassword } = result.data;
    expect(oneTimePassword).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/);
    const [row] = await db().select().from(users).where(eq(users.id, userId));
    expect(row).toMatchObject({ email: 'nora@example.test', role: 'agent', active: true, mustChangePassword: true });
    expect(row!.passwordHash).toMatch(/^\$argon2id\$/);
    expect(row!.passwordHash).not.toContain(oneTimePassword);
    const events = await db().select().from(auditEvents).where(eq(auditEvents.entityId, userId));
    expect(events.map((e) => e.action)).toEqual(['user.invite']);
    expect(events[0]).toMatchObject({ actorId: adminId, outcome: 'success' });
    expect(JSON.stringify(events)).not.toContain(oneTimePassword);
  });

  it('refuses an email that is taken, in any case, and invalid input, changing nothing', async () => {
    const before = await db().select().from(users);
    const taken = await inviteUserAction({ name: 'Again', email: 'NORA@example.test', role: 'manager' });
    expect(taken).toMatchObject({ ok: false, code: 'email_taken', fieldErrors: { email: [expect.any(String)] } });
    const bad = await inviteUserAction({ name: '', email: 'not-an-email', role: 'superuser' });
    expect(bad).toMatchObject({ ok: false, code: 'invalid_input' });
    if (!bad.ok) expect(Object.keys(bad.fieldErrors ?? {}).sort()).toEqual(['email', 'name', 'role']);
    expect(await db().select().from(users)).toHaveLength(before.length);
  });

  it('is refused to a non-admin', async () => {
    const [agent] = await db().insert(users).values({ email: 'plain@t.test', name: 'Plain', role: 'agent' }).returning();
    session.userId = agent!.id;
    expect(await inviteUserAction({ name: 'X', email: 'x@t.test', role: 'admin' })).toMatchObject({
      ok: false,
      code: 'forbidden',
    });
    expect(await db().select().from(users).where(eq(users.email, 'x@t.test'))).toHaveLength(0);
  });

  it('lets the password sign in exactly once; that session can only set a new password, which then works', async () => {
    const invited = await inviteUserAction({ name: 'Ola', email: 'ola@example.test', role: 'manager' });
    if (!invited.ok) throw new Error(invited.error);
    const { userId, oneTimePassword } = invited.data;

    const first = await signIn('ola@example.test', oneTimePassword);
    expect(first.ok).toBe(true);
    expect(await signIn('ola@example.test', oneTimePassword)).toMatchObject({ ok: false, reason: 'invalid' });

    session.userId = userId;
    // Anything but setting the password is refused while it is pending.
    expect(await changeUserRoleAction({ userId: adminId, role: 'agent' })).toMatchObject({
      ok: false,
      code: 'password_change_required',
    });
    expect(await setOwnPasswordAction({ password: 'short', confirm: 'short' })).toMatchObject({
      ok: false,
      code: 'invalid_input',
    });
    expect(await setOwnPasswordAction({ password: 'a long new password', confirm: 'a different one!!' })).toMatchObject({
      ok: false,
      fieldErrors: { confirm: [expect.any(String)] },
    });
    expect(await setOwnPasswordAction({ password: 'a long new password', confirm: 'a long new password' })).toEqual({
      ok: true,
      data: { home: '/' },
    });
    const [row] = await db().select().from(users).where(eq(users.id, userId));
    expect(row!.mustChangePassword).toBe(false);
    expect((await signIn('ola@example.test', 'a long new password')).ok).toBe(true);
    // Once set, it cannot be replaced through this path without the current password.
    expect(await setOwnPasswordAction({ password: 'another long one', confirm: 'another long one' })).toMatchObject({
      ok: false,
      code: 'not_required',
    });
  });

  it('reset issues a new one-time password and the old password stops working', async () => {
    const [user] = await db().select().from(users).where(eq(users.email, 'ola@example.test'));
    const reset = await resetPasswordAction({ userId: user!.id });
    if (!reset.ok) throw new Error(reset.error);
    expect(await signIn('ola@example.test', 'a long new password')).toMatchObject({ ok: false });
    expect((await signIn('ola@example.test', reset.data.oneTimePassword)).ok).toBe(true);
    expect(await resetPasswordAction({ userId: adminId })).toMatchObject({ ok: false, code: 'self_reset' });
    expect((await verifyAuditChain(db())).ok).toBe(true);
  });
});
