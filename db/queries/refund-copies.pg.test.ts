import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '@/db';
import { seedDemo } from '@/demo/seed';
import { freshPostgres, TEST_DATABASE_URL, warnPostgresSkipped } from '@/test/db';
import { recountedRollups } from '@/test/rollups';

/**
 * The copies of migration 0022 under concurrent writers of one refund's provider refunds, each on
 * its own connection and holding its transaction open a moment: every reference ends up on the
 * refund. Without the trigger's lock-then-recount, each writer's update computed from a snapshot
 * without the others’ rows and the last to commit won: references were lost.
 */

warnPostgresSkipped('db/queries/refund-copies.pg.test.ts — reason and reference copies under concurrent writers');

const WRITERS = 12;

describe.skipIf(!TEST_DATABASE_URL)('refund copies with concurrent writers on PostgreSQL', () => {
  let handle: Awaited<ReturnType<typeof freshPostgres>>;

  beforeAll(async () => {
    handle = await freshPostgres(WRITERS + 2);
    await seedDemo(handle.db);
  });
  afterAll(() => handle?.close());

  it('keeps every reference when twelve transactions add provider refunds to one refund at once', async () => {
    const [refund] = await queryRows<{ id: string; provider: string }>(
      handle.db,
      sql`select r.id, o.provider from refunds r join orders o on o.id = r.order_id order by r.created_at, r.id limit 1`,
    );
    const refs = Array.from({ length: WRITERS }, (_, i) => `rf_race_${String(i).padStart(2, '0')}`);
    await Promise.all(
      refs.map((ref) =>
        handle.db.transaction(async (tx) => {
          await tx.execute(sql`
            insert into provider_refunds (refund_id, provider, provider_refund_ref, tender, amount_minor, status)
            values (${refund!.id}, ${refund!.provider}, ${ref}, 'credit_tpp', 1, 'processing')`);
          // Hold the transaction open so the others' triggers run before it commits.
          await tx.execute(sql`select pg_sleep(0.05)`);
        }),
      ),
    );
    const [row] = await queryRows<{ refs: string[] }>(
      handle.db,
      sql`select provider_refund_refs as refs from refunds where id = ${refund!.id}`,
    );
    expect(row!.refs.filter((r) => r.startsWith('rf_race_'))).toEqual(refs);
    const { staleReasonCopies, staleRefCopies } = await recountedRollups(handle.db);
    expect({ staleReasonCopies, staleRefCopies }).toEqual({ staleReasonCopies: 0, staleRefCopies: 0 });
  });
});
