import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows, type Db, type DbHandle } from '@/db';
import { providerRefunds, refundLines, refunds } from '@/db/schema';
import { seedDemo } from '@/demo/seed';
import { freshPglite } from '@/test/db';
import { addHistoryRefunds, addProviderRef } from '@/test/history-fixtures';
import { recountedRollups } from '@/test/rollups';

// Each refund's `reasons` and `provider_refund_refs` (migration 0022): copies of its lines' reasons
// and its provider refunds' references that the history and its export read off the row. Kept by
// triggers on refund_lines and provider_refunds, so they hold whoever writes those tables.

async function copiesOf(db: Db, refundId: string) {
  const [row] = await db
    .select({ reasons: refunds.reasons, refs: refunds.providerRefundRefs })
    .from(refunds)
    .where(eq(refunds.id, refundId));
  return row!;
}

async function staleCopies(db: Db) {
  const { staleReasonCopies, staleRefCopies } = await recountedRollups(db);
  return { staleReasonCopies, staleRefCopies };
}

describe('refund reason and provider reference copies', () => {
  let handle: DbHandle;
  let db: Db;
  /** A refund with two lines, and no provider refunds yet. */
  let refundId: string;

  beforeAll(async () => {
    handle = await freshPglite();
    db = handle.db;
    await seedDemo(db);
    await addHistoryRefunds(db, 40);
    const [two] = await queryRows<{ refund_id: string }>(
      db,
      sql`select refund_id from refund_lines l
           where not exists (select from provider_refunds p where p.refund_id = l.refund_id)
           group by refund_id having count(*) = 2 order by refund_id limit 1`,
    );
    refundId = two!.refund_id;
  });
  afterAll(() => handle?.close());

  it('equal a recount after the demo seed and the history refunds, and are not empty', async () => {
    expect(await staleCopies(db)).toEqual({ staleReasonCopies: 0, staleRefCopies: 0 });
    const [counts] = await queryRows<{ with_reasons: number; two_reasons: number; with_refs: number }>(
      db,
      sql`select count(*) filter (where cardinality(reasons) > 0)::int as with_reasons,
                 count(*) filter (where cardinality(reasons) > 1)::int as two_reasons,
                 count(*) filter (where cardinality(provider_refund_refs) > 0)::int as with_refs
            from refunds`,
    );
    expect(counts!.with_reasons).toBeGreaterThan(40);
    expect(counts!.two_reasons).toBeGreaterThan(3);
    expect(counts!.with_refs).toBeGreaterThan(0);
  });

  it('follow the lines: distinct reasons sorted as text, through inserts, updates and deletes', async () => {
    const lines = await db.select({ id: refundLines.id }).from(refundLines).where(eq(refundLines.refundId, refundId));
    expect(lines).toHaveLength(2);
    await db.update(refundLines).set({ reason: 'wrong_item' }).where(eq(refundLines.id, lines[0]!.id));
    await db.update(refundLines).set({ reason: 'damaged' }).where(eq(refundLines.id, lines[1]!.id));
    expect((await copiesOf(db, refundId)).reasons).toEqual(['damaged', 'wrong_item']);

    await db.update(refundLines).set({ reason: 'wrong_item' }).where(eq(refundLines.refundId, refundId));
    expect((await copiesOf(db, refundId)).reasons).toEqual(['wrong_item']);

    // An update that changes no reason leaves the refund's row as it was (no new row version).
    const before = await queryRows<{ xmin: string }>(db, sql`select xmin::text from refunds where id = ${refundId}`);
    await db.update(refundLines).set({ reasonNote: 'noted' }).where(eq(refundLines.refundId, refundId));
    expect(await queryRows(db, sql`select xmin::text from refunds where id = ${refundId}`)).toEqual(before);

    await db.delete(refundLines).where(eq(refundLines.id, lines[1]!.id));
    expect((await copiesOf(db, refundId)).reasons).toEqual(['wrong_item']);
    await db.delete(refundLines).where(eq(refundLines.id, lines[0]!.id));
    expect((await copiesOf(db, refundId)).reasons).toEqual([]);
    expect(await staleCopies(db)).toEqual({ staleReasonCopies: 0, staleRefCopies: 0 });
  });

  it('follow the provider refunds: distinct references sorted, no nulls, and a status change does not touch the refund', async () => {
    await addProviderRef(db, refundId, 'rf_b');
    await addProviderRef(db, refundId, 'rf_a');
    await db.insert(providerRefunds).values({
      refundId,
      provider: 'frontpayment',
      providerRefundRef: null,
      tender: 'regular',
      amountMinor: 1,
      status: 'processing',
    });
    expect((await copiesOf(db, refundId)).refs).toEqual(['rf_a', 'rf_b']);

    const before = await queryRows<{ xmin: string }>(db, sql`select xmin::text from refunds where id = ${refundId}`);
    await db
      .update(providerRefunds)
      .set({ status: 'failed', lastError: 'declined' })
      .where(eq(providerRefunds.refundId, refundId));
    expect(await queryRows(db, sql`select xmin::text from refunds where id = ${refundId}`)).toEqual(before);

    await db.update(providerRefunds).set({ providerRefundRef: 'rf_0' }).where(eq(providerRefunds.providerRefundRef, 'rf_b'));
    expect((await copiesOf(db, refundId)).refs).toEqual(['rf_0', 'rf_a']);
    await db.delete(providerRefunds).where(eq(providerRefunds.providerRefundRef, 'rf_a'));
    expect((await copiesOf(db, refundId)).refs).toEqual(['rf_0']);
    expect(await staleCopies(db)).toEqual({ staleReasonCopies: 0, staleRefCopies: 0 });
  });

  it('are right after one statement writes many refunds’ rows at once', async () => {
    await db.execute(sql`
      insert into provider_refunds (refund_id, provider, provider_refund_ref, tender, amount_minor, status)
      select r.id, o.provider, 'bulk_' || r.id::text, 'credit_tpp', r.amount_minor, 'processing'
        from refunds r join orders o on o.id = r.order_id
       where not exists (select from provider_refunds p where p.refund_id = r.id)`);
    await db.execute(sql`update refund_lines set reason = 'quality' where reason = 'damaged'`);
    const [bulk] = await queryRows<{ n: number }>(
      db,
      sql`select count(*)::int as n from refunds where provider_refund_refs[1] like 'bulk_%'`,
    );
    expect(bulk!.n).toBeGreaterThan(20);
    expect(await staleCopies(db)).toEqual({ staleReasonCopies: 0, staleRefCopies: 0 });
  });

  it('are emptied when their source table is truncated', async () => {
    await db.execute(sql`truncate provider_refunds`);
    expect(await staleCopies(db)).toEqual({ staleReasonCopies: 0, staleRefCopies: 0 });
    const [left] = await queryRows<{ n: number }>(
      db,
      sql`select count(*)::int as n from refunds where cardinality(provider_refund_refs) > 0`,
    );
    expect(left!.n).toBe(0);
  });
});
