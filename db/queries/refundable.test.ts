import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '@/db';
import {
  approvals,
  orderLines,
  orders,
  refundLines,
  refunds,
  refundStatusEnum,
  RELEASED_REFUND_STATUSES,
  SETTLED_REFUND_STATUSES,
  users,
  type RefundStatus,
} from '@/db/schema';
import { freshPglite } from '@/test/db';
import { getOrderFigures } from './refundable';

let db: Db;
let close: () => Promise<void>;
let agentId: string;
let managerId: string;
let orderCount = 0;

beforeAll(async () => {
  ({ db, close } = await freshPglite());
  const [agent, manager] = await db
    .insert(users)
    .values([
      { email: 'agent@example.com', name: 'Agent', role: 'agent' },
      { email: 'manager@example.com', name: 'Manager', role: 'manager' },
    ])
    .returning();
  agentId = agent!.id;
  managerId = manager!.id;
});
afterAll(() => close());

interface LineSpec {
  unitPriceMinor: number;
  quantity: number;
  paidMinor: number;
  externallyRefundedMinor?: number;
}

async function createOrder(lines: LineSpec[]) {
  orderCount += 1;
  const [order] = await db
    .insert(orders)
    .values({
      provider: 'frontpayment',
      providerRef: `ODR${String(orderCount).padStart(6, '0')}`,
      orderNumber: `NO-${orderCount}`,
      kind: 'regular',
      status: 'paid',
      providerStatus: 'PAID',
      currency: 'NOK',
      totalMinor: lines.reduce((sum, l) => sum + l.paidMinor, 0),
      customerName: 'Kari Nordmann',
      customerEmail: 'kari@example.no',
      placedAt: new Date('2025-03-01T10:00:00Z'),
    })
    .returning();
  const inserted = await db
    .insert(orderLines)
    .values(
      lines.map((l, i) => ({
        orderId: order!.id,
        position: i + 1,
        providerLineId: String(i + 1),
        name: `Product ${i + 1}`,
        ...l,
      })),
    )
    .returning();
  return { orderId: order!.id, lineIds: inserted.sort((a, b) => a.position - b.position).map((l) => l.id) };
}

async function addRefund(
  orderId: string,
  status: RefundStatus,
  lines: { lineId: string; amountMinor: number; quantity?: number }[],
) {
  const [refund] = await db
    .insert(refunds)
    .values({
      orderId,
      requestKey: randomUUID(),
      status,
      currency: 'NOK',
      amountMinor: lines.reduce((sum, l) => sum + l.amountMinor, 0),
      requestedBy: agentId,
    })
    .returning();
  await db.insert(refundLines).values(
    lines.map((l) => ({
      refundId: refund!.id,
      orderLineId: l.lineId,
      amountMinor: l.amountMinor,
      quantity: l.quantity ?? 0,
      reason: 'damaged' as const,
    })),
  );
  return refund!.id;
}

function errorText(error: unknown): string {
  const parts: string[] = [];
  for (let e = error as { message?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e)
    parts.push(String(e.message));
  return parts.join(' | ');
}

async function expectRejected(promise: Promise<unknown>, pattern: RegExp) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, 'expected the write to be rejected').not.toBeNull();
  expect(errorText(error)).toMatch(pattern);
}

