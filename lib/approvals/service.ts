import type { Db } from '@/db';
import { insertApproval, orderStillFits } from '@/db/queries/approvals';
import { listExpiredRequestIds, lockRefund, refundLinesDigest } from '@/db/queries/refunds';
import type { Refund, RefundStatus, Role } from '@/db/schema';
import { can } from '@/lib/auth/permissions';
import { SYSTEM_CONTEXT, type AuditContext } from '@/lib/audit';
import { SafeError } from '@/lib/errors';
import { enqueueJob } from '@/lib/jobs/kinds';
import { isCancelable, transition } from '@/lib/refunds/lifecycle';
import { kickSubmission, type ClientFor } from '@/lib/refunds/pipeline';

/** The digest an approval is bound to (db/queries/refunds.ts `refundLinesDigest`). */
export const linesDigest = refundLinesDigest;

async function lockPending(tx: Parameters<typeof lockRefund>[0], refundId: string, actorId: string): Promise<Refund> {
  const refund = await lockRefund(tx, refundId);
  if (!refund) throw new SafeError('That refund request does not exist.', 'refund_request_not_found');
  if (refund.status !== 'pending_approval') {
    throw new SafeError(
      `This request has already been decided (it is now ${refund.status.replace(/_/g, ' ')}).`,
      'already_decided',
      undefined,
      // The status in the reader's words: errors.code.already_decided selects on the code.
      { status: refund.status },
    );
  }
  if (refund.requestedBy === actorId) throw new SafeError('You cannot decide on a refund you requested yourself.', 'own_request');
  if (refund.expiresAt && refund.expiresAt < new Date())
    throw new SafeError('This request has expired. The agent can make a new one.', 'request_expired');
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
    if ((await refundLinesDigest(tx, refund.id)) !== input.linesDigest) {
      throw new SafeError('This request changed after you opened it. Review it again before deciding.', 'request_changed');
    }
    // The refundable amount is checked again now: money may have been refunded elsewhere since.
    if (decision === 'approved' && !(await orderStillFits(tx, refund.orderId))) {
      throw new SafeError(
        'Less is left to refund on this order than this request asks for. Reject it and ask for a new one.',
        'no_longer_fits',
      );
    }
    await insertApproval(tx, {
      refundId: refund.id,
      decision,
      decidedBy: actor.id,
      comment: input.comment || null,
      linesDigest: input.linesDigest,
    });
    const status: RefundStatus = decision === 'approved' ? 'approved' : 'rejected';
    await transition(tx, audit, {
      refundId: refund.id,
      from: 'pending_approval',
      to: status,
      by: 'manager',
      action: decision === 'approved' ? 'refund.approved' : 'refund.rejected',
      statusReason: decision === 'rejected' ? `Rejected by a manager${input.comment ? `: ${input.comment}` : '.'}` : null,
      auditAfter: { comment: input.comment ?? null, linesDigest: input.linesDigest },
    });
    if (status === 'approved') await enqueueJob(tx, 'refund.submit', { refundId: refund.id });
    return { refundId: refund.id, status };
  });
}

/** Four eyes: never the requester (the database refuses it too); exactly one decision per request. */
export async function approveRefund(
  db: Db,
  actor: { id: string },
  audit: AuditContext,
  input: { refundId: string; comment?: string; linesDigest: string },
  /** Where to send it right after commit; without it, the queued job sends it. */
  send?: ClientFor,
) {
  const decided = await decide(db, actor, audit, input, 'approved');
  if (send) kickSubmission(db, decided.refundId, send, audit);
  return decided;
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
export async function cancelRefund(db: Db, actor: { id: string; role: Role }, audit: AuditContext, refundId: string) {
  return db.transaction(async (tx) => {
    const refund = await lockRefund(tx, refundId);
    if (!refund) throw new SafeError('That refund does not exist.', 'refund_request_not_found');
    if (refund.requestedBy !== actor.id && !can(actor.role, 'approvals.decide'))
      throw new SafeError('Only the requester or a manager can cancel this refund.', 'cancel_not_allowed');
    if (!isCancelable(refund.status)) {
      throw new SafeError('This refund has already been sent to the provider and can no longer be canceled.', 'too_late');
    }
    await transition(tx, audit, {
      refundId,
      from: refund.status,
      to: 'canceled',
      by: 'requester',
      action: 'refund.canceled',
      statusReason: 'Canceled before it was sent.',
    });
    return { refundId, status: 'canceled' as const };
  });
}

/** Pending requests past their time expire, which releases the amounts they held. */
export async function expirePendingApprovals(db: Db, now = new Date(), only?: { refundId: string }) {
  return db.transaction(async (tx) => {
    let expired = 0;
    for (const { id } of await listExpiredRequestIds(tx, now, only?.refundId)) {
      const moved = await transition(tx, SYSTEM_CONTEXT, {
        refundId: id,
        from: 'pending_approval',
        to: 'expired',
        by: 'expiry',
        action: 'refund.expired',
        statusReason: 'No manager decided in time; the request expired.',
      });
      if (moved) expired += 1;
    }
    return expired;
  });
}
