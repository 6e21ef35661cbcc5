import { createHash } from 'node:crypto';
import { and, asc, eq, lt, sql } from 'drizzle-orm';
import type { Db, DbOrTx, Tx } from '@/db';
import { approvals, refundLines, refunds, type Refund, type RefundStatus } from '@/db/schema';
import { appendAudit, SYSTEM_CONTEXT, type AuditContext } from '@/lib/audit';
import { SafeError } from '@/lib/errors';
import { enqueue } from '@/lib/jobs/queue';
import { SUBMIT_REFUND_JOB } from '@/lib/refunds/service';

/**
 * A digest of exactly what was requested: the approval is bound to these lines and amounts, so a
 * request that changed after the manager looked at it needs a new look.
 */
export async function linesDigest(db: DbOrTx, refundId: string): Promise<string> {
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

async function lockPending(tx: Tx, refundId: string, actorId: string): Promise<Refund> {
  const [refund] = await tx.select().from(refunds).where(eq(refunds.id, refundId)).for('update');
  if (!refund) throw new SafeError('That refund request does not exist.', 'not_found');
  if (refund.status !== 'pending_approval') {
    throw new SafeError(
      `This request has already been decided (it is now ${refund.status.replace(/_/g, ' ')}).`,
      'already_decided',
    );
  }
  if (refund.requestedBy === actorId) throw new SafeError('You cannot decide on a refund you requested yourself.', 'own_request');
  if (refund.expiresAt && refund.expiresAt < new Date())
    throw new SafeError('This request has expired. The agent can make a new one.', 'expired');
  return refund;
}

async function decide(
  db: Db,
  actor: { id: string },
  audit: AuditContext,
  input: { refundId: string; comment?: string; linesDigest: string },
  decision: 'approved' | 'rejected',
): Promise<{ refundId: string; status: RefundStatus }> {
  return db.transaction(async (tx) => {
    const refund = await lockPending(tx, input.refundId, actor.id);
    if ((await linesDigest(tx, refund.id)) !== input.linesDigest) {
      throw new SafeError('This request changed after you opened it. Review it again before deciding.', 'request_changed');
    }
    if (decision === 'approved') {
      // The refundable amount is checked again now: money may have been refunded elsewhere since.
      try {
        await tx.execute(sql`select refund_guard_order(${refund.orderId}::uuid)`);
      } catch {
        throw new SafeError(
          'Less is left to refund on this order than this request asks for. Reject it and ask for a new one.',
          'over_refund',
        );
      }
    }
    await tx.insert(approvals).values({
      refundId: refund.id,
      decision,
      decidedBy: actor.id,
      comment: input.comment || null,
      linesDigest: input.linesDigest,
    });
    const status: RefundStatus = decision === 'approved' ? 'approved' : 'rejected';
    await tx
      .update(refunds)
      .set({
        status,
        statusReason: decision === 'rejected' ? `Rejected by a manager${input.comment ? `: ${input.comment}` : '.'}` : null,
        completedAt: decision === 'rejected' ? new Date() : null,
      })
      .where(eq(refunds.id, refund.id));
    await appendAudit(tx, audit, {
      action: decision === 'approved' ? 'refund.approved' : 'refund.rejected',
      entityType: 'refund',
      entityId: refund.id,
      before: { status: 'pending_approval' },
      after: { status, comment: input.comment ?? null, linesDigest: input.linesDigest },
    });
    if (status === 'approved')
      await enqueue(tx, SUBMIT_REFUND_JOB, { refundId: refund.id }, { dedupeKey: `submit:${refund.id}` });
    return { refundId: refund.id, status };
  });
}

/** Four eyes: never the requester (the database refuses it too); exactly one decision per request. */
export function approveRefund(
  db: Db,
  actor: { id: string },
  audit: AuditContext,
  input: { refundId: string; comment?: string; linesDigest: string },
) {
  return decide(db, actor, audit, input, 'approved');
}

export function rejectRefund(
  db: Db,
  actor: { id: string },
  audit: AuditContext,
  input: { refundId: string; comment: string; linesDigest: string },
) {
  return decide(db, actor, audit, input, 'rejected');
}

/** The requester (or a manager) withdraws a request that has not been sent yet. */
export async function cancelRefund(db: Db, actor: { id: string; role: string }, audit: AuditContext, refundId: string) {
  return db.transaction(async (tx) => {
    const [refund] = await tx.select().from(refunds).where(eq(refunds.id, refundId)).for('update');
    if (!refund) throw new SafeError('That refund does not exist.', 'not_found');
    if (refund.requestedBy !== actor.id && actor.role !== 'manager')
      throw new SafeError('Only the requester or a manager can cancel this refund.', 'forbidden');
    if (refund.status !== 'pending_approval' && refund.status !== 'approved') {
      throw new SafeError('This refund has already been sent to the provider and can no longer be canceled.', 'too_late');
    }
    await tx
      .update(refunds)
      .set({ status: 'canceled', completedAt: new Date(), statusReason: 'Canceled before it was sent.' })
      .where(eq(refunds.id, refundId));
    await appendAudit(tx, audit, {
      action: 'refund.canceled',
      entityType: 'refund',
      entityId: refundId,
      before: { status: refund.status },
      after: { status: 'canceled' },
    });
    return { refundId, status: 'canceled' as const };
  });
}

/** Pending requests past their time expire, which releases the amounts they held. */
export async function expirePendingApprovals(db: Db, now = new Date(), only?: { refundId: string }) {
  return db.transaction(async (tx) => {
    const expired = await tx
      .update(refunds)
      .set({ status: 'expired', completedAt: now, statusReason: 'No manager decided in time; the request expired.' })
      .where(
        and(eq(refunds.status, 'pending_approval'), lt(refunds.expiresAt, now), only ? eq(refunds.id, only.refundId) : undefined),
      )
      .returning({ id: refunds.id });
    for (const { id } of expired) {
      await appendAudit(tx, SYSTEM_CONTEXT, {
        action: 'refund.expired',
        entityType: 'refund',
        entityId: id,
        before: { status: 'pending_approval' },
        after: { status: 'expired' },
      });
    }
    return expired.length;
  });
}
