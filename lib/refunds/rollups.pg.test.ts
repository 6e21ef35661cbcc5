import { randomUUID } from 'node:crypto';
import { asc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows, type Db } from '@/db';
import { getOverview } from '@/db/queries/overview';
import { rebuildRollups } from '@/db/queries/rollups';
import { orderLines, orders, refundLines, refunds, users, type RefundReason, type RefundStatus } from '@/db/schema';
import { SYSTEM_CONTEXT } from '@/lib/audit';
import { freshPostgres, TEST_DATABASE_URL, warnPostgresSkipped } from '@/test/db';
import { referenceOverview } from '@/test/overview-reference';
import { rollupsVersusRecount } from '@/test/rollups';
import { TRANSITIONS, transition } from './lifecycle';

/**
 * The overview's rollups under concurrent writers, each on its own connection (PostgreSQL only:
 * PGlite has one): status moves through the app's `transition`, raw SQL moves that take no audit
 * lock of their own, lines added to and taken off one refund at once, new refunds while their
 * order changes provider, and a rebuild in the middle. Afterwards the rollups equal a recount and
 * the overview equals the full scan; and no transaction died of a deadlock.
 */

warnPostgresSkipped('lib/refunds/rollups.pg.test.ts — overview rollups under concurrent writers');

const WORKERS = 32;
const DAY = 86_400_000;
const REASONS: RefundReason[] = ['damaged', 'quality', 'wrong_item'];

