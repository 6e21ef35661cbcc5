import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '@/db';
import { insertRefundLimits } from '@/db/queries/settings';
import { seedDemo } from '@/demo/seed';
import { SYSTEM_CONTEXT } from '@/lib/audit';
import { freshPostgres, TEST_DATABASE_URL, warnPostgresSkipped } from '@/test/db';
import { refundInput, userId } from '@/test/refunds';
import { createRefund } from './service';

/**
 * An agent's daily limit holds under parallel requests (issue: 12 refunds of 200 NOK sent at the
 * same moment on different orders were all approved against a 500 NOK limit). The limit check is
 * serialized per agent and currency; only the order row was locked before. PostgreSQL only: PGlite
 * has one connection, so nothing there runs at the same time.
 */

warnPostgresSkipped('lib/refunds/limits.pg.test.ts — one agent’s parallel refunds against a daily limit');

/** Frontpayment orders with a line of at least 200 kr left, each touched once. */
const ORDERS: [string, string][] = [
  ['RD-100003', '5401'],
  ['RD-100012', '5410'],
  ['RD-100018', '5423'],
  ['RD-100022', '5425'],
  ['RD-100025', '5429'],
  ['RD-100028', '5436'],
  ['RD-100031', '5444'],
  ['RD-100036', '5453'],
  ['RD-100042', '5476'],
];

describe.skipIf(!TEST_DATABASE_URL)('the daily limit under parallel requests (PostgreSQL)', () => {
  let handle: Awaited<ReturnType<typeof freshPostgres>>;
  let db: Db;
  let agent: { id: string };

  beforeAll(async () => {
    handle = await freshPostgres(20);
    db = handle.db;
    await seedDemo(db);
    agent = { id: await userId(db) };
    // 500 kr a day for this agent; the threshold and per-refund limit stay far above 200 kr.
    await insertRefundLimits(db, [{ userId: agent.id, currency: 'NOK', perDayMinor: 500_00 }]);
  });
  afterAll(() => handle?.close());

  it(`${ORDERS.length} refunds of 200 kr at once: exactly two are approved, the rest wait for a manager`, async () => {
    const inputs = await Promise.all(
      ORDERS.map(([order, line]) => refundInput(db, order, [{ line, amount: 200_00, quantity: 0 }])),
    );
    const created = await Promise.all(inputs.map((input) => createRefund(db, agent, SYSTEM_CONTEXT, input)));
    const statuses = created.map((c) => c.status);
    expect(statuses.filter((s) => s === 'approved')).toHaveLength(2);
    expect(statuses.filter((s) => s === 'pending_approval')).toHaveLength(ORDERS.length - 2);
  });
});
