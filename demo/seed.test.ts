import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '@/db';
import { searchOrders } from '@/db/queries/orders';
import { loadDemoDataset } from '@/demo/schema';
import { verifyAuditChain } from '@/lib/audit';
import { freshPglite, freshPostgres, TEST_DATABASE_URL, warnPostgresSkipped } from '@/test/db';
import { seedDemo } from './seed';

const full = loadDemoDataset();
// Orders that exist only at the providers are not seeded.
const dataset = { ...full, orders: full.orders.filter((o) => !o.sandboxOnly) };

// The seed must load alike on both databases (PRODUCT.md §5).
warnPostgresSkipped('the demo seed on PostgreSQL');
const backends = [
  ['PGlite', freshPglite] as const,
  ...(TEST_DATABASE_URL ? [['PostgreSQL', () => freshPostgres(4)] as const] : []),
];

describe.each(backends)('demo seed on %s', (_name, open) => {
  let handle: DbHandle;

  beforeAll(async () => {
    handle = await open();
    const result = await seedDemo(handle.db, { now: new Date('2026-11-23T12:00:00Z') });
    expect(result).toMatchObject({ seeded: true, orders: dataset.orders.length });
  });
  afterAll(() => handle?.close());

  it('loads at least 40 orders across both providers and is idempotent', async () => {
    expect(dataset.orders.length).toBeGreaterThanOrEqual(40);
    expect(
      full.orders
        .filter((o) => o.sandboxOnly)
        .map((o) => o.provider)
        .sort(),
    ).toEqual(['forage', 'frontpayment']);
    expect(new Set(dataset.orders.map((o) => o.provider))).toEqual(new Set(['forage', 'frontpayment']));
    expect(await seedDemo(handle.db)).toMatchObject({ seeded: false });
    const all = await searchOrders(handle.db, { limit: 100 });
    expect(all.rows).toHaveLength(dataset.orders.length);
  });

  it('records the seed in a valid audit chain', async () => {
    expect(await verifyAuditChain(handle.db)).toMatchObject({ ok: true, verified: 1 });
  });
});
