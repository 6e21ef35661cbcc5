import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { asc, eq, inArray, sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS_FOLDER, queryRows, type Db, type DbHandle, type DbOrTx } from '@/db';
import { AUDIT_CHAIN_LOCK } from '@/db/queries/audit-chain';
import { seedDemo } from '@/demo/seed';
import {
  orderLines,
  orders,
  refundLines,
  refundReasonEnum,
  refunds,
  refundStatusEnum,
  type RefundReason,
  type RefundStatus,
} from '@/db/schema';
import { SYSTEM_CONTEXT } from '@/lib/audit';
import { SafeError } from '@/lib/errors';
import { isFinal, TRANSITIONS, transition } from './lifecycle';
import { createRefund } from './service';
import { freshPglite } from '@/test/db';
import { referenceOverview } from '@/test/overview-reference';
import { rollupsVersusRecount } from '@/test/rollups';
import { refundInput, userId } from '@/test/refunds';
import { getOverview } from '@/db/queries/overview';
import { rebuildRollups } from '@/db/queries/rollups';

// The rollups always equal a full recount (migration 0017's triggers), and the overview read from
// them always equals the overview computed the old way, by scanning refunds (test/overview-reference.ts):
// random sequences of requests and status moves through the app's own functions, and raw SQL
// inserts, updates, deletes, line changes and order changes, some of them several to a transaction.
// PostgreSQL with concurrent writers: rollups.pg.test.ts.

const DAY = 86_400_000;
const REASONS = refundReasonEnum.enumValues;
const STATUSES = refundStatusEnum.enumValues;
const CURRENCIES = ['USD', 'NOK', 'EUR'] as const;

type RawCommand =
  | {
      kind: 'insert';
      order: number;
      status: RefundStatus;
      createdDaysAgo: number;
      createdMs: number;
      completedAfterMs: number | null;
      amount: number;
      currency: (typeof CURRENCIES)[number];
      reasons: RefundReason[];
    }
  | { kind: 'move'; refund: number; move: number; completedDaysAgo: number }
  | { kind: 'completedAt'; refund: number; daysAgo: number | null }
  | { kind: 'createdAt'; refund: number; days: number }
  | { kind: 'amount'; refund: number; amount: number }
  | { kind: 'currency'; refund: number; currency: (typeof CURRENCIES)[number] }
  | { kind: 'order'; refund: number; order: number }
  | { kind: 'shiftMany'; refunds: number[]; days: number }
  | { kind: 'delete'; refund: number }
  | { kind: 'lineReason'; line: number; reason: RefundReason }
  | { kind: 'lineDelete'; line: number }
  | { kind: 'lineAdd'; refund: number; reason: RefundReason; amount: number }
  | { kind: 'orderProvider'; order: number }
  | { kind: 'orderDeadline'; order: number; days: number | null };

type Command =
  | { kind: 'request'; order: number; line: number; amount: number; reasons: RefundReason[] }
  | { kind: 'transition'; refund: number; move: number }
  | { kind: 'raw'; command: RawCommand }
  | { kind: 'batch'; commands: RawCommand[] };

const pick = <T>(list: readonly T[], n: number): T | undefined => (list.length ? list[n % list.length] : undefined);

