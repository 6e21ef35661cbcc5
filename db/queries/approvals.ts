import { asc, count, eq, inArray } from 'drizzle-orm';
import type { DbOrTx } from '@/db';
import { orderLines, orders, refundLines, refunds, users } from '@/db/schema';
import { linesDigest } from '@/lib/approvals/service';

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
      linesDigest: await linesDigest(db, row.id),
    })),
  );
}

export async function pendingApprovalCount(db: DbOrTx) {
  const [row] = await db.select({ n: count() }).from(refunds).where(eq(refunds.status, 'pending_approval'));
  return row?.n ?? 0;
}
