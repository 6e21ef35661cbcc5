import { and, eq, inArray, notInArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '@/db';
import { orderLines, orders, RELEASED_REFUND_STATUSES, refundLines, refunds, SETTLED_REFUND_STATUSES } from '@/db/schema';

export interface LineFigures {
  orderLineId: string;
  paidMinor: number;
  /** Money that has moved back: settled refunds here plus refunds made at the provider directly. */
  refundedMinor: number;
  /** Held back by refunds that are requested, awaiting approval or in flight. */
  reservedMinor: number;
  refundableMinor: number;
  refundedQuantity: number;
  reservedQuantity: number;
  refundableQuantity: number;
}

export interface OrderFigures {
  lines: LineFigures[];
  paidMinor: number;
  refundedMinor: number;
  reservedMinor: number;
  refundableMinor: number;
  /** Refunded at the provider outside Refund Desk, not attributable to a line. */
  unattributedRefundedMinor: number;
}

/**
 * The one definition of "refundable" (PRODUCT.md §3): what was paid minus every refund on the line
 * that is not rejected, expired, canceled or failed — settled ones count as refunded, the rest as
 * reserved. Every screen and the refund pipeline use this query.
 */
export async function getOrderFigures(db: DbOrTx, orderId: string): Promise<OrderFigures> {
  const settled = sql<number>`coalesce(sum(${refundLines.amountMinor}) filter (where ${inArray(refunds.status, [...SETTLED_REFUND_STATUSES])}), 0)::bigint`;
  const held = sql<number>`coalesce(sum(${refundLines.amountMinor}) filter (where ${notInArray(refunds.status, [...SETTLED_REFUND_STATUSES])}), 0)::bigint`;
  const settledQty = sql<number>`coalesce(sum(${refundLines.quantity}) filter (where ${inArray(refunds.status, [...SETTLED_REFUND_STATUSES])}), 0)::int`;
  const heldQty = sql<number>`coalesce(sum(${refundLines.quantity}) filter (where ${notInArray(refunds.status, [...SETTLED_REFUND_STATUSES])}), 0)::int`;

  const rows = await db
    .select({
      orderLineId: orderLines.id,
      unitPriceMinor: orderLines.unitPriceMinor,
      quantity: orderLines.quantity,
      paidMinor: orderLines.paidMinor,
      externallyRefundedMinor: orderLines.externallyRefundedMinor,
      settled,
      held,
      settledQty,
      heldQty,
    })
    .from(orderLines)
    .leftJoin(refundLines, eq(refundLines.orderLineId, orderLines.id))
    .leftJoin(refunds, and(eq(refunds.id, refundLines.refundId), notInArray(refunds.status, [...RELEASED_REFUND_STATUSES])))
    .where(eq(orderLines.orderId, orderId))
    .groupBy(orderLines.id)
    .orderBy(orderLines.position);

  const lines = rows.map((row): LineFigures => {
    // Aggregates come back as strings from some drivers; they are integers either way.
    const settledMinor = Number(row.settled);
    const heldMinor = Number(row.held);
    const refundedMinor = settledMinor + row.externallyRefundedMinor;
    const refundableMinor = Math.max(0, row.paidMinor - refundedMinor - heldMinor);
    const externalQty = row.unitPriceMinor > 0 ? Math.floor(row.externallyRefundedMinor / row.unitPriceMinor) : 0;
    const refundedQuantity = Number(row.settledQty) + externalQty;
    const reservedQuantity = Number(row.heldQty);
    return {
      orderLineId: row.orderLineId,
      paidMinor: row.paidMinor,
      refundedMinor,
      reservedMinor: heldMinor,
      refundableMinor,
      refundedQuantity,
      reservedQuantity,
      refundableQuantity: Math.max(0, row.quantity - refundedQuantity - reservedQuantity),
    };
  });
  const total = (pick: (l: LineFigures) => number) => lines.reduce((sum, l) => sum + pick(l), 0);
  const [order] = await db.select({ external: orders.externallyRefundedMinor }).from(orders).where(eq(orders.id, orderId));
  const unattributed = order?.external ?? 0;
  return {
    lines,
    paidMinor: total((l) => l.paidMinor),
    refundedMinor: total((l) => l.refundedMinor) + unattributed,
    reservedMinor: total((l) => l.reservedMinor),
    refundableMinor: Math.max(0, total((l) => l.refundableMinor) - unattributed),
    unattributedRefundedMinor: unattributed,
  };
}
