import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '@/demo/seed';
import { SYSTEM_CONTEXT } from '@/lib/audit';
import { freshPostgres, TEST_DATABASE_URL, warnPostgresSkipped } from '@/test/db';
import { refundInput, refundRow, userId } from '@/test/refunds';
import { transition } from './lifecycle';
import { createRefund } from './service';

/**
 * The lifecycle is enforced by PostgreSQL itself (migration 0010, generated from the table of
 * moves): a client that bypasses the app — psql, a script, a bug — cannot move a refund off the
 * table. The statements below are plain SQL on a separate superuser connection.
 */

warnPostgresSkipped('lib/refunds/lifecycle.pg.test.ts — the database refuses illegal refund status moves');

describe.skipIf(!TEST_DATABASE_URL)('the refund lifecycle trigger on PostgreSQL', () => {
  let handle: Awaited<ReturnType<typeof freshPostgres>>;
  let refundId: string;

  beforeAll(async () => {
    handle = await freshPostgres(5);
    await seedDemo(handle.db);
    const created = await createRefund(
      handle.db,
      { id: await userId(handle.db) },
      SYSTEM_CONTEXT,
      await refundInput(handle.db, 'RD-100005', [{ line: '0412345000124', amount: 599 }]),
    );
    refundId = created.refundId;
    // approved → submitting → failed, the way a provider's refusal moves it.
    await handle.db.transaction(async (tx) => {
      await transition(tx, SYSTEM_CONTEXT, { refundId, from: 'approved', to: 'submitting', by: 'sender' });
      await transition(tx, SYSTEM_CONTEXT, {
        refundId,
        from: 'submitting',
        to: 'failed',
        by: 'provider',
        statusReason: 'Refused.',
      });
    });
  });
  afterAll(() => handle?.close());

  it('refuses failed → processing made with plain SQL', async () => {
    await expect(handle.superuser`update refunds set status = 'processing' where id = ${refundId}`).rejects.toThrow(
      /may not move from failed to processing/,
    );
    expect((await refundRow(handle.db, refundId)).status).toBe('failed');
  });

  it('refuses every other way out of a final status, and lets other columns change', async () => {
    for (const to of ['approved', 'submitting', 'succeeded', 'outcome_unknown', 'canceled']) {
      await expect(handle.superuser`update refunds set status = ${to}::refund_status where id = ${refundId}`).rejects.toThrow(
        /may not move/,
      );
    }
    await handle.superuser`update refunds set note = 'checked' where id = ${refundId}`;
    expect(await refundRow(handle.db, refundId)).toMatchObject({ status: 'failed', note: 'checked' });
  });

  it('allows a listed move made with plain SQL (the trigger checks the move, not the writer)', async () => {
    const other = await createRefund(
      handle.db,
      { id: await userId(handle.db) },
      SYSTEM_CONTEXT,
      await refundInput(handle.db, 'RD-100017', [{ line: '0412345000384', amount: 699 }]),
    );
    await handle.superuser`update refunds set status = 'canceled' where id = ${other.refundId}`;
    expect((await refundRow(handle.db, other.refundId)).status).toBe('canceled');
  });
});
