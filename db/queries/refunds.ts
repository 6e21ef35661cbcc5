import { createHash } from 'node:crypto';
import { and, asc, desc, eq, inArray, lt, ne, notExists, sql } from 'drizzle-orm';
import type { DbOrTx, Tx } from '@/db';
import { jobs, orderLines, orders, refundLines, refunds, users, type RefundStatus } from '@/db/schema';

/** The refunds of one order, newest first, with who asked for them. */
export function listOrderRefunds(db: DbOrTx, orderId: string) {
  return db
    .select({
      id: refunds.id,
      status: refunds.status,
      amountMinor: refunds.amountMinor,
      currency: refunds.currency,
      createdAt: refunds.createdAt,
      statusReason: refunds.statusReason,
      providerErrorCode: refunds.providerErrorCode,
      requestedByName: users.name,
    })
    .from(refunds)
    .innerJoin(users, eq(users.id, refunds.requestedBy))
    .where(eq(refunds.orderId, orderId))
    .orderBy(desc(refunds.createdAt));
}

/** A refund with its order: the one load every refund service starts from. */
export async function getRefundWithOrder(db: DbOrTx, refundId: string) {
  const [row] = await db
    .select({ refund: refunds, order: orders })
    .from(refunds)
    .innerJoin(orders, eq(orders.id, refunds.orderId))
    .where(eq(refunds.id, refundId));
  return row ?? null;
}

// Rows other rows point at are locked FOR NO KEY UPDATE, never FOR UPDATE: lockers still wait for
// each other, but not for a foreign key's KEY SHARE. A transaction that updates a refund it
// already changed re-checks the refund's foreign keys (PostgreSQL does for a row version of its
// own), taking KEY SHARE on its order and requester while it holds the audit chain; with the
// order held FOR UPDATE by a refund being created, which waits for the chain, that was a deadlock
// (the proof's concurrency part, once provider refunds updated their refund's copies).

/** The refund row, locked until the transaction ends. */
export async function lockRefund(tx: Tx, refundId: string) {
  const [row] = await tx.select().from(refunds).where(eq(refunds.id, refundId)).for('no key update');
  return row ?? null;
}

/** The order row, locked: refunds of one order are created and sent one at a time under it. */
export async function lockOrder(tx: Tx, orderId: string) {
  const [row] = await tx.select().from(orders).where(eq(orders.id, orderId)).for('no key update');
  return row ?? null;
}

export async function findRefundByRequestKey(db: DbOrTx, requestKey: string) {
  const [row] = await db
    .select({ id: refunds.id, status: refunds.status })
    .from(refunds)
    .where(eq(refunds.requestKey, requestKey));
  return row ?? null;
}

export async function findFollowUp(db: DbOrTx, refundId: string) {
  const [row] = await db.select({ id: refunds.id, status: refunds.status }).from(refunds).where(eq(refunds.followUpOf, refundId));
  return row ?? null;
}

export function insertRefundLines(tx: Tx, rows: (typeof refundLines.$inferInsert)[]) {
  return tx.insert(refundLines).values(rows);
}

/** A refund's lines with the order lines they refund, in receipt order. */
export function listRefundLines(db: DbOrTx, refundId: string) {
  return db
    .select({ line: refundLines, orderLine: orderLines })
    .from(refundLines)
    .innerJoin(orderLines, eq(orderLines.id, refundLines.orderLineId))
    .where(eq(refundLines.refundId, refundId))
    .orderBy(asc(orderLines.position));
}

/** Another refund of the order in one of these statuses, if any. */
export async function otherRefundOfOrderIn(
  db: DbOrTx,
  orderId: string,
  statuses: readonly RefundStatus[],
  exceptRefundId?: string,
) {
  const [row] = await db
    .select({ id: refunds.id, status: refunds.status })
    .from(refunds)
    .where(
      and(
        eq(refunds.orderId, orderId),
        inArray(refunds.status, [...statuses]),
        exceptRefundId ? ne(refunds.id, exceptRefundId) : undefined,
      ),
    )
    .limit(1);
  return row ?? null;
}

/** Refunds that have sat in a status since before `before` (the crash-recovery sweep). */
export function listRefundIdsStuckIn(db: DbOrTx, status: RefundStatus, before: Date) {
  return db
    .select({ id: refunds.id })
    .from(refunds)
    .where(and(eq(refunds.status, status), lt(refunds.updatedAt, before)));
}

/** Pending requests whose time ran out (one of them, when `only` names it). */
export function listExpiredRequestIds(db: DbOrTx, now: Date, only?: string) {
  return db
    .select({ id: refunds.id })
    .from(refunds)
    .where(and(eq(refunds.status, 'pending_approval'), lt(refunds.expiresAt, now), only ? eq(refunds.id, only) : undefined));
}

/**
 * A digest of exactly what was requested: an approval is bound to these lines and amounts, so a
 * request that changed after the manager looked at it needs a new look.
 */
export async function refundLinesDigest(db: DbOrTx, refundId: string): Promise<string> {
  const lines = await db
    .select({
      orderLineId: refundLines.orderLineId,
      quantity: refundLines.quantity,
      amountMinor: refundLines.amountMinor,
      reason: refundLines.reason,
    })
    .from(refundLines)
    .where(eq(refundLines.refundId, refundId))
    .orderBy(asc(refundLines.orderLineId));
  return createHash('sha256').update(JSON.stringify(lines)).digest('hex');
}

/**
 * Refunds in a status that some job must follow, with no live job of that kind for them (its
 * attempts ran out, or it was lost): the sweep queues them again.
 */
export function listRefundIdsWithoutLiveJob(db: DbOrTx, status: RefundStatus, dedupePrefix: string) {
  return db
    .select({ id: refunds.id })
    .from(refunds)
    .where(
      and(
        eq(refunds.status, status),
        notExists(
          db
            .select({ one: sql`1` })
            .from(jobs)
            .where(
              and(eq(jobs.dedupeKey, sql`${dedupePrefix} || ${refunds.id}::text`), inArray(jobs.status, ['queued', 'running'])),
            ),
        ),
      ),
    )
    .limit(500);
}
