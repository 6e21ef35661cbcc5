import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '@/db';
import { updateOrder } from '@/db/queries/orders';
import { orderByNumber, seededPglite } from '@/test/refunds';
import { refundBlocker } from './blockers';

/** Why no refund can be made on an order right now: the form shows this instead of itself. */
let handle: DbHandle;
beforeAll(async () => {
  handle = await seededPglite();
});
afterAll(() => handle.close());

describe('refundBlocker', () => {
  it('says plainly that no refund can be sent when the provider listed no line ids, and what to do', async () => {
    const order = await orderByNumber(handle.db, 'RD-100031');
    expect(await refundBlocker(handle.db, order)).toBeNull();
    await updateOrder(handle.db, order.id, { lineIdsKnown: false });
    const blocker = await refundBlocker(handle.db, await orderByNumber(handle.db, 'RD-100031'));
    expect(blocker).toMatch(/Frontpayment did not list the ids of this order's lines/);
    expect(blocker).toMatch(/Refund it in Frontpayment's own portal, or ask Frontpayment support for the line ids/);
  });

  it('does not block an order whose line ids are known', async () => {
    expect(await refundBlocker(handle.db, await orderByNumber(handle.db, 'RD-100036'))).toBeNull();
  });
});
