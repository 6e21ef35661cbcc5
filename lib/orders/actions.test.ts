import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DbHandle } from '@/db';
import { orderByNumber, seededPglite, userId } from '@/test/refunds';

// As in lib/actions/action.test.ts: only the session cookie, the request and the provider client are
// stood in for; the wrapper, the users table, the permission map and the audit trail are real.
const session = vi.hoisted(() => ({ userId: null as string | null }));
const database = vi.hoisted(() => ({ handle: null as DbHandle | null }));
const provider = vi.hoisted(() => ({ calls: 0 }));
vi.mock('@/lib/auth/session-id', () => ({
  getCookieSession: async () =>
    session.userId ? { userId: session.userId, sid: '00000000-0000-4000-8000-000000000000', oneTime: true } : null,
}));
vi.mock('@/db', async (importOriginal) => ({
  ...(await importOriginal<typeof import('@/db')>()),
  getDb: async () => database.handle!.db,
}));
vi.mock('next/headers', () => ({ headers: async () => new Headers({ 'user-agent': 'vitest' }) }));
vi.mock('next/cache', () => ({ revalidatePath: () => {} }));
vi.mock('@/lib/providers', () => ({
  getProviderClient: () => ({
    getOrder: async () => {
      provider.calls += 1;
      return { ok: false, code: 'unavailable', message: 'not in this test' };
    },
    profile: { describeError: () => ({ message: 'Not in this test.', action: '' }) },
  }),
}));

const { refreshOrderAction } = await import('./actions');

beforeAll(async () => {
  database.handle = await seededPglite();
});
afterAll(() => database.handle?.close());
beforeEach(() => {
  provider.calls = 0;
});

describe('refreshing an order from its provider', () => {
  it('is refused to an auditor, who reads everything but triggers no provider call', async () => {
    session.userId = await userId(database.handle!.db, 'auditor@refund-desk.test');
    const order = await orderByNumber(database.handle!.db, 'RD-100031');
    const result = await refreshOrderAction({ orderId: order.id });
    expect(result).toMatchObject({ ok: false, code: 'forbidden' });
    expect(provider.calls).toBe(0);
  });

  it('is allowed to an agent (the provider is called)', async () => {
    session.userId = await userId(database.handle!.db, 'agent@refund-desk.test');
    const order = await orderByNumber(database.handle!.db, 'RD-100031');
    await refreshOrderAction({ orderId: order.id });
    expect(provider.calls).toBe(1);
  });
});
