import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DbHandle } from '@/db';
import { orderLines, orders, providerRefunds, refundLines, refunds, users } from '@/db/schema';
import type { RefundStatusView } from '@/lib/refunds/types';
import { freshPglite } from '@/test/db';

// Only the session cookie, the database handle and the request headers are stood in for; the
// permission check, the users-table lookup and the status query are the real ones.
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
vi.mock('next/headers', () => ({ headers: async () => new Headers({ 'user-agent': 'vitest', 'x-request-id': 'req-status' }) }));

const { GET } = await import('./route');

let ids: { agent: string; inactive: string; refund: string };

function get(refundId: string) {
  return GET(new Request(`http://localhost/api/refunds/${refundId}/status`), { params: Promise.resolve({ refundId }) });
}

beforeAll(async () => {
  database.handle = await freshPglite();
  const db = database.handle.db;
  const people = await db
    .insert(users)
    .values([
      { email: 'agent@t.test', name: 'Agent', role: 'agent' },
      { email: 'gone@t.test', name: 'Gone', role: 'agent', active: false },
    ])
    .returning({ id: users.id, email: users.email });
  const [order] = await db
    .insert(orders)
    .values({
      provider: 'forage',
      providerRef: 'fgstatus01',
      orderNumber: 'RD-STATUS-1',
      kind: 'forage',
      status: 'paid',
      providerStatus: 'succeeded',
      currency: 'USD',
      totalMinor: 898,
      customerName: 'Maria Lopez',
      customerEmail: 'maria@example.com',
      placedAt: new Date(),
    })
    .returning({ id: orders.id });
  const [line] = await db
    .insert(orderLines)
    .values({
      orderId: order!.id,
      position: 0,
      providerLineId: '0412345000018',
      name: 'Whole Milk 1 gal',
      unitPriceMinor: 449,
      quantity: 2,
      paidMinor: 898,
    })
    .returning({ id: orderLines.id });
  const agentId = people.find((p) => p.email === 'agent@t.test')!.id;
  const [refund] = await db
    .insert(refunds)
    .values({
      orderId: order!.id,
      requestKey: randomUUID(),
      status: 'processing',
      currency: 'USD',
      amountMinor: 449,
      requestedBy: agentId,
    })
    .returning({ id: refunds.id });
  await db
    .insert(refundLines)
    .values({ refundId: refund!.id, orderLineId: line!.id, quantity: 1, amountMinor: 449, reason: 'damaged' });
  await db.insert(providerRefunds).values({
    refundId: refund!.id,
    provider: 'forage',
    providerRefundRef: 'rfstatus01',
    tender: 'ebt_snap',
    amountMinor: 449,
    status: 'processing',
  });
  ids = { agent: agentId, inactive: people.find((p) => p.email === 'gone@t.test')!.id, refund: refund!.id };
});
afterAll(() => database.handle?.close());
beforeEach(() => {
  session.userId = null;
});

describe('GET /api/refunds/[refundId]/status', () => {
  it('answers 401 without a session, and for a deactivated user', async () => {
    const response = await get(ids.refund);
    expect(response.status).toBe(401);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toMatchObject({ code: 'unauthenticated' });

    session.userId = ids.inactive;
    expect((await get(ids.refund)).status).toBe(401);
  });

  it('answers 400 for something that is not a refund id', async () => {
    session.userId = ids.agent;
    const response = await get('not-a-uuid');
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 'invalid_input' });
  });

  it('answers 404 for a refund that does not exist', async () => {
    session.userId = ids.agent;
    const response = await get(randomUUID());
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ code: 'not_found' });
  });

  it('gives an agent the live view, never cached', async () => {
    session.userId = ids.agent;
    const response = await get(ids.refund);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const view = (await response.json()) as RefundStatusView;
    expect(view).toMatchObject({
      id: ids.refund,
      status: 'processing',
      final: false,
      amountMinor: 449,
      currency: 'USD',
      providerRefunds: [{ ref: 'rfstatus01', tender: 'ebt_snap', amountMinor: 449, status: 'processing' }],
    });
  });
});
