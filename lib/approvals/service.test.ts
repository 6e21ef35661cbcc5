import { randomUUID } from 'node:crypto';
import { and, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db, DbHandle } from '@/db';
import { getOrderFigures } from '@/db/queries/refundable';
import { approvals, jobs, orderLines, orders, refunds, users, type Role } from '@/db/schema';
import { seedDemo } from '@/demo/seed';
import { SYSTEM_CONTEXT, verifyAuditChain } from '@/lib/audit';
import { submitApprovedRefund } from '@/lib/refunds/pipeline';
import { createRefund } from '@/lib/refunds/service';
import { startProviders } from '@/test/refunds';
import { freshPglite, freshPostgres, TEST_DATABASE_URL, warnPostgresSkipped } from '@/test/db';
import { approveRefund, cancelRefund, expirePendingApprovals, linesDigest, rejectRefund } from './service';

type People = Record<'agent' | 'manager' | 'manager2', { id: string; role: Role }>;

async function setup(db: Db) {
  await seedDemo(db);
  const all = await db.select({ id: users.id, email: users.email, role: users.role }).from(users);
  const by = (email: string) => all.find((u) => u.email === email)!;
  const people: People = {
    agent: by('agent@refund-desk.test'),
    manager: by('manager@refund-desk.test'),
    manager2: by('manager2@refund-desk.test'),
  };
  const [order] = await db.select().from(orders).where(eq(orders.orderNumber, 'RD-100042'));
  const [chair] = await db
    .select()
    .from(orderLines)
    .where(and(eq(orderLines.orderId, order!.id), eq(orderLines.providerLineId, '5475')));
  /** One chair (2 499,00 kr) is above the NOK 2 000 approval threshold. */
  const request = (by: { id: string }) =>
    createRefund(db, by, SYSTEM_CONTEXT, {
      orderId: order!.id,
      requestKey: randomUUID(),
      lines: [{ orderLineId: chair!.id, quantity: 1, amountMinor: 249_900, reason: 'damaged' }],
      confirmedTotalMinor: 249_900,
    });
  return { people, order: order!, request };
}

