import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { DbHandle, DbOrTx } from '@/db';
import { seedDemo } from '@/demo/seed';
import { freshPglite, freshPostgres, TEST_DATABASE_URL, warnPostgresSkipped } from '@/test/db';
import { addHistoryRefunds, addProviderRef, loadTruth, type TruthRow } from '@/test/history-fixtures';
import {
  encodeHistoryCursor,
  HISTORY_SORTS,
  listRefundHistory,
  streamRefundHistory,
  type HistorySort,
  type RefundHistoryParams,
} from './refund-history';

// The page and the export must agree on both databases (PRODUCT.md §2.6, §5).
warnPostgresSkipped('refund history filters, keyset pagination and streaming on PostgreSQL');
const backends = [
  ['PGlite', freshPglite] as const,
  ...(TEST_DATABASE_URL ? [['PostgreSQL', () => freshPostgres(4)] as const] : []),
];

type Params = Partial<RefundHistoryParams>;

/** The filter computed in JS over every refund: what the query must return. */
function matches(row: TruthRow, p: Params) {
  const micros = (day: string, plusDays = 0) => BigInt(Date.parse(`${day}T00:00:00Z`) + plusDays * 86_400_000) * 1000n;
  const order = p.order?.toLowerCase();
  return (
    (!p.from || row.micros >= micros(p.from)) &&
    (!p.to || row.micros < micros(p.to, 1)) &&
    (!p.status || p.status.includes(row.status)) &&
    (!p.provider || row.provider === p.provider) &&
    (!p.agent || row.requestedBy === p.agent) &&
    (!p.reason || row.reasons.includes(p.reason)) &&
    (p.min === undefined || row.amountMinor >= p.min) &&
    (p.max === undefined || row.amountMinor <= p.max) &&
    (!p.currency || row.currency === p.currency) &&
    (!order || row.orderNumber.toLowerCase().startsWith(order) || row.providerRef.toLowerCase().startsWith(order))
  );
}