const reason = fc.constantFrom(...REASONS);
const rawCommand: fc.Arbitrary<RawCommand> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('insert' as const),
      order: fc.nat(),
      status: fc.constantFrom(...STATUSES),
      createdDaysAgo: fc.integer({ min: 0, max: 45 }),
      createdMs: fc.integer({ min: 0, max: DAY - 1 }),
      completedAfterMs: fc.option(fc.integer({ min: 0, max: 5 * DAY }), { nil: null }),
      amount: fc.integer({ min: 1, max: 900_000 }),
      currency: fc.constantFrom(...CURRENCIES),
      reasons: fc.array(reason, { maxLength: 3 }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('move' as const),
      refund: fc.nat(),
      move: fc.nat(),
      completedDaysAgo: fc.integer({ min: 0, max: 3 }),
    }),
  },
  fc.record({
    kind: fc.constant('completedAt' as const),
    refund: fc.nat(),
    daysAgo: fc.option(fc.integer({ min: 0, max: 40 }), { nil: null }),
  }),
  fc.record({ kind: fc.constant('createdAt' as const), refund: fc.nat(), days: fc.integer({ min: -20, max: 20 }) }),
  fc.record({ kind: fc.constant('amount' as const), refund: fc.nat(), amount: fc.integer({ min: 1, max: 900_000 }) }),
  fc.record({ kind: fc.constant('currency' as const), refund: fc.nat(), currency: fc.constantFrom(...CURRENCIES) }),
  fc.record({ kind: fc.constant('order' as const), refund: fc.nat(), order: fc.nat() }),
  fc.record({
    kind: fc.constant('shiftMany' as const),
    refunds: fc.array(fc.nat(), { minLength: 2, maxLength: 6 }),
    days: fc.integer({ min: -3, max: 3 }),
  }),
  fc.record({ kind: fc.constant('delete' as const), refund: fc.nat() }),
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('lineReason' as const), line: fc.nat(), reason }) },
  fc.record({ kind: fc.constant('lineDelete' as const), line: fc.nat() }),
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('lineAdd' as const),
      refund: fc.nat(),
      reason,
      amount: fc.integer({ min: 1, max: 50_000 }),
    }),
  },
  fc.record({ kind: fc.constant('orderProvider' as const), order: fc.nat() }),
  fc.record({
    kind: fc.constant('orderDeadline' as const),
    order: fc.nat(),
    days: fc.option(fc.integer({ min: -10, max: 20 }), { nil: null }),
  }),
);

const command: fc.Arbitrary<Command> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('request' as const),
      order: fc.nat(),
      line: fc.nat(),
      amount: fc.integer({ min: 1, max: 400 }),
      reasons: fc.array(reason, { minLength: 1, maxLength: 2 }),
    }),
  },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('transition' as const), refund: fc.nat(), move: fc.nat() }) },
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('raw' as const), command: rawCommand }) },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('batch' as const), commands: fc.array(rawCommand, { minLength: 2, maxLength: 5 }) }),
  },
);

