import { and, eq, notInArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '@/db';
import { seedDemo } from '@/demo/seed';
import { RELEASED_REFUND_STATUSES, refundLines, refunds } from '@/db/schema';
import { SYSTEM_CONTEXT } from '@/lib/audit';
import { SafeError } from '@/lib/errors';
import { freshPostgres, TEST_DATABASE_URL, warnPostgresSkipped } from '@/test/db';
import { createRefund, type CreatedRefund } from './service';
import { lineFigures, refundInput, userId } from '@/test/refunds';

/**
 * Money is reserved under a lock on the order row (PRODUCT.md §3): many agents refunding the same
 * line at once, each on its own connection, never together exceed what was paid. PostgreSQL only:
 * PGlite has one connection, so nothing there runs at the same time. No provider is called.
 */

warnPostgresSkipped('lib/refunds/concurrency.pg.test.ts — concurrent refunds on one order line (row locks, DB guard)');

describe.skipIf(!TEST_DATABASE_URL)('concurrent refunds on PostgreSQL', () => {
  let handle: Awaited<ReturnType<typeof freshPostgres>>;
  let db: Db;
  let agent: { id: string };

  beforeAll(async () => {
    handle = await freshPostgres(35);
    db = handle.db;
    await seedDemo(db);
    agent = { id: await userId(db) };
  });
  afterAll(() => handle?.close());

  type Outcome = { ok: true; created: CreatedRefund } | { ok: false; error: unknown };
  const settle = (calls: Promise<CreatedRefund>[]) =>
    Promise.all(
      calls.map((call) =>
        call.then(
          (created): Outcome => ({ ok: true, created }),
          (error: unknown): Outcome => ({ ok: false, error }),
        ),
      ),
    );

  /** What the line holds: every refund on it that is not released (rejected, expired, canceled, failed). */
  async function heldOnLine(orderLineId: string) {
    const [row] = await db
      .select({ total: sql<number>`coalesce(sum(${refundLines.amountMinor}), 0)::bigint`.mapWith(Number) })
      .from(refundLines)
      .innerJoin(refunds, eq(refunds.id, refundLines.refundId))
      .where(and(eq(refundLines.orderLineId, orderLineId), notInArray(refunds.status, [...RELEASED_REFUND_STATUSES])));
    return row!.total;
  }

  it('30 agents ask for 7.00 of a 49.98 line at once: exactly 7 get it, the others a clear refusal', async () => {
    const line = '0412345000087'; // RD-100001 infant formula, 2 × 24.99, paid by SNAP
    const before = await lineFigures(db, 'RD-100001', line);
    expect(before.line.paidMinor).toBe(4998);
    const inputs = await Promise.all(
      Array.from({ length: 30 }, () => refundInput(db, 'RD-100001', [{ line, amount: 700, quantity: 0 }])),
    );

    const outcomes = await settle(inputs.map((input) => createRefund(db, agent, SYSTEM_CONTEXT, input)));

    const won = outcomes.filter((o) => o.ok);
    const lost = outcomes.filter((o) => !o.ok);
    expect(won).toHaveLength(Math.floor(4998 / 700));
    expect(won.every((o) => o.created.status === 'approved' && !o.created.duplicate)).toBe(true);
    for (const { error } of lost) {
      expect(error).toBeInstanceOf(SafeError);
      expect((error as SafeError).code).toBe('over_refund');
      expect((error as SafeError).message).toMatch(/left to refund|does not fit/);
    }
    const held = await heldOnLine(before.line.orderLineId);
    expect(held).toBe(7 * 700);
    expect(held).toBeLessThanOrEqual(before.line.paidMinor);
    expect((await lineFigures(db, 'RD-100001', line)).line).toMatchObject({ reservedMinor: 4900, refundableMinor: 98 });
  });

  it('30 agents ask for 50,00 kr of a 359,60 kr Frontpayment line at once: one in flight per order, never above paid', async () => {
    const line = '5402'; // RD-100003 coffee, 4 × 89,90
    const before = await lineFigures(db, 'RD-100003', line);
    const inputs = await Promise.all(Array.from({ length: 30 }, () => refundInput(db, 'RD-100003', [{ line, amount: 5000 }])));

    const outcomes = await settle(inputs.map((input) => createRefund(db, agent, SYSTEM_CONTEXT, input)));

    // Frontpayment has no refund id: while one refund on the order is on its way, the next one waits (blockers.ts).
    const won = outcomes.filter((o) => o.ok);
    expect(won).toHaveLength(1);
    for (const o of outcomes) {
      if (o.ok) continue;
      expect(o.error).toBeInstanceOf(SafeError);
      expect((o.error as SafeError).message).toMatch(/still being processed by Frontpayment/);
    }
    expect(await heldOnLine(before.line.orderLineId)).toBe(5000);
  });

  it('the same request key sent 10 times at once makes one refund, and every call gets it', async () => {
    const input = await refundInput(db, 'RD-100002', [{ line: '0412345000407', amount: 1199 }]); // the whole card line
    const outcomes = await settle(Array.from({ length: 10 }, () => createRefund(db, agent, SYSTEM_CONTEXT, input)));
    const ids = outcomes.map((o) => (o.ok ? o.created.refundId : String((o.error as Error).message)));
    expect(new Set(ids).size).toBe(1);
    expect(outcomes.filter((o) => o.ok && !o.created.duplicate)).toHaveLength(1);
    expect(await db.select().from(refunds).where(eq(refunds.requestKey, input.requestKey))).toHaveLength(1);
  });
});
