import { asc, count, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx, Tx } from '@/db';
import { approvals, orderLines, orders, refundLines, refunds, users } from '@/db/schema';
import { refundLinesDigest } from './refunds';

/** The approval queue: pending requests, oldest first, with what a manager needs to decide. */
export async function listPendingApprovals(db: DbOrTx) {
  const rows = await db
    .select({
      id: refunds.id,
      amountMinor: refunds.amountMinor,
      currency: refunds.currency,
      createdAt: refunds.createdAt,
      expiresAt: refunds.expiresAt,
      note: refunds.note,
      statusReason: refunds.statusReason,
      requestedBy: refunds.requestedBy,
      requestedByName: users.name,
      orderId: orders.id,
      orderNumber: orders.orderNumber,
      provider: orders.provider,
      customerName: orders.customerName,
    })
    .from(refunds)
    .innerJoin(orders, eq(orders.id, refunds.orderId))
    .innerJoin(users, eq(users.id, refunds.requestedBy))
    .where(eq(refunds.status, 'pending_approval'))
    .orderBy(asc(refunds.createdAt), asc(refunds.id))
    .limit(200);
  if (rows.length === 0) return [];
  const lines = await db
    .select({
      refundId: refundLines.refundId,
      name: orderLines.name,
      quantity: refundLines.quantity,
      amountMinor: refundLines.amountMinor,
      reason: refundLines.reason,
      reasonNote: refundLines.reasonNote,
    })
    .from(refundLines)
    .innerJoin(orderLines, eq(orderLines.id, refundLines.orderLineId))
    .where(
      inArray(
        refundLines.refundId,
        rows.map((r) => r.id),
      ),
    )
    .orderBy(asc(orderLines.position));
  return Promise.all(
    rows.map(async (row) => ({
      ...row,
      lines: lines.filter((l) => l.refundId === row.id),
      linesDigest: await refundLinesDigest(db, row.id),
    })),
  );
}

export function insertApproval(tx: Tx, values: typeof approvals.$inferInsert) {
  return tx.insert(approvals).values(values);
}

/** Whether the order's held refunds still fit what was paid (the reservation guard, run now). */
export async function orderStillFits(tx: Tx, orderId: string): Promise<boolean> {
  try {
    await tx.execute(sql`select refund_guard_order(${orderId}::uuid)`);
    return true;
  } catch {
    return false;
  }
}

export async function pendingApprovalCount(db: DbOrTx) {
  const [row] = await db.select({ n: count() }).from(refunds).where(eq(refunds.status, 'pending_approval'));
  return row?.n ?? 0;
}
