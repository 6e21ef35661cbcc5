import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '@/db';
import { seedDemo } from '@/demo/seed';
import { csvStream } from '@/lib/csv';
import { REFUND_EXPORT_COLUMNS, refundExportCells } from './history-csv';
import { freshPostgres, TEST_DATABASE_URL, warnPostgresSkipped } from '@/test/db';
import { addHistoryRefunds, addProviderRef, loadTruth } from '@/test/history-fixtures';
import {
  listRefundHistory,
  streamRefundHistoryBatches,
  type RefundHistoryParams,
  type RefundHistoryRow,
} from '@/db/queries/refund-history';

/**
 * On PostgreSQL the export reads through postgres.js's protocol cursor rather than PGlite's
 * `DECLARE … WITH HOLD` (db/cursor.ts): the same rows as the page there too, and the one pooled
 * connection it holds is given back when the export ends or the client goes away — with a pool of
 * one, a query after it would otherwise wait for ever.
 */
warnPostgresSkipped('the refund export through a PostgreSQL cursor');

describe.skipIf(!TEST_DATABASE_URL)('the refund export on PostgreSQL', () => {
  let handle: Awaited<ReturnType<typeof freshPostgres>>;

  beforeAll(async () => {
    handle = await freshPostgres(1);
    await seedDemo(handle.db, { now: new Date('2026-11-23T12:00:00Z') });
    await addHistoryRefunds(handle.db, 120);
    const truth = await loadTruth(handle.db);
    for (const [i, row] of truth.entries()) {
      if (i % 5 === 0) await addProviderRef(handle.db, row.id, `PG-${i}-b`);
      if (i % 2 === 0) await addProviderRef(handle.db, row.id, `PG-${i}`);
    }
  }, 120_000);
  afterAll(() => handle?.close());

  async function paged(params: Partial<RefundHistoryParams>) {
    const rows: RefundHistoryRow[] = [];
    let cursor: string | undefined;
    do {
      const page = await listRefundHistory(handle.db, { ...params, cursor }, { limit: 13 });
      rows.push(...page.rows);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return rows;
  }

  it.each<Partial<RefundHistoryParams>>([
    {},
    { sort: 'amount_asc', provider: 'forage' },
    { sort: 'created_asc', status: ['succeeded', 'failed'], min: 100 },
    { reason: 'wrong_item', to: '2026-11-12' },
    { order: 'rd-1', sort: 'amount_desc' },
  ])('streams the rows the page lists: %j', async (params) => {
    const rows: RefundHistoryRow[] = [];
    for await (const batch of streamRefundHistoryBatches(handle.db, params, { batchSize: 9 })) rows.push(...batch);
    const page = await paged(params);
    expect(page.length).toBeGreaterThan(0);
    expect(rows).toEqual(page);
  });

  it('gives the connection back when the client stops reading half-way, and when the export ends', async () => {
    const body = await csvStream({
      header: REFUND_EXPORT_COLUMNS,
      batches: streamRefundHistoryBatches(handle.db, {}, { batchSize: 5 }),
      cells: refundExportCells,
    });
    const reader = body.getReader();
    await reader.read();
    await reader.cancel();
    const [{ n }] = (await queryRows<{ n: string }>(handle.db, sql`select count(*)::text as n from refunds`)) as [{ n: string }];
    expect(Number(n)).toBeGreaterThan(100);

    const text = await new Response(
      await csvStream({
        header: REFUND_EXPORT_COLUMNS,
        batches: streamRefundHistoryBatches(handle.db, {}),
        cells: refundExportCells,
      }),
    ).text();
    expect(text.trimEnd().split('\n')).toHaveLength(Number(n) + 1);
    expect(await queryRows(handle.db, sql`select 1 as one`)).toEqual([{ one: 1 }]);
  });
});