describe('approvals on PGlite', () => {
  let handle: DbHandle;
  let ctx: Awaited<ReturnType<typeof setup>>;
  beforeAll(async () => {
    handle = await freshPglite();
    ctx = await setup(handle.db);
  });
  afterAll(() => handle?.close());

  const status = async (id: string) =>
    (await handle.db.select({ s: refunds.status }).from(refunds).where(eq(refunds.id, id)))[0]!.s;
  const refundable = async () => (await getOrderFigures(handle.db, ctx.order.id)).refundableMinor;

  it('a request above the threshold waits, holding its amount, with an expiry', async () => {
    const before = await refundable();
    const created = await ctx.request(ctx.people.agent);
    expect(created.status).toBe('pending_approval');
    expect(await refundable()).toBe(before - 249_900);
    const [row] = await handle.db.select().from(refunds).where(eq(refunds.id, created.refundId));
    expect(row!.expiresAt!.getTime()).toBeGreaterThan(Date.now() + 47 * 3_600_000);
    const [{ n }] = (await handle.db.select({ n: count() }).from(jobs).where(eq(jobs.kind, 'refund.submit'))) as [{ n: number }];
    expect(n).toBe(0);
  });

  it('a manager approves: the approval is bound to the lines and the submission is queued', async () => {
    const { refundId } = await ctx.request(ctx.people.agent);
    const digest = await linesDigest(handle.db, refundId);
    await expect(
      approveRefund(handle.db, ctx.people.manager, SYSTEM_CONTEXT, { refundId, linesDigest: 'f'.repeat(64) }),
    ).rejects.toMatchObject({ code: 'request_changed' });
    expect(
      await approveRefund(handle.db, ctx.people.manager, SYSTEM_CONTEXT, { refundId, linesDigest: digest, comment: 'ok' }),
    ).toEqual({ refundId, status: 'approved' });
    const [job] = await handle.db
      .select()
      .from(jobs)
      .where(eq(jobs.dedupeKey, `submit:${refundId}`));
    expect(job?.status).toBe('queued');
    await expect(
      rejectRefund(handle.db, ctx.people.manager2, SYSTEM_CONTEXT, { refundId, linesDigest: digest, comment: 'late' }),
    ).rejects.toMatchObject({ code: 'already_decided' });
    // Approved but not sent yet: it still blocks new Frontpayment refunds on the order, and can be canceled.
    await expect(ctx.request(ctx.people.agent)).rejects.toMatchObject({ code: 'order_not_refundable' });
    await expect(cancelRefund(handle.db, ctx.people.agent, SYSTEM_CONTEXT, refundId)).resolves.toMatchObject({
      status: 'canceled',
    });
  });

  it('nobody decides on their own request, not even through the database', async () => {
    const { refundId } = await ctx.request(ctx.people.manager);
    const digest = await linesDigest(handle.db, refundId);
    await expect(
      approveRefund(handle.db, ctx.people.manager, SYSTEM_CONTEXT, { refundId, linesDigest: digest }),
    ).rejects.toMatchObject({ code: 'own_request' });
    await expect(
      handle.db
        .insert(approvals)
        .values({ refundId, decision: 'approved', decidedBy: ctx.people.manager.id, linesDigest: digest }),
    ).rejects.toThrow();
    expect(await status(refundId)).toBe('pending_approval');
  });

  it('a rejection frees the amount; a cancellation by the requester too', async () => {
    const a = await ctx.request(ctx.people.agent);
    const b = await ctx.request(ctx.people.agent);
    const held = await refundable();
    await rejectRefund(handle.db, ctx.people.manager, SYSTEM_CONTEXT, {
      refundId: a.refundId,
      linesDigest: await linesDigest(handle.db, a.refundId),
      comment: 'Not damaged',
    });
    expect(await status(a.refundId)).toBe('rejected');
    expect(await refundable()).toBe(held + 249_900);
    await expect(cancelRefund(handle.db, ctx.people.manager2, SYSTEM_CONTEXT, b.refundId)).resolves.toMatchObject({
      status: 'canceled',
    });
    expect(await refundable()).toBe(held + 2 * 249_900);
  });

  it('an expired request frees the amount and can no longer be approved', async () => {
    const { refundId } = await ctx.request(ctx.people.agent);
    expect(await refundable()).toBeLessThan(2_948_300);
    // The requests left pending by the tests above (the first one and the own request) expire too.
    expect(await expirePendingApprovals(handle.db, new Date(Date.now() + 49 * 3_600_000))).toBe(3);
    expect(await status(refundId)).toBe('expired');
    expect(await refundable()).toBe(2_948_300);
    await expect(
      approveRefund(handle.db, ctx.people.manager, SYSTEM_CONTEXT, {
        refundId,
        linesDigest: await linesDigest(handle.db, refundId),
      }),
    ).rejects.toMatchObject({
      code: 'already_decided',
    });
    expect(await verifyAuditChain(handle.db)).toMatchObject({ ok: true });
  });
});

warnPostgresSkipped('two managers approving the same request at once');
describe.skipIf(!TEST_DATABASE_URL)('approvals on PostgreSQL', () => {
  let handle: Awaited<ReturnType<typeof freshPostgres>>;
  beforeAll(async () => {
    handle = await freshPostgres(10);
  });
  afterAll(() => handle?.close());

  it('two managers approving the same request at once produce one approval, one submission job and one provider refund', async () => {
    const ctx = await setup(handle.db);
    const { refundId } = await ctx.request(ctx.people.agent);
    const digest = await linesDigest(handle.db, refundId);
    const results = await Promise.allSettled([
      approveRefund(handle.db, ctx.people.manager, SYSTEM_CONTEXT, { refundId, linesDigest: digest }),
      approveRefund(handle.db, ctx.people.manager2, SYSTEM_CONTEXT, { refundId, linesDigest: digest }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason).toMatchObject({ code: 'already_decided' });
    expect(await handle.db.select().from(approvals).where(eq(approvals.refundId, refundId))).toHaveLength(1);
    expect(
      await handle.db
        .select()
        .from(jobs)
        .where(eq(jobs.dedupeKey, `submit:${refundId}`)),
    ).toHaveLength(1);

    // Two workers picking up the submission at once (a retried job, a second instance): the
    // provider sandbox sees exactly one refund request.
    const providers = await startProviders();
    try {
      await Promise.all([
        submitApprovedRefund(handle.db, refundId, providers.clientFor),
        submitApprovedRefund(handle.db, refundId, providers.clientFor),
      ]);
      const posts = await providers.refundPosts('frontpayment');
      expect(posts).toHaveLength(1);
      expect(posts[0]!.path).toContain(ctx.order.providerRef);
      const [row] = await handle.db.select({ s: refunds.status }).from(refunds).where(eq(refunds.id, refundId));
      expect(row!.s).toBe('processing');
    } finally {
      await providers.close();
    }
  });
});
