import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '@/db';
import { refunds, type RefundStatus } from '@/db/schema';
import { freshPglite } from '@/test/db';
import { DAY, insertAgent, insertPaidOrder, NOW } from '@/test/overview-fixtures';
import { getOverview } from './overview';

describe('requests near their order’s refund deadline', () => {
  let handle: DbHandle;
  afterAll(() => handle?.close());

  it('lists waiting requests whose deadline is passed or within 7 days, soonest first, and nothing else', async () => {
    handle = await freshPglite();
    const { db } = handle;
    const user = await insertAgent(db, 'agent@deadline.test');
    const deadlines = {
      passed: new Date(NOW.getTime() - DAY),
      soon: new Date(NOW.getTime() + 2 * DAY),
      edge: new Date(NOW.getTime() + 7 * DAY),
      later: new Date(NOW.getTime() + 7 * DAY + 1),
      none: null,
    } as const;
    const plan: { order: keyof typeof deadlines; status: RefundStatus }[] = [
      { order: 'passed', status: 'pending_approval' },
      { order: 'soon', status: 'pending_approval' },
      { order: 'soon', status: 'succeeded' },
      { order: 'soon', status: 'processing' },
      { order: 'soon', status: 'rejected' },
      { order: 'edge', status: 'approved' },
      { order: 'edge', status: 'requested' },
      { order: 'later', status: 'pending_approval' },
      { order: 'none', status: 'pending_approval' },
    ];
    const orderIds = {} as Record<keyof typeof deadlines, string>;
    for (const [i, key] of (Object.keys(deadlines) as (keyof typeof deadlines)[]).entries()) {
      orderIds[key] = await insertPaidOrder(db, {
        provider: 'frontpayment',
        providerRef: `DL-${key}`,
        orderNumber: `DL-${1000 + i}`,
        kind: 'regular',
        currency: 'NOK',
        totalMinor: 1_000_000,
        customerName: key,
        customerEmail: `${key}@deadline.test`,
        refundDeadline: deadlines[key],
      });
    }
    const inserted = plan.map((p, i) => ({
      id: randomUUID(),
      orderId: orderIds[p.order],
      requestKey: randomUUID(),
      status: p.status,
      currency: 'NOK',
      amountMinor: 1_000 * (i + 1),
      requestedBy: user.id,
      deadline: deadlines[p.order],
    }));
    await db.insert(refunds).values(inserted.map(({ deadline: _d, ...r }) => r));

    const waiting = new Set<RefundStatus>(['requested', 'pending_approval', 'approved']);
    const horizon = NOW.getTime() + 7 * DAY;
    const expected = inserted
      .filter((r) => waiting.has(r.status) && r.deadline !== null && r.deadline.getTime() <= horizon)
      .sort((a, b) => a.deadline!.getTime() - b.deadline!.getTime() || (a.id < b.id ? -1 : 1))
      .map((r) => ({ id: r.id, amountMinor: r.amountMinor, refundDeadline: r.deadline }));

    const { nearDeadline } = await getOverview(db, NOW);
    expect(expected).toHaveLength(4);
    expect(nearDeadline.map((r) => ({ id: r.id, amountMinor: r.amountMinor, refundDeadline: r.refundDeadline }))).toEqual(
      expected,
    );
  });
});
