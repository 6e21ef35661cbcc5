import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '@/db';
import { orders } from '@/db/schema';
import { loadDemoDataset } from '@/demo/schema';
import { seedDemo } from '@/demo/seed';
import { freshPglite, freshPostgres, TEST_DATABASE_URL, warnPostgresSkipped } from '@/test/db';
import { getOrderFigures } from './refundable';
import { getOrder, searchOrders } from './orders';

const full = loadDemoDataset();
// Orders that exist only at the providers are not seeded.
const dataset = { ...full, orders: full.orders.filter((o) => !o.sandboxOnly) };

// The same queries must run on both databases (PRODUCT.md §5).
warnPostgresSkipped('order search and figures on PostgreSQL');
const backends = [
  ['PGlite', freshPglite] as const,
  ...(TEST_DATABASE_URL ? [['PostgreSQL', () => freshPostgres(4)] as const] : []),
];

describe.each(backends)('on %s', (_name, open) => {
  let handle: DbHandle;

  beforeAll(async () => {
    handle = await open();
    const result = await seedDemo(handle.db, { now: new Date('2026-11-23T12:00:00Z') });
    expect(result).toMatchObject({ seeded: true, orders: dataset.orders.length });
  });
  afterAll(() => handle?.close());

  async function idOf(orderNumber: string) {
    const [row] = await handle.db.select({ id: orders.id }).from(orders).where(eq(orders.orderNumber, orderNumber));
    return row!.id;
  }

  describe('searchOrders', () => {
    it('finds by customer email, case-insensitively', async () => {
      const { rows } = await searchOrders(handle.db, { q: 'JAMES.CARTER@example.com' });
      expect(rows.map((r) => r.orderNumber)).toContain('RD-100002');
      expect(rows.every((r) => r.customerEmail === 'james.carter@example.com')).toBe(true);
    });

    it('finds by provider reference, order number and part of a name', async () => {
      expect((await searchOrders(handle.db, { q: 'ODR1700000003' })).rows.map((r) => r.orderNumber)).toEqual(['RD-100003']);
      expect((await searchOrders(handle.db, { q: 'fg7a1b2c3d' })).rows.map((r) => r.orderNumber)).toEqual(['RD-100001']);
      expect((await searchOrders(handle.db, { q: 'rd-100004' })).rows.map((r) => r.orderNumber)).toEqual(['RD-100004']);
      expect((await searchOrders(handle.db, { q: 'nordmann' })).rows.map((r) => r.orderNumber)).toContain('RD-100004');
    });

    it('treats LIKE wildcards in the search text literally', async () => {
      expect((await searchOrders(handle.db, { q: '%' })).rows).toHaveLength(0);
      expect((await searchOrders(handle.db, { q: '_' })).rows).toHaveLength(0);
    });

    it('filters by provider, status and date range', async () => {
      const forage = await searchOrders(handle.db, { provider: 'forage', limit: 100 });
      expect(forage.rows.length).toBe(dataset.orders.filter((o) => o.provider === 'forage').length);
      const invoiced = await searchOrders(handle.db, { status: 'invoiced', limit: 100 });
      expect(invoiced.rows.length).toBeGreaterThan(0);
      expect(invoiced.rows.every((r) => r.status === 'invoiced')).toBe(true);
      const from = new Date('2026-11-20T00:00:00Z');
      const recent = await searchOrders(handle.db, { from, limit: 100 });
      expect(recent.rows.every((r) => r.placedAt >= from)).toBe(true);
      expect(recent.rows.length).toBe(dataset.orders.filter((o) => o.placedDaysAgo <= 3).length);
    });

    it('pages through every order once with the keyset cursor', async () => {
      const seen: string[] = [];
      let after: { placedAt: Date; id: string } | undefined;
      for (let page = 0; page < 20; page++) {
        const result = await searchOrders(handle.db, { limit: 7, after });
        seen.push(...result.rows.map((r) => r.orderNumber));
        if (!result.next) break;
        after = result.next;
      }
      expect(seen).toHaveLength(dataset.orders.length);
      expect(new Set(seen).size).toBe(dataset.orders.length);
    });
  });

  describe('order figures for demo orders', () => {
    it('RD-100002 (Forage, one milk of two refunded)', async () => {
      const id = await idOf('RD-100002');
      const figures = await getOrderFigures(handle.db, id);
      expect(figures).toMatchObject({ paidMinor: 2845, refundedMinor: 449, reservedMinor: 0, refundableMinor: 2396 });
      const { lines } = (await getOrder(handle.db, id))!;
      const milk = lines.find((l) => l.providerLineId === '0412345000018')!;
      expect(figures.lines.find((f) => f.orderLineId === milk.id)).toMatchObject({
        paidMinor: 898,
        refundedMinor: 449,
        refundableMinor: 449,
        refundableQuantity: 1,
      });
    });

    it('RD-100003 (Frontpayment, a price adjustment and a full line)', async () => {
      const id = await idOf('RD-100003');
      const figures = await getOrderFigures(handle.db, id);
      expect(figures).toMatchObject({ paidMinor: 245660, refundedMinor: 59800, refundableMinor: 185860 });
      const { order } = (await getOrder(handle.db, id))!;
      expect(order.status).toBe('partially_refunded');
    });

    it('every seeded order agrees with the demo data set', async () => {
      for (const demo of dataset.orders) {
        const figures = await getOrderFigures(handle.db, await idOf(demo.orderNumber));
        const refunded = demo.refunds.flatMap((r) => r.lines).reduce((s, l) => s + l.amount, 0);
        const paid = figures.paidMinor;
        expect(figures.refundedMinor, demo.orderNumber).toBe(paid === 0 ? 0 : refunded);
        expect(figures.refundableMinor, demo.orderNumber).toBe(paid - figures.refundedMinor);
      }
    });
  });
});