describe.skipIf(!TEST_DATABASE_URL)('overview rollups with concurrent writers on PostgreSQL', () => {
  let handle: Awaited<ReturnType<typeof freshPostgres>>;
  let db: Db;
  let agent: string;
  const orderIds: string[] = [];

  beforeAll(async () => {
    handle = await freshPostgres(WORKERS + 4);
    db = handle.db;
    const [user] = await db
      .insert(users)
      .values({ email: 'agent@rollups.test', name: 'Agent', role: 'agent' })
      .returning({ id: users.id });
    agent = user!.id;
    for (const [i, provider] of (['forage', 'frontpayment'] as const).entries()) {
      const [order] = await db
        .insert(orders)
        .values({
          provider,
          providerRef: `PG-ROLLUP-${i}`,
          orderNumber: `PR-${i}`,
          kind: provider === 'forage' ? 'forage' : 'regular',
          status: 'paid',
          providerStatus: 'PAID',
          currency: provider === 'forage' ? 'USD' : 'NOK',
          totalMinor: 100_000_000_000,
          customerName: `Rollup ${i}`,
          customerEmail: `pg-rollup${i}@example.test`,
          placedAt: new Date(Date.now() - 40 * DAY),
          refundDeadline: new Date(Date.now() + (i + 1) * DAY),
        })
        .returning({ id: orders.id });
      // Many lines, so one refund can gain a line from each of the workers at once.
      await db.insert(orderLines).values(
        Array.from({ length: WORKERS + 2 }, (_, position) => ({
          orderId: order!.id,
          position,
          providerLineId: `L${position}`,
          name: `Product ${position}`,
          unitPriceMinor: 1_000_000_000,
          quantity: 1,
          paidMinor: 1_000_000_000,
        })),
      );
      orderIds.push(order!.id);
    }
  });
  afterAll(() => handle?.close());

  async function expectRight(label: string) {
    const { stored, counted } = await rollupsVersusRecount(db);
    expect(stored, label).toEqual(counted);
    for (const now of [new Date(), new Date(Date.now() - 10 * DAY)]) {
      expect(await getOverview(db, now), `${label}: overview`).toEqual(await referenceOverview(db, now));
    }
  }

  async function insertRefunds(n: number, status: RefundStatus, orderId = orderIds[0]!) {
    const ids: string[] = [];
    const lines = await db
      .select({ id: orderLines.id })
      .from(orderLines)
      .where(eq(orderLines.orderId, orderId))
      .orderBy(asc(orderLines.position));
    for (let i = 0; i < n; i++) {
      const id = randomUUID();
      await db.transaction(async (tx) => {
        await tx.insert(refunds).values({
          id,
          orderId,
          requestKey: randomUUID(),
          status,
          currency: 'USD',
          amountMinor: 100 + i,
          requestedBy: agent,
          createdAt: new Date(Date.now() - (i % 5) * DAY),
        });
        await tx.insert(refundLines).values({
          refundId: id,
          orderLineId: lines[0]!.id,
          quantity: 0,
          amountMinor: 1,
          reason: REASONS[i % REASONS.length]!,
        });
      });
      ids.push(id);
    }
    return ids;
  }

  /** Runs every job at once, each in its own transaction; what each threw, if anything. */
  const together = (jobs: (() => Promise<unknown>)[]) =>
    Promise.all(
      jobs.map((job) =>
        job().then(
          () => null,
          (error: unknown) => error,
        ),
      ),
    );

  const deadlocks = (errors: unknown[]) =>
    errors.filter((e) => e && JSON.stringify(e, Object.getOwnPropertyNames(e)).includes('40P01'));

  it(`${WORKERS} transactions moving statuses at once, two moves each, through the app and by raw SQL`, async () => {
    const pool = await insertRefunds(48, 'approved');
    await expectRight('before');

    const errors: unknown[] = [];
    for (let round = 0; round < 4; round++) {
      const results = await together(
        Array.from({ length: WORKERS }, (_, w) => async () => {
          // Each worker moves two refunds of the shared pool one step on, in one transaction: the
          // second move is written after the first one's audit event took the chain's lock.
          await db.transaction(async (tx) => {
            for (const k of [0, 1]) {
              // Two refunds in ascending order, as the app would lock them, and shared between workers.
              const first = (w * 3 + round * 7) % (pool.length - 1);
              const id = pool[k === 0 ? first : first + 1 + ((w + round) % (pool.length - 1 - first))]!;
              const [row] = await tx.select({ status: refunds.status }).from(refunds).where(eq(refunds.id, id));
              // Forward moves only (not submitting → approved), a different one for each worker.
              const moves = TRANSITIONS.filter((m) => m.from === row!.status && m.to !== 'approved');
              const move = moves[(w + round) % Math.max(moves.length, 1)];
              if (!move) continue;
              if (w % 2 === 0) {
                await transition(tx, SYSTEM_CONTEXT, { refundId: id, from: move.from, to: move.to, by: move.by });
              } else {
                // Raw SQL takes no lock of its own: the rollup triggers' lock is all there is.
                await tx.execute(
                  sql`update refunds set status = ${move.to}::refund_status,
                                         completed_at = case when ${move.to} in ('succeeded', 'partially_succeeded', 'failed', 'rejected', 'expired', 'canceled') then now() end
                       where id = ${id} and status = ${move.from}::refund_status`,
                );
              }
            }
          });
        }),
      );
      errors.push(...results.filter((e) => e !== null));
    }
    // A refund another worker moved first is simply not moved again: nothing fails, nothing deadlocks.
    expect(deadlocks(errors)).toEqual([]);
    expect(errors).toEqual([]);
    const moved = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from refunds where status <> 'approved'`);
    expect(moved[0]!.n).toBeGreaterThan(20);
    await expectRight('after the moves');
  }, 120_000);

  it('one refund gains a line from every worker at once, then loses them all: its reason counts once, then not', async () => {
    const [refundId] = await insertRefunds(1, 'pending_approval', orderIds[1]);
    const lines = await db
      .select({ id: orderLines.id })
      .from(orderLines)
      .where(eq(orderLines.orderId, orderIds[1]!))
      .orderBy(asc(orderLines.position));
    await db.delete(refundLines).where(eq(refundLines.refundId, refundId!));

    const added = await together(
      lines.slice(1, WORKERS + 1).map(
        (line) => () =>
          db.transaction(async (tx) => {
            await tx
              .insert(refundLines)
              .values({ refundId: refundId!, orderLineId: line.id, quantity: 0, amountMinor: 1, reason: 'missing_item' });
            // Hold the transaction open so the others' inserts overlap it.
            await tx.execute(sql`select pg_sleep(0.02)`);
          }),
      ),
    );
    expect(added.filter((e) => e !== null)).toEqual([]);
    await expectRight('after the concurrent line inserts');

    const removed = await together(
      lines.slice(1, WORKERS + 1).map(
        (line) => () =>
          db.transaction(async (tx) => {
            await tx
              .delete(refundLines)
              .where(sql`${refundLines.refundId} = ${refundId} and ${refundLines.orderLineId} = ${line.id}`);
            await tx.execute(sql`select pg_sleep(0.02)`);
          }),
      ),
    );
    expect(removed.filter((e) => e !== null)).toEqual([]);
    await expectRight('after the concurrent line deletes');
  }, 120_000);

  it('new refunds on an order while it changes provider, and a rebuild in the middle', async () => {
    const orderId = orderIds[0]!;
    const lines = await db.select({ id: orderLines.id }).from(orderLines).where(eq(orderLines.orderId, orderId));
    const results = await together([
      ...Array.from(
        { length: WORKERS - 2 },
        (_, w) => () =>
          db.transaction(async (tx) => {
            const id = randomUUID();
            await tx.insert(refunds).values({
              id,
              orderId,
              requestKey: randomUUID(),
              status: w % 3 === 0 ? 'succeeded' : 'approved',
              currency: 'USD',
              amountMinor: 1000 + w,
              requestedBy: agent,
              completedAt: w % 3 === 0 ? new Date() : null,
            });
            await tx.execute(sql`select pg_sleep(0.01)`);
            await tx
              .insert(refundLines)
              .values({ refundId: id, orderLineId: lines[w % lines.length]!.id, quantity: 0, amountMinor: 1, reason: 'quality' });
          }),
      ),
      ...[0, 1, 2].map(
        (k) => () =>
          db.transaction(async (tx) => {
            await tx.execute(sql`select pg_sleep(${0.005 * k})`);
            await tx.execute(
              sql`update orders set provider = case provider when 'forage' then 'frontpayment' else 'forage' end where id = ${orderId}`,
            );
          }),
      ),
      () => rebuildRollups(db).then((report) => expect(report.changes).toEqual([])),
    ]);
    expect(deadlocks(results)).toEqual([]);
    expect(results.filter((e) => e !== null)).toEqual([]);
    await expectRight('after inserts, provider changes and a rebuild');
    // Nothing had drifted, so a rebuild now finds nothing to change either.
    expect((await rebuildRollups(db)).changes).toEqual([]);
  }, 120_000);
});
