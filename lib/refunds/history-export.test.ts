import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DbHandle } from '@/db';
import { providerRefunds, refundReasonEnum, refundStatusEnum, users } from '@/db/schema';
import { seedDemo } from '@/demo/seed';
import { csvStream } from '@/lib/csv';
import { REFUND_EXPORT_COLUMNS, refundExportCells } from './history-csv';
import { freshPglite } from '@/test/db';
import { addHistoryRefunds, addProviderRef, loadTruth, type TruthRow } from '@/test/history-fixtures';
import {
  HISTORY_SORTS,
  listRefundHistory,
  streamRefundHistoryBatches,
  type RefundHistoryParams,
  type RefundHistoryRow,
} from '@/db/queries/refund-history';

/**
 * The CSV export (one statement through a server-side cursor) against the page (keyset pages of
 * listRefundHistory) for the same filter: the same rows, in the same order, with the same
 * contents, and the same CSV bytes — for random filters and sorts over a few hundred varied
 * refunds. The PostgreSQL path is in history-export.pg.test.ts.
 */

type Params = Partial<RefundHistoryParams>;

let handle: DbHandle;
let truth: TruthRow[];
let agents: string[];
/** The provider refund references each refund has, as written. */
const refsGiven = new Map<string, string[]>();

async function paged(params: Params, limit: number): Promise<RefundHistoryRow[]> {
  const rows: RefundHistoryRow[] = [];
  let cursor: string | undefined;
  for (let guard = 0; guard < 1000; guard++) {
    const page = await listRefundHistory(handle.db, { ...params, cursor }, { limit });
    rows.push(...page.rows);
    if (!page.nextCursor) return rows;
    cursor = page.nextCursor;
  }
  throw new Error('the pages never ended');
}

async function exported(params: Params, batchSize?: number): Promise<RefundHistoryRow[]> {
  const rows: RefundHistoryRow[] = [];
  for await (const batch of streamRefundHistoryBatches(handle.db, params, { batchSize })) rows.push(...batch);
  return rows;
}

async function* batchesOf(rows: RefundHistoryRow[], size: number) {
  for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size);
}

const csvOf = async (batches: AsyncIterator<RefundHistoryRow[]>) =>
  new Response(await csvStream({ header: REFUND_EXPORT_COLUMNS, batches, cells: refundExportCells })).text();

beforeAll(async () => {
  handle = await freshPglite();
  await seedDemo(handle.db, { now: new Date('2026-11-23T12:00:00Z') });
  await addHistoryRefunds(handle.db, 240);
  truth = await loadTruth(handle.db);
  // The demo's past refunds come with theirs.
  for (const p of await handle.db.select().from(providerRefunds)) {
    if (p.providerRefundRef) refsGiven.set(p.refundId, [...(refsGiven.get(p.refundId) ?? []), p.providerRefundRef]);
  }
  // Provider refund references: none, one, or several given out of order.
  for (const [i, row] of truth.entries()) {
    const refs = [...(i % 7 === 0 ? [`RF-${i}-b`] : []), ...(i % 3 === 0 ? [`RF-${i}`] : [])];
    for (const ref of refs) await addProviderRef(handle.db, row.id, ref);
    refsGiven.set(row.id, [...(refsGiven.get(row.id) ?? []), ...refs]);
  }
  agents = [...new Set(truth.map((r) => r.requestedBy))].sort();
  expect(agents.length).toBeGreaterThan(1);
}, 120_000);
afterAll(() => handle?.close());