function compare(sort: HistorySort) {
  const desc = sort.endsWith('desc') ? -1 : 1;
  return (a: TruthRow, b: TruthRow) => {
    const key = sort.startsWith('amount') ? a.amountMinor - b.amountMinor : Number(a.micros - b.micros);
    return desc * (key !== 0 ? Math.sign(key) : a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  };
}

describe.each(backends)('refund history on %s', (_name, open) => {
  let handle: DbHandle;
  let truth: TruthRow[];
  const expected = (p: Params) => truth.filter((r) => matches(r, p)).sort(compare(p.sort ?? 'created_desc'));

  async function walk(p: Params, limit: number, db: DbOrTx = handle.db) {
    const pages: string[][] = [];
    let cursor: string | undefined;
    for (let guard = 0; guard < 500; guard++) {
      const page = await listRefundHistory(db, { ...p, cursor }, { limit });
      pages.push(page.rows.map((r) => r.id));
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    return pages;
  }

  beforeAll(async () => {
    handle = await open();
    await seedDemo(handle.db, { now: new Date('2026-11-23T12:00:00Z') });
    await addHistoryRefunds(handle.db, 120);
    truth = await loadTruth(handle.db);
  });
  afterAll(() => handle?.close());

  it('has the data the cases below rely on', () => {
    expect(truth).toHaveLength(26 + 120);
    expect(new Set(truth.map((r) => r.currency))).toEqual(new Set(['USD', 'NOK']));
    // Ties that a cursor must survive: 30 refunds at one instant, 20 within one millisecond.
    const perInstant = new Map<bigint, number>();
    for (const r of truth) perInstant.set(r.micros, (perInstant.get(r.micros) ?? 0) + 1);
    expect(Math.max(...perInstant.values())).toBeGreaterThanOrEqual(30);
    const sameMs = truth.filter((r) => r.micros / 1000n === BigInt(Date.parse('2026-11-12T08:00:00Z')));
    expect(new Set(sameMs.map((r) => r.micros)).size).toBe(20);
  });

  const agentOf = (i: number) => [...new Set(truth.map((r) => r.requestedBy))].sort()[i]!;
  const cases: [string, () => Params][] = [
    ['date range (inclusive days)', () => ({ from: '2026-11-10', to: '2026-11-12' })],
    ['one status', () => ({ status: ['failed'] })],
    ['several statuses', () => ({ status: ['succeeded', 'pending_approval', 'outcome_unknown'] })],
    ['provider', () => ({ provider: 'frontpayment' })],
    ['agent', () => ({ agent: agentOf(1) })],
    ['reason on any line', () => ({ reason: 'wrong_item' })],
    ['minimum amount', () => ({ min: 1250 })],
    ['maximum amount', () => ({ max: 275 })],
    ['amount range', () => ({ min: 150, max: 990 })],
    ['order number prefix, any case', () => ({ order: 'rd-10001' })],
    ['exact provider reference', () => ({ order: truth.find((r) => r.provider === 'frontpayment')!.providerRef })],
    ['currency', () => ({ currency: 'NOK' })],
    [
      'everything at once',
      () => ({ provider: 'forage', status: ['succeeded', 'failed', 'approved'], min: 100, to: '2026-11-20' }),
    ],
  ];

  it.each(cases)('filter: %s narrows to exactly the matching refunds', async (_label, make) => {
    const p = make();
    const want = expected(p).map((r) => r.id);
    expect(want.length).toBeGreaterThan(0);
    expect(want.length).toBeLessThan(truth.length);
    expect((await walk(p, 50)).flat()).toEqual(want);
  });

  it('matches a refund whose other line has the reason', async () => {
    const mixed = truth.find((r) => new Set(r.reasons).size > 1)!;
    const reason = mixed.reasons[1]!;
    expect(mixed.reasons[0]).not.toBe(reason);
    expect((await walk({ reason }, 100)).flat()).toContain(mixed.id);
  });

  it('treats LIKE wildcards in the order filter literally', async () => {
    expect((await walk({ order: '%' }, 50)).flat()).toEqual([]);
    expect((await walk({ order: 'RD_1' }, 50)).flat()).toEqual([]);
  });

  it.each(HISTORY_SORTS)('sort %s: pages of 7 visit every refund once, in order', async (sort) => {
    const pages = await walk({ sort }, 7);
    const ids = pages.flat();
    expect(ids).toEqual(expected({ sort }).map((r) => r.id));
    expect(new Set(ids).size).toBe(truth.length);
    expect(pages).toHaveLength(Math.ceil(truth.length / 7));
    expect(pages.slice(0, -1).every((p) => p.length === 7)).toBe(true);
  });

  it.each(HISTORY_SORTS)('sort %s: the same order without indexes, so ties go by id and not by chance', async (sort) => {
    await handle.db.transaction(async (tx) => {
      // A sequential scan and sort returns equal keys in whatever order; only the id tie-break fixes it.
      for (const setting of ['enable_indexscan', 'enable_indexonlyscan', 'enable_bitmapscan']) {
        await tx.execute(sql.raw(`set local ${setting} = off`));
      }
      expect((await walk({ sort }, 7, tx)).flat()).toEqual(expected({ sort }).map((r) => r.id));
    });
  });

  it.each(HISTORY_SORTS)('sort %s with a filter: pages of 7 agree with the filter', async (sort) => {
    const p: Params = { sort, currency: 'USD', status: ['succeeded', 'failed', 'canceled', 'approved'] };
    expect((await walk(p, 7)).flat()).toEqual(expected(p).map((r) => r.id));
  });

  it.each(HISTORY_SORTS)('sort %s: streaming yields the same ids in the same order as the pages', async (sort) => {
    for (const p of [{ sort }, { sort, provider: 'forage' as const, max: 5000 }]) {
      const paged = (await walk(p, 7)).flat();
      const streamed: string[] = [];
      for await (const row of streamRefundHistory(handle.db, p)) streamed.push(row.id);
      const small: string[] = [];
      for await (const row of streamRefundHistory(handle.db, p, { batchSize: 7 })) small.push(row.id);
      expect(streamed).toEqual(paged);
      expect(small).toEqual(paged);
    }
  });

  it('streams from the start, whatever cursor the params carry', async () => {
    const first = await listRefundHistory(handle.db, {}, { limit: 7 });
    const streamed: string[] = [];
    for await (const row of streamRefundHistory(handle.db, { cursor: first.nextCursor! })) streamed.push(row.id);
    expect(streamed).toHaveLength(truth.length);
  });

  it('starts over on a cursor that is garbage, tampered with or from another sort', async () => {
    const first = (await listRefundHistory(handle.db, { sort: 'amount_asc' }, { limit: 7 })).rows.map((r) => r.id);
    const id = truth[0]!.id;
    const bad = [
      'not-a-cursor',
      Buffer.from('{"s":"amount_asc"').toString('base64url'),
      encodeHistoryCursor({ s: 'created_desc', k: 'created', v: '2026-11-12T08:00:00.000000Z', id }),
      Buffer.from(JSON.stringify({ s: 'amount_asc', k: 'amount', v: "1'; drop table refunds; --", id })).toString('base64url'),
      Buffer.from(JSON.stringify({ s: 'amount_asc', k: 'created', v: '2026-13-45T99:00:00.000000Z', id })).toString('base64url'),
    ];
    for (const cursor of bad) {
      const page = await listRefundHistory(handle.db, { sort: 'amount_asc', cursor }, { limit: 7 });
      expect(page.rows.map((r) => r.id)).toEqual(first);
    }
  });

  it('returns what the table and export show: order, names, sorted reasons, provider refund refs', async () => {
    const mixed = truth.find((r) => new Set(r.reasons).size > 1)!;
    await addProviderRef(handle.db, mixed.id, 'REF-B');
    await addProviderRef(handle.db, mixed.id, 'REF-A');
    const { rows } = await listRefundHistory(handle.db, { order: mixed.orderNumber }, { limit: 100 });
    const row = rows.find((r) => r.id === mixed.id);
    expect(row).toMatchObject({
      orderNumber: mixed.orderNumber,
      providerRef: mixed.providerRef,
      amountMinor: mixed.amountMinor,
      currency: mixed.currency,
      reasons: [...new Set(mixed.reasons)].sort(),
      providerRefundRefs: ['REF-A', 'REF-B'],
    });
    expect(row!.customerName.length).toBeGreaterThan(0);
    expect(row!.requestedByName.length).toBeGreaterThan(0);
    expect(row!.createdAt).toBeInstanceOf(Date);
  });
});