describe('overview rollups', () => {
  let handle: DbHandle;
  let db: Db;
  let agent: string;
  /** Orders of the demo world with lines the app may refund (the `request` command). */
  let demoLines: { orderNumber: string; lines: string[] }[];
  /** Orders paid far above anything refunded, for raw rows (the refund guard never refuses them). */
  let bigOrders: string[];
  const done = { requested: 0, refused: 0, transitions: 0, raw: 0, skipped: 0 };

  beforeAll(async () => {
    handle = await freshPglite();
    db = handle.db;
    await seedDemo(db);
    agent = await userId(db);
    const lines = await db
      .select({ orderNumber: orders.orderNumber, line: orderLines.providerLineId })
      .from(orderLines)
      .innerJoin(orders, eq(orders.id, orderLines.orderId))
      .orderBy(asc(orders.orderNumber), asc(orderLines.position));
    const byOrder = new Map<string, string[]>();
    for (const l of lines) byOrder.set(l.orderNumber, [...(byOrder.get(l.orderNumber) ?? []), l.line]);
    demoLines = [...byOrder].map(([orderNumber, ls]) => ({ orderNumber, lines: ls }));

    bigOrders = [];
    const deadlines = [3 * DAY, -2 * DAY, null, 30 * DAY];
    for (const [i, provider] of (['forage', 'frontpayment', 'frontpayment', 'forage'] as const).entries()) {
      const [order] = await db
        .insert(orders)
        .values({
          provider,
          providerRef: `ROLLUP-${i}`,
          orderNumber: `RU-${1000 + i}`,
          kind: provider === 'forage' ? 'forage' : 'regular',
          status: 'paid',
          providerStatus: 'PAID',
          currency: i === 2 ? 'EUR' : provider === 'forage' ? 'USD' : 'NOK',
          totalMinor: 3_000_000_000,
          customerName: `Rollup ${i}`,
          customerEmail: `rollup${i}@example.test`,
          placedAt: new Date(Date.now() - 60 * DAY),
          refundDeadline: deadlines[i] === null ? null : new Date(Date.now() + deadlines[i]!),
        })
        .returning({ id: orders.id });
      await db.insert(orderLines).values(
        [0, 1, 2].map((position) => ({
          orderId: order!.id,
          position,
          providerLineId: `RL${position}`,
          name: `Product ${position}`,
          unitPriceMinor: 1_000_000_000,
          quantity: 1,
          paidMinor: 1_000_000_000,
        })),
      );
      bigOrders.push(order!.id);
    }
  });
  afterAll(() => handle?.close());

  async function expectRollupsRight(label: string) {
    const { stored, counted } = await rollupsVersusRecount(db);
    expect(stored, `${label}: rollups equal a recount`).toEqual(counted);
    // Today, a day in the window's middle, and a month on (the window holding only old days).
    for (const now of [new Date(), new Date(Date.now() - 10 * DAY), new Date(Date.now() + 35 * DAY)]) {
      const [fast, full] = await Promise.all([getOverview(db, now), referenceOverview(db, now)]);
      expect(fast, `${label}: overview at ${now.toISOString()}`).toEqual(full);
    }
  }

  const refundIds = async (tx: DbOrTx) =>
    (await tx.select({ id: refunds.id, status: refunds.status }).from(refunds).orderBy(asc(refunds.id))).map((r) => r);
  const lineIds = async (tx: DbOrTx) =>
    (await tx.select({ id: refundLines.id }).from(refundLines).orderBy(asc(refundLines.id))).map((r) => r.id);

  /** The refunds a status move can still leave from (most demo refunds are final). */
  const movable = <T extends { status: RefundStatus }>(list: T[]) =>
    list.filter((r) => TRANSITIONS.some((m) => m.from === r.status));

  /** One raw SQL change; returns false when there was nothing to apply it to. */
  async function applyRaw(tx: DbOrTx, c: RawCommand): Promise<boolean> {
    const all = await refundIds(tx);
    const refund = 'refund' in c ? pick(all, c.refund) : undefined;
    switch (c.kind) {
      case 'insert': {
        const orderId = pick(bigOrders, c.order)!;
        const createdAt = new Date(Date.now() - c.createdDaysAgo * DAY - c.createdMs);
        const id = randomUUID();
        await tx.insert(refunds).values({
          id,
          orderId,
          requestKey: randomUUID(),
          status: c.status,
          currency: c.currency,
          amountMinor: c.amount,
          requestedBy: agent,
          createdAt,
          completedAt: c.completedAfterMs === null ? null : new Date(createdAt.getTime() + c.completedAfterMs),
        });
        const lines = await tx.select({ id: orderLines.id }).from(orderLines).where(eq(orderLines.orderId, orderId));
        if (c.reasons.length) {
          await tx.insert(refundLines).values(
            c.reasons.map((r, k) => ({
              refundId: id,
              orderLineId: lines[k]!.id,
              quantity: 0,
              amountMinor: 1 + k,
              reason: r,
              reasonNote: r === 'other' ? 'Rollup test' : null,
            })),
          );
        }
        return true;
      }
      case 'move': {
        const refund = pick(movable(all), c.refund);
        if (!refund) return false;
        const moves = [...new Set(TRANSITIONS.filter((m) => m.from === refund.status).map((m) => m.to))];
        const to = pick(moves, c.move);
        if (!to) return false;
        await tx
          .update(refunds)
          .set({
            status: to,
            ...(isFinal(to) && { completedAt: new Date(Date.now() - c.completedDaysAgo * DAY) }),
          })
          .where(eq(refunds.id, refund.id));
        return true;
      }
      case 'completedAt':
        if (!refund) return false;
        await tx.execute(
          sql`update refunds set completed_at = ${c.daysAgo === null ? null : new Date(Date.now() - c.daysAgo * DAY).toISOString()}::timestamptz where id = ${refund.id}`,
        );
        return true;
      case 'createdAt':
        if (!refund) return false;
        await tx.execute(
          sql`update refunds set created_at = created_at + ${c.days} * interval '1 day' + interval '7 hours' where id = ${refund.id}`,
        );
        return true;
      case 'amount':
        if (!refund) return false;
        await tx.update(refunds).set({ amountMinor: c.amount }).where(eq(refunds.id, refund.id));
        return true;
      case 'currency':
        if (!refund) return false;
        await tx.update(refunds).set({ currency: c.currency }).where(eq(refunds.id, refund.id));
        return true;
      case 'order': {
        // Only between the big orders: a demo refund's lines keep the money on their own order.
        const [row] = await tx
          .select({ orderId: refunds.orderId })
          .from(refunds)
          .where(eq(refunds.id, refund?.id ?? ''));
        if (!refund || !row || !bigOrders.includes(row.orderId)) return false;
        await tx
          .update(refunds)
          .set({ orderId: pick(bigOrders, c.order)! })
          .where(eq(refunds.id, refund.id));
        return true;
      }
      case 'shiftMany': {
        const ids = [...new Set(c.refunds.map((n) => pick(all, n)?.id).filter((id) => id !== undefined))];
        if (ids.length < 2) return false;
        // One statement, several rows: created and completed move together, statuses stay.
        await tx.execute(
          sql`update refunds set created_at = created_at + ${c.days} * interval '1 day',
                                 completed_at = completed_at + ${c.days} * interval '1 day'
               where id in ${sql`(${sql.join(
                 ids.map((id) => sql`${id}::uuid`),
                 sql`, `,
               )})`}`,
        );
        return true;
      }
      case 'delete': {
        if (!refund) return false;
        // Only refunds nothing else points at (demo refunds carry provider refunds and attempts).
        const [dependents] = await queryRows<{ n: number }>(
          tx,
          sql`select (select count(*) from provider_refunds where refund_id = ${refund.id})
                   + (select count(*) from submissions where refund_id = ${refund.id})
                   + (select count(*) from approvals where refund_id = ${refund.id})
                   + (select count(*) from provider_checks where refund_id = ${refund.id})
                   + (select count(*) from refunds where follow_up_of = ${refund.id}) as n`,
        );
        if (Number(dependents!.n) > 0) return false;
        await tx.delete(refundLines).where(eq(refundLines.refundId, refund.id));
        await tx.delete(refunds).where(eq(refunds.id, refund.id));
        return true;
      }
      case 'lineReason': {
        const line = pick(await lineIds(tx), c.line);
        if (!line) return false;
        await tx
          .update(refundLines)
          .set({ reason: c.reason, reasonNote: c.reason === 'other' ? 'Rollup test' : 'Changed' })
          .where(eq(refundLines.id, line));
        return true;
      }
      case 'lineDelete': {
        const line = pick(await lineIds(tx), c.line);
        if (!line) return false;
        await tx.delete(refundLines).where(eq(refundLines.id, line));
        return true;
      }
      case 'lineAdd': {
        if (!refund) return false;
        const [row] = await tx.select({ orderId: refunds.orderId }).from(refunds).where(eq(refunds.id, refund.id));
        if (!bigOrders.includes(row!.orderId)) return false;
        // A line of the refund's order that the refund does not have yet.
        const [free] = await queryRows<{ id: string }>(
          tx,
          sql`select l.id from order_lines l
               where l.order_id = ${row!.orderId}
                 and not exists (select 1 from refund_lines rl where rl.refund_id = ${refund.id} and rl.order_line_id = l.id)
               order by l.position limit 1`,
        );
        if (!free) return false;
        await tx.insert(refundLines).values({
          refundId: refund.id,
          orderLineId: free.id,
          quantity: 0,
          amountMinor: c.amount,
          reason: c.reason,
          reasonNote: c.reason === 'other' ? 'Rollup test' : null,
        });
        return true;
      }
      case 'orderProvider': {
        const id = pick(bigOrders, c.order)!;
        await tx.execute(
          sql`update orders set provider = case provider when 'forage' then 'frontpayment' else 'forage' end where id = ${id}`,
        );
        return true;
      }
      case 'orderDeadline': {
        const id = pick(bigOrders, c.order)!;
        await tx
          .update(orders)
          .set({ refundDeadline: c.days === null ? null : new Date(Date.now() + c.days * DAY) })
          .where(eq(orders.id, id));
        return true;
      }
    }
  }

  async function apply(c: Command) {
    switch (c.kind) {
      case 'request': {
        const order = pick(demoLines, c.order)!;
        const input = await refundInput(db, order.orderNumber, [
          { line: pick(order.lines, c.line)!, amount: c.amount, quantity: 0 },
        ]);
        input.lines = input.lines.map((l) => ({
          ...l,
          reason: c.reasons[0]!,
          reasonNote: c.reasons[0] === 'other' ? 'Test' : '',
        }));
        try {
          await createRefund(db, { id: agent }, SYSTEM_CONTEXT, input);
          done.requested += 1;
        } catch (error) {
          // What the service refuses in words (over what is left, a passed deadline …) changes nothing.
          if (!(error instanceof SafeError)) throw error;
          done.refused += 1;
        }
        return;
      }
      case 'transition': {
        const refund = pick(movable(await refundIds(db)), c.refund);
        const move =
          refund &&
          pick(
            TRANSITIONS.filter((m) => m.from === refund.status),
            c.move,
          );
        if (!refund || !move) return void (done.skipped += 1);
        const moved = await db.transaction((tx) =>
          transition(tx, SYSTEM_CONTEXT, { refundId: refund.id, from: move.from, to: move.to, by: move.by }),
        );
        expect(moved).toBe(true);
        done.transitions += 1;
        return;
      }
      case 'raw':
        if (await applyRaw(db, c.command)) done.raw += 1;
        else done.skipped += 1;
        return;
      case 'batch':
        await db.transaction(async (tx) => {
          for (const raw of c.commands) {
            if (await applyRaw(tx, raw)) done.raw += 1;
            else done.skipped += 1;
          }
        });
    }
  }

  it('take the audit chain’s lock, the one every refund write of the app takes for its audit event', () => {
    // One lock for both, or the two could be taken in opposite orders (migration 0017's header).
    const migration = readFileSync(path.join(MIGRATIONS_FOLDER, '0017_overview_rollups.sql'), 'utf8');
    const keys = [...migration.matchAll(/pg_advisory_xact_lock\((\d+)\)/g)].map((m) => Number(m[1]));
    expect(keys.length).toBeGreaterThan(3);
    expect(new Set(keys)).toEqual(new Set([AUDIT_CHAIN_LOCK]));
  });

  it('start equal: the migration filled them from the demo refunds, the seed kept them right', async () => {
    const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(refunds);
    expect(row!.n).toBeGreaterThan(0);
    await expectRollupsRight('after the demo seed');
  });

  it('equal a full recount after any sequence of writes, and the overview equals the full scan', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 10 }), async (commands) => {
        // Runs share the database; a drift left by a failed run must not fail the shrunk ones.
        await rebuildRollups(db);
        for (const c of commands) await apply(c);
        await expectRollupsRight(JSON.stringify(commands).slice(0, 300));
      }),
      { numRuns: 40 },
    );
    // Not vacuous: the app made refunds and moved them, and raw SQL changed rows, many times over.
    expect(done.requested).toBeGreaterThan(5);
    expect(done.transitions).toBeGreaterThan(10);
    expect(done.raw).toBeGreaterThan(60);
  }, 600_000);

  it('are emptied by TRUNCATE, and count again from nothing', async () => {
    await db.execute(sql`truncate refunds, refund_lines, provider_refunds, submissions, approvals, provider_checks`);
    const { stored } = await rollupsVersusRecount(db);
    expect(stored).toEqual({ days: [], reasons: [], staleDeadlineCopies: 0, staleReasonCopies: 0, staleRefCopies: 0 });
    await applyRaw(db, {
      kind: 'insert',
      order: 0,
      status: 'succeeded',
      createdDaysAgo: 1,
      createdMs: 0,
      completedAfterMs: 3_600_000,
      amount: 1234,
      currency: 'USD',
      reasons: ['damaged', 'damaged', 'quality'],
    });
    await expectRollupsRight('after truncate and one insert');
    const { stored: after } = await rollupsVersusRecount(db);
    expect(after.days).toHaveLength(1);
    expect(after.reasons.map((r) => [r.reason, r.refunds])).toEqual([
      ['damaged', 1],
      ['quality', 1],
    ]);
  });

  it('copy each order’s refund deadline onto its refunds, whoever writes either', async () => {
    const [order] = await db.select({ id: refunds.orderId }).from(refunds).where(inArray(refunds.orderId, bigOrders)).limit(1);
    const deadline = new Date('2031-05-01T00:00:00Z');
    await db.update(orders).set({ refundDeadline: deadline }).where(eq(orders.id, order!.id));
    // A write of the copy itself is overruled by the order's value.
    await db.execute(sql`update refunds set order_refund_deadline = now() where order_id = ${order!.id}`);
    const copies = await db.select({ copy: refunds.orderRefundDeadline }).from(refunds).where(eq(refunds.orderId, order!.id));
    expect(copies.length).toBeGreaterThan(0);
    expect(copies.every((c) => c.copy?.getTime() === deadline.getTime())).toBe(true);
    await expectRollupsRight('after deadline writes');
  });
});