describe('the refund export and the history page', () => {
  it('has a few hundred varied refunds', async () => {
    expect(truth.length).toBeGreaterThanOrEqual(250);
    const all = await exported({});
    expect(all.some((r) => r.providerRefundRefs.length > 1)).toBe(true);
    expect(all.some((r) => r.reasons.length > 1)).toBe(true);
    expect((await handle.db.select().from(users)).length).toBeGreaterThan(1);
  });

  it('agree on every row, its contents and the CSV for random filters and sorts (property)', async () => {
    const day = fc.integer({ min: 0, max: 40 }).map((n) => new Date(Date.UTC(2026, 9, 20 + n)).toISOString().slice(0, 10));
    const values = fc.record({
      sort: fc.constantFrom(...HISTORY_SORTS),
      from: day,
      to: day,
      status: fc.uniqueArray(fc.constantFrom(...refundStatusEnum.enumValues), { minLength: 1, maxLength: 4 }),
      provider: fc.constantFrom('forage' as const, 'frontpayment' as const),
      agent: fc.constantFrom(...agents),
      reason: fc.constantFrom(...refundReasonEnum.enumValues),
      min: fc.integer({ min: 0, max: 2000 }),
      max: fc.integer({ min: 100, max: 6000 }),
      order: fc.constantFrom('rd-1', 'RD-10000', 'rd-100001', 'ODR', 'fg', 'x'),
      currency: fc.constantFrom('USD', 'NOK'),
    });
    // A few of the filters at once (all of them would nearly always match nothing).
    const filter = fc
      .tuple(
        fc.subarray(['from', 'to', 'status', 'provider', 'agent', 'reason', 'min', 'max', 'order', 'currency'] as const, {
          maxLength: 3,
        }),
        values,
      )
      .map(([keys, all]): Params => ({ sort: all.sort, ...Object.fromEntries(keys.map((key) => [key, all[key]])) }));
    let nonEmpty = 0;
    await fc.assert(
      fc.asyncProperty(filter, fc.integer({ min: 1, max: 60 }), async (params, batchSize) => {
        const page = await paged(params, 50);
        if (page.length > 0) nonEmpty += 1;
        const all = await exported(params, batchSize);
        expect(all).toEqual(page);
        expect(await csvOf(streamRefundHistoryBatches(handle.db, params, { batchSize }))).toBe(await csvOf(batchesOf(page, 25)));
      }),
      { numRuns: 60 },
    );
    expect(nonEmpty).toBeGreaterThan(20);
  }, 300_000);

  it('exports every refund when nothing is filtered, each once', async () => {
    const all = await exported({});
    expect(all).toEqual(await paged({}, 1000));
    expect(new Set(all.map((r) => r.id)).size).toBe(truth.length);
  });

  // Both read each refund's copies (migration 0022); these are held to the lines and provider
  // refunds themselves, as a plain query and this file's own inserts have them.
  it('writes each refund’s reasons and provider references as its lines and provider refunds have them', async () => {
    const all = await exported({});
    for (const row of all) {
      const own = truth.find((r) => r.id === row.id)!;
      expect(row.reasons, row.id).toEqual([...new Set(own.reasons)].sort());
      expect(row.providerRefundRefs, row.id).toEqual([...(refsGiven.get(row.id) ?? [])].sort());
    }
  });
});

describe('backpressure', () => {
  const client = () => (handle.db as unknown as { $client: { query: (text: string) => Promise<unknown> } }).$client;
  const openCursors = async () =>
    (
      (await handle.db.execute("select count(*)::int as n from pg_cursors where name like 'rd_cursor_%'")) as unknown as {
        rows: { n: number }[];
      }
    ).rows[0]!.n;

  it('fetches at most one batch ahead of a client that stops reading, and closes the cursor when it leaves', async () => {
    const query = vi.spyOn(client(), 'query');
    const fetches = () => query.mock.calls.filter(([text]) => /^fetch /.test(String(text))).length;
    try {
      const body = await csvStream({
        header: REFUND_EXPORT_COLUMNS,
        batches: streamRefundHistoryBatches(handle.db, {}, { batchSize: 10 }),
        cells: refundExportCells,
      });
      const reader = body.getReader();
      await reader.read();
      await new Promise((resolve) => setTimeout(resolve, 50));
      // The batch handed out, one queued in the stream and one in flight: 3 of the 26 there are.
      expect(truth.length / 10).toBeGreaterThan(20);
      expect(fetches()).toBeLessThanOrEqual(3);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(fetches()).toBeLessThanOrEqual(3);
      expect(await openCursors()).toBe(1);
      await reader.cancel();
      expect(await openCursors()).toBe(0);
      expect(fetches()).toBeLessThanOrEqual(3);
    } finally {
      query.mockRestore();
    }
  });

  it('closes the cursor when the export is read to the end, or stopped by a loop that breaks', async () => {
    await csvOf(streamRefundHistoryBatches(handle.db, {}, { batchSize: 7 }));
    expect(await openCursors()).toBe(0);
    for await (const batch of streamRefundHistoryBatches(handle.db, {}, { batchSize: 7 })) {
      expect(batch).toHaveLength(7);
      break;
    }
    expect(await openCursors()).toBe(0);
  });
});
