import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DbHandle } from '@/db';
import { auditEvents, users } from '@/db/schema';
import { verifyAuditChain } from '@/lib/audit';
import { freshPglite } from '@/test/db';

// The session cookie and the request are the only things stood in for: the wrapper, the users
// table lookup, the permission map, zod parsing and the audit trail are all the real ones.
// Behind two trusted proxies, as a deployment that records client addresses is.
vi.stubEnv('TRUSTED_PROXY_HOPS', '2');
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
vi.mock('next/headers', () => ({
  headers: async () =>
    new Headers({ 'user-agent': 'vitest', 'x-forwarded-for': '203.0.113.7, 10.0.0.1', 'x-request-id': 'req-1' }),
}));
vi.mock('next/cache', () => ({ revalidatePath: () => {} }));

const { setUserActiveAction, changeUserRoleAction } = await import('@/lib/users/actions');

let ids: Record<'admin' | 'admin2' | 'agent' | 'target', string>;

async function auditCount() {
  const [row] = await database.handle!.db.select({ n: count() }).from(auditEvents);
  return row!.n;
}
async function userRow(id: string) {
  const [row] = await database.handle!.db.select().from(users).where(eq(users.id, id));
  return row!;
}

beforeAll(async () => {
  database.handle = await freshPglite();
  const rows = await database.handle.db
    .insert(users)
    .values([
      { email: 'admin@t.test', name: 'Admin', role: 'admin' },
      { email: 'admin2@t.test', name: 'Admin Two', role: 'admin' },
      { email: 'agent@t.test', name: 'Agent', role: 'agent' },
      { email: 'target@t.test', name: 'Target', role: 'agent' },
    ])
    .returning({ id: users.id, email: users.email });
  const byEmail = (e: string) => rows.find((r) => r.email === e)!.id;
  ids = {
    admin: byEmail('admin@t.test'),
    admin2: byEmail('admin2@t.test'),
    agent: byEmail('agent@t.test'),
    target: byEmail('target@t.test'),
  };
});
afterAll(() => database.handle?.close());
beforeEach(() => {
  session.userId = null;
});

describe('the action wrapper', () => {
  it('refuses a call without a session and changes nothing', async () => {
    const before = await auditCount();
    const result = await setUserActiveAction({ userId: ids.target, active: false });
    expect(result).toMatchObject({ ok: false, code: 'unauthenticated' });
    expect((await userRow(ids.target)).active).toBe(true);
    expect(await auditCount()).toBe(before);
  });

  it('refuses a role without the permission, changes nothing, and audits the refusal', async () => {
    session.userId = ids.agent;
    const before = await auditCount();
    const result = await setUserActiveAction({ userId: ids.target, active: false });
    expect(result).toMatchObject({ ok: false, code: 'forbidden' });
    expect((await userRow(ids.target)).active).toBe(true);
    expect(await auditCount()).toBe(before + 1);
    const [denied] = await database.handle!.db.select().from(auditEvents).where(eq(auditEvents.action, 'access.denied'));
    expect(denied).toMatchObject({
      actorId: ids.agent,
      entityId: 'users.setActive',
      outcome: 'failure',
      ip: '203.0.113.7',
      requestId: 'req-1',
    });
  });

  it('returns field errors for bad input and writes nothing', async () => {
    session.userId = ids.admin;
    const before = await auditCount();
    const result = await changeUserRoleAction({ userId: 'not-a-uuid', role: 'superuser' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.code).toBe('invalid_input');
    expect(Object.keys(result.fieldErrors ?? {}).sort()).toEqual(['role', 'userId']);
    expect(await auditCount()).toBe(before);
    expect((await userRow(ids.target)).role).toBe('agent');
  });

  it('accepts FormData, performs the change and audits it with before and after', async () => {
    session.userId = ids.admin;
    const form = new FormData();
    form.set('userId', ids.target);
    form.set('role', 'auditor');
    const result = await changeUserRoleAction(form);
    expect(result).toEqual({ ok: true, data: { userId: ids.target, role: 'auditor' } });
    expect((await userRow(ids.target)).role).toBe('auditor');
    const [event] = await database.handle!.db.select().from(auditEvents).where(eq(auditEvents.action, 'user.role_change'));
    expect(event).toMatchObject({
      actorId: ids.admin,
      actorRole: 'admin',
      entityId: ids.target,
      before: { role: 'agent' },
      after: { role: 'auditor' },
      outcome: 'success',
    });
  });

  it('shows a safe error for a refused business rule', async () => {
    session.userId = ids.admin;
    const result = await setUserActiveAction({ userId: ids.admin, active: false });
    expect(result).toMatchObject({ ok: false, code: 'self_deactivation', error: 'You cannot deactivate your own account.' });
    expect((await userRow(ids.admin)).active).toBe(true);
  });
});

describe('role changes and deactivation take effect on the next request', () => {
  it('a deactivated admin is refused on their very next call', async () => {
    session.userId = ids.admin;
    expect((await setUserActiveAction({ userId: ids.admin2, active: false })).ok).toBe(true);
    session.userId = ids.admin2; // still holding a valid session cookie
    const result = await setUserActiveAction({ userId: ids.target, active: false });
    expect(result).toMatchObject({ ok: false, code: 'unauthenticated' });
    expect((await userRow(ids.target)).active).toBe(true);
  });

  it('a demoted admin loses the permission at once, a promoted agent gains it', async () => {
    session.userId = ids.admin;
    expect((await changeUserRoleAction({ userId: ids.agent, role: 'admin' })).ok).toBe(true);
    session.userId = ids.agent;
    expect((await setUserActiveAction({ userId: ids.admin2, active: true })).ok).toBe(true);
    expect((await changeUserRoleAction({ userId: ids.admin, role: 'agent' })).ok).toBe(true);
    session.userId = ids.admin;
    expect(await changeUserRoleAction({ userId: ids.agent, role: 'agent' })).toMatchObject({ ok: false, code: 'forbidden' });
  });

  it('leaves an intact audit chain behind', async () => {
    const result = await verifyAuditChain(database.handle!.db);
    expect(result).toMatchObject({ ok: true });
    expect(result.verified).toBe(await auditCount());
  });
});
