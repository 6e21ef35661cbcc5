import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db, DbHandle } from '@/db';
import { getOrder } from '@/db/queries/orders';
import { SYSTEM_CONTEXT } from '@/lib/audit';
import { refreshOrder } from '@/lib/orders/import';
import { orderByNumber, refundInput, seededPglite, startProviders, userId, type Providers } from '@/test/refunds';
import { getRefundableFigures } from './figures';
import { createRefund } from './service';

/**
 * Refunds made at Forage directly (outside Refund Desk) name the payment they went back to, not the
 * products. After a refresh, the lines paid from that payment are offered no more than it still
 * holds, and the server refuses more, so nothing is sent that Forage would refuse for the payment.
 * RD-100002: milk 2 × $4.49, eggs $3.99 and bread $3.49 paid by SNAP ($16.46, one milk already
 * refunded through Refund Desk), towels $11.99 by card.
 */

let handle: DbHandle;
let db: Db;
let p: Providers;
const MILK = '0412345000018';
const EGGS = '0412345000032';
const BREAD = '0412345000049';
const TOWELS = '0412345000407';

beforeAll(async () => {
  [handle, p] = await Promise.all([seededPglite(), startProviders()]);
  db = handle.db;
  // The rest of the SNAP lines refunded at Forage by someone else (no refund_id of ours in its
  // metadata): the SNAP payment has nothing left, though each line on its own still looks refundable.
  const outside = await p.clientFor('forage').submitRefund({
    refundId: randomUUID(),
    idempotencyKey: `outside${Date.now()}`,
    providerRef: 'fg8d9e0f1a',
    kind: 'forage',
    currency: 'USD',
    totalMinor: 449 + 399 + 349,
    lines: [
      { providerLineId: MILK, quantity: 1, amountMinor: 449 },
      { providerLineId: EGGS, quantity: 1, amountMinor: 399 },
      { providerLineId: BREAD, quantity: 1, amountMinor: 349 },
    ],
    reason: 'Refunded at the Forage dashboard',
    metadata: {},
    mode: 'units',
    payment: null,
  });
  expect(outside.kind).toBe('accepted');
  await refreshOrder(db, p.clientFor, SYSTEM_CONTEXT, (await orderByNumber(db, 'RD-100002')).id);
});
afterAll(async () => {
  await p?.close();
  await handle?.close();
});

describe('refunds made at the provider outside Refund Desk', () => {
  it('are recorded on the payment they went back to', async () => {
    const { payments } = (await getOrder(db, (await orderByNumber(db, 'RD-100002')).id))!;
    expect(payments.map((x) => [x.tender, x.externallyRefundedMinor])).toEqual(
      expect.arrayContaining([
        ['ebt_snap', 449 + 399 + 349],
        ['credit_tpp', 0],
      ]),
    );
  });

  it('cap the lines paid from that payment; other payments’ lines are untouched', async () => {
    const order = await orderByNumber(db, 'RD-100002');
    const figures = await getRefundableFigures(db, order.id);
    const { lines } = (await getOrder(db, order.id))!;
    const of = (upc: string) => figures.lines.find((f) => f.orderLineId === lines.find((l) => l.providerLineId === upc)!.id)!;
    for (const upc of [MILK, EGGS, BREAD]) expect(of(upc)).toMatchObject({ refundableMinor: 0, refundableQuantity: 0 });
    expect(of(TOWELS)).toMatchObject({ refundableMinor: 1199, refundableQuantity: 1 });
  });

  it('the server refuses a refund the payment can no longer give, and accepts one from another payment', async () => {
    const agent = { id: await userId(db) };
    await expect(
      createRefund(db, agent, SYSTEM_CONTEXT, await refundInput(db, 'RD-100002', [{ line: EGGS, amount: 399 }])),
    ).rejects.toMatchObject({ code: 'over_refund' });
    const towels = await createRefund(
      db,
      agent,
      SYSTEM_CONTEXT,
      await refundInput(db, 'RD-100002', [{ line: TOWELS, amount: 1199 }]),
    );
    expect(towels.status).toBe('approved');
  });
});
