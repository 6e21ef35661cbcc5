import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '@/db';
import { getOrder } from '@/db/queries/orders';
import { SYSTEM_CONTEXT } from '@/lib/audit';
import type { ProviderOrder } from '@/lib/providers/types';
import { freshPglite } from '@/test/db';
import { syncProviderOrder } from './sync';

/** An order whose provider listed no line ids at first (frontpayment.md errata 1), then did. */
const remote = (ids: [string, string] | null): ProviderOrder => ({
  provider: 'frontpayment',
  providerRef: 'ODRSYNCNOIDS',
  kind: 'regular',
  providerStatus: 'PAID',
  currency: 'NOK',
  lines: [
    {
      providerLineId: ids?.[0] ?? 'line-1',
      productId: 'A',
      name: 'Kopp',
      unitPriceMinor: 14900,
      quantity: 2,
      taxRateBp: 2500,
      eligibility: null,
    },
    {
      providerLineId: ids?.[1] ?? 'line-2',
      productId: 'B',
      name: 'Kanne',
      unitPriceMinor: 39900,
      quantity: 1,
      taxRateBp: 2500,
      eligibility: null,
    },
  ],
  lineIdsKnown: ids !== null,
  payments: [{ ref: 'PAYSYNC', tender: 'regular', amountMinor: 69700 }],
  refundedMinor: 0,
  customer: { name: 'Liv Larsen', email: 'liv@example.no', phone: null, providerCustomerId: null },
  placedAt: new Date('2026-11-20T12:00:00Z'),
  raw: {},
});

let handle: DbHandle;
beforeAll(async () => {
  handle = await freshPglite();
});
afterAll(() => handle.close());

describe('syncing an order whose line ids were not listed', () => {
  it('imports it with numbered lines and remembers that the ids are not known', async () => {
    const { orderId } = await syncProviderOrder(handle.db, SYSTEM_CONTEXT, remote(null));
    const found = (await getOrder(handle.db, orderId))!;
    expect(found.order.lineIdsKnown).toBe(false);
    expect(found.lines.map((l) => l.providerLineId)).toEqual(['line-1', 'line-2']);
  });

  it('gives the same lines the provider’s ids once it lists them, rather than adding new lines', async () => {
    const { orderId, changes } = await syncProviderOrder(handle.db, SYSTEM_CONTEXT, remote(['9901', '9902']));
    const found = (await getOrder(handle.db, orderId))!;
    expect(found.order.lineIdsKnown).toBe(true);
    expect(found.lines.map((l) => [l.providerLineId, l.name, l.paidMinor])).toEqual([
      ['9901', 'Kopp', 29800],
      ['9902', 'Kanne', 39900],
    ]);
    expect(changes).toContain('line line-1 is 9901 at the provider');
  });
});