describe('getOrderFigures', () => {
  it('counts settled refunds and external refunds as refunded, live ones as reserved, released ones as nothing', async () => {
    const { orderId, lineIds } = await createOrder([
      { unitPriceMinor: 1000, quantity: 10, paidMinor: 10000, externallyRefundedMinor: 1000 },
      { unitPriceMinor: 2500, quantity: 2, paidMinor: 5000 },
    ]);
    const [l1, l2] = lineIds as [string, string];
    await addRefund(orderId, 'succeeded', [
      { lineId: l1, amountMinor: 1000, quantity: 1 },
      { lineId: l2, amountMinor: 2500, quantity: 1 },
    ]);
    await addRefund(orderId, 'pending_approval', [{ lineId: l1, amountMinor: 1500, quantity: 1 }]);
    await addRefund(orderId, 'processing', [
      { lineId: l1, amountMinor: 500 },
      { lineId: l2, amountMinor: 1000 },
    ]);
    await addRefund(orderId, 'outcome_unknown', [{ lineId: l1, amountMinor: 700 }]);
    await addRefund(orderId, 'rejected', [{ lineId: l1, amountMinor: 2000, quantity: 2 }]);
    await addRefund(orderId, 'expired', [{ lineId: l1, amountMinor: 300 }]);
    await addRefund(orderId, 'canceled', [{ lineId: l2, amountMinor: 400 }]);
    await addRefund(orderId, 'failed', [
      { lineId: l1, amountMinor: 600, quantity: 1 },
      { lineId: l2, amountMinor: 500 },
    ]);

    const figures = await getOrderFigures(db, orderId);
    expect(figures.lines).toEqual([
      {
        orderLineId: l1,
        paidMinor: 10000,
        refundedMinor: 2000, // 1000 succeeded + 1000 refunded at the provider directly
        reservedMinor: 2700, // 1500 pending_approval + 500 processing + 700 outcome_unknown
        refundableMinor: 5300,
        refundedQuantity: 2, // 1 succeeded + 1 unit's worth refunded externally
        reservedQuantity: 1,
        refundableQuantity: 7,
      },
      {
        orderLineId: l2,
        paidMinor: 5000,
        refundedMinor: 2500,
        reservedMinor: 1000,
        refundableMinor: 1500,
        refundedQuantity: 1,
        reservedQuantity: 0,
        refundableQuantity: 1,
      },
    ]);
    expect(figures).toMatchObject({ paidMinor: 15000, refundedMinor: 4500, reservedMinor: 3700, refundableMinor: 6800 });
    for (const line of figures.lines) {
      expect(typeof line.refundedMinor).toBe('number');
      expect(typeof line.reservedMinor).toBe('number');
    }
  });

  it('an order without refunds is refundable in full; an unknown order has no lines', async () => {
    const { orderId, lineIds } = await createOrder([{ unitPriceMinor: 4990, quantity: 3, paidMinor: 14970 }]);
    expect(await getOrderFigures(db, orderId)).toEqual({
      lines: [
        {
          orderLineId: lineIds[0],
          paidMinor: 14970,
          refundedMinor: 0,
          reservedMinor: 0,
          refundableMinor: 14970,
          refundedQuantity: 0,
          reservedQuantity: 0,
          refundableQuantity: 3,
        },
      ],
      paidMinor: 14970,
      refundedMinor: 0,
      reservedMinor: 0,
      refundableMinor: 14970,
      unattributedRefundedMinor: 0,
    });
    expect(await getOrderFigures(db, randomUUID())).toEqual({
      lines: [],
      paidMinor: 0,
      refundedMinor: 0,
      reservedMinor: 0,
      refundableMinor: 0,
      unattributedRefundedMinor: 0,
    });
  });

  it('money refunded at the provider outside Refund Desk is no longer refundable on the order', async () => {
    const { orderId } = await createOrder([
      { unitPriceMinor: 1000, quantity: 1, paidMinor: 1000 },
      { unitPriceMinor: 500, quantity: 2, paidMinor: 1000 },
    ]);
    await db.update(orders).set({ externallyRefundedMinor: 700 }).where(eq(orders.id, orderId));
    expect(await getOrderFigures(db, orderId)).toMatchObject({
      paidMinor: 2000,
      refundedMinor: 700,
      refundableMinor: 1300,
      unattributedRefundedMinor: 700,
    });
  });

  it('does not mix up refunds of other orders', async () => {
    const a = await createOrder([{ unitPriceMinor: 1000, quantity: 1, paidMinor: 1000 }]);
    const b = await createOrder([{ unitPriceMinor: 1000, quantity: 1, paidMinor: 1000 }]);
    await addRefund(a.orderId, 'succeeded', [{ lineId: a.lineIds[0]!, amountMinor: 400 }]);
    expect((await getOrderFigures(db, b.orderId)).refundableMinor).toBe(1000);
    expect((await getOrderFigures(db, a.orderId)).refundableMinor).toBe(600);
  });

  const SETTLED = new Set<string>(SETTLED_REFUND_STATUSES);
  const RELEASED = new Set<string>(RELEASED_REFUND_STATUSES);

  it('knows the released statuses of PRODUCT.md §3', () => {
    expect([...RELEASED].sort()).toEqual(['canceled', 'expired', 'failed', 'rejected']);
    expect(SETTLED.has('succeeded')).toBe(true);
  });

  it.each(refundStatusEnum.enumValues)('a %s refund of 3000 on a 10000 line', async (status) => {
    const { orderId, lineIds } = await createOrder([{ unitPriceMinor: 10000, quantity: 1, paidMinor: 10000 }]);
    await addRefund(orderId, status, [{ lineId: lineIds[0]!, amountMinor: 3000 }]);
    const figures = await getOrderFigures(db, orderId);
    const expected = SETTLED.has(status)
      ? { refundedMinor: 3000, reservedMinor: 0, refundableMinor: 7000 }
      : RELEASED.has(status)
        ? { refundedMinor: 0, reservedMinor: 0, refundableMinor: 10000 }
        : { refundedMinor: 0, reservedMinor: 3000, refundableMinor: 7000 };
    expect(figures).toMatchObject(expected);
    expect(figures.lines[0]).toMatchObject(expected);
  });

  it('matches a plain model for random refunds (property)', async () => {
    const refundArb = fc.record({
      status: fc.constantFrom(...refundStatusEnum.enumValues),
      line: fc.integer({ min: 0, max: 1 }),
      // At most 8 × 1000 per line: never more than was paid, as the refund pipeline guarantees.
      amountMinor: fc.integer({ min: 1, max: 1000 }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(refundArb, { maxLength: 8 }), fc.integer({ min: 0, max: 2000 }), async (specs, external) => {
        const { orderId, lineIds } = await createOrder([
          { unitPriceMinor: 10000, quantity: 1, paidMinor: 10000, externallyRefundedMinor: external },
          { unitPriceMinor: 2000, quantity: 4, paidMinor: 8000 },
        ]);
        const model = [
          { paid: 10000, refunded: external, reserved: 0 },
          { paid: 8000, refunded: 0, reserved: 0 },
        ];
        for (const spec of specs) {
          await addRefund(orderId, spec.status, [{ lineId: lineIds[spec.line]!, amountMinor: spec.amountMinor }]);
          if (SETTLED.has(spec.status)) model[spec.line]!.refunded += spec.amountMinor;
          else if (!RELEASED.has(spec.status)) model[spec.line]!.reserved += spec.amountMinor;
        }
        const figures = await getOrderFigures(db, orderId);
        figures.lines.forEach((line, i) => {
          const m = model[i]!;
          expect(line).toMatchObject({
            paidMinor: m.paid,
            refundedMinor: m.refunded,
            reservedMinor: m.reserved,
            refundableMinor: m.paid - m.refunded - m.reserved,
          });
        });
        expect(figures.refundableMinor).toBe(model.reduce((s, m) => s + m.paid - m.refunded - m.reserved, 0));
      }),
      { numRuns: 25 },
    );
  });
});

describe('database constraints', () => {
  it("rejects a refund line with reason 'other' and no note (or a blank one)", async () => {
    const { orderId, lineIds } = await createOrder([{ unitPriceMinor: 1000, quantity: 1, paidMinor: 1000 }]);
    const refundId = await addRefund(orderId, 'pending_approval', [{ lineId: lineIds[0]!, amountMinor: 100 }]);
    const other = await createOrder([{ unitPriceMinor: 1000, quantity: 1, paidMinor: 1000 }]);
    const line = { refundId, orderLineId: other.lineIds[0]!, quantity: 0, amountMinor: 100, reason: 'other' as const };
    await expectRejected(db.insert(refundLines).values(line), /refund_lines_other_needs_note/);
    await expectRejected(db.insert(refundLines).values({ ...line, reasonNote: '   ' }), /refund_lines_other_needs_note/);
    await db.insert(refundLines).values({ ...line, reasonNote: 'Customer goodwill' });
    expect(await db.select().from(refundLines).where(eq(refundLines.refundId, refundId))).toHaveLength(2);
  });

  it('rejects an order line refunded externally beyond what was paid', async () => {
    const { orderId } = await createOrder([{ unitPriceMinor: 1000, quantity: 1, paidMinor: 1000 }]);
    const line = { orderId, name: 'x', unitPriceMinor: 1000, quantity: 1, paidMinor: 1000 };
    await expectRejected(
      db.insert(orderLines).values({ ...line, position: 2, providerLineId: 'x2', externallyRefundedMinor: 1001 }),
      /order_lines_external_refund_within_paid/,
    );
    await expectRejected(
      db.insert(orderLines).values({ ...line, position: 3, providerLineId: 'x3', externallyRefundedMinor: -1 }),
      /order_lines_external_refund_within_paid/,
    );
    await db.insert(orderLines).values({ ...line, position: 4, providerLineId: 'x4', externallyRefundedMinor: 1000 });
  });

  it('rejects negative or zero refund amounts, on the refund and on its lines', async () => {
    const { orderId, lineIds } = await createOrder([{ unitPriceMinor: 1000, quantity: 1, paidMinor: 1000 }]);
    const refund = { orderId, status: 'pending_approval' as const, currency: 'NOK', requestedBy: agentId };
    await expectRejected(
      db.insert(refunds).values({ ...refund, requestKey: randomUUID(), amountMinor: -100 }),
      /refunds_amount_positive/,
    );
    await expectRejected(
      db.insert(refunds).values({ ...refund, requestKey: randomUUID(), amountMinor: 0 }),
      /refunds_amount_positive/,
    );
    const refundId = await addRefund(orderId, 'pending_approval', [{ lineId: lineIds[0]!, amountMinor: 100 }]);
    const other = await createOrder([{ unitPriceMinor: 1000, quantity: 1, paidMinor: 1000 }]);
    await expectRejected(
      db
        .insert(refundLines)
        .values({ refundId, orderLineId: other.lineIds[0]!, quantity: 0, amountMinor: -5, reason: 'damaged' }),
      /refund_lines_amount_positive/,
    );
    expect(await db.select().from(refunds).where(eq(refunds.orderId, orderId))).toHaveLength(1);
  });

  it('four eyes: nobody approves or rejects their own request', async () => {
    const { orderId, lineIds } = await createOrder([{ unitPriceMinor: 1000, quantity: 1, paidMinor: 1000 }]);
    const refundId = await addRefund(orderId, 'pending_approval', [{ lineId: lineIds[0]!, amountMinor: 500 }]);
    for (const decision of ['approved', 'rejected'] as const) {
      await expectRejected(
        db.insert(approvals).values({ refundId, decision, decidedBy: agentId, linesDigest: 'digest' }),
        /cannot be decided by the user who requested it/,
      );
    }
    expect(await db.select().from(approvals).where(eq(approvals.refundId, refundId))).toEqual([]);

    await db.insert(approvals).values({ refundId, decision: 'approved', decidedBy: managerId, linesDigest: 'digest' });
    await expectRejected(
      db.update(approvals).set({ decidedBy: agentId }).where(eq(approvals.refundId, refundId)),
      /cannot be decided by the user who requested it/,
    );
    const [approval] = await db.select().from(approvals).where(eq(approvals.refundId, refundId));
    expect(approval!.decidedBy).toBe(managerId);
  });
});
