import { randomUUID } from 'node:crypto';
import type { Db } from '@/db';
import {
  findFollowUp,
  getRefundWithOrder,
  insertRefundLines,
  listRefundLines,
  lockOrder,
  lockRefund,
} from '@/db/queries/refunds';
import type { Role } from '@/db/schema';
import { appendAudit, type AuditContext } from '@/lib/audit';
import { can } from '@/lib/auth/permissions';
import { enqueueJob } from '@/lib/jobs/kinds';
import { SafeError } from '@/lib/errors';
import { providerProfile } from '@/lib/providers/registry';
import { blockParams, refundBlock } from './blockers';
import { admit } from './lifecycle';
import { submitApprovedRefund, type ClientFor } from './pipeline';
import { isRefundGuard } from './service';

/** Whether a failed refund can be sent to its provider's approval endpoint (frontpayment.md §5). */
export function canAskProviderApproval(refund: { status: string; providerErrorCode: string | null }, provider: string) {
  return (
    refund.status === 'failed' &&
    providerProfile(provider).capabilities.approvalRequestCodes.includes(refund.providerErrorCode ?? '')
  );
}

/**
 * Asks the provider to approve a refund it refused for its own limits. The refused refund stays
 * `failed` (final); the request is a follow-up refund of exactly the same lines, which holds the
 * money again (checked under the order lock; the database refuses it if that is no longer
 * possible), is written down before it is sent, and waits in `processing` until the order's
 * refunded total shows the provider applied it. At most one follow-up per refused refund.
 */
export async function requestProviderApproval(
  db: Db,
  actor: { id: string; role: Role },
  audit: AuditContext,
  refundId: string,
  clientFor: ClientFor,
): Promise<{ refundId: string; status: string }> {
  const prepared = await db
    .transaction(async (tx) => {
      const row = await getRefundWithOrder(tx, refundId);
      if (!row) throw new SafeError('That refund does not exist.', 'refund_not_found');
      const order = (await lockOrder(tx, row.order.id))!;
      const refund = (await lockRefund(tx, refundId))!;
      if (!canAskProviderApproval(refund, order.provider)) {
        throw new SafeError('Only a refund its provider refused for its own limits can be sent for approval.', 'not_eligible');
      }
      // The requester asks again for their own refund; anyone else needs a manager's say.
      if (refund.requestedBy !== actor.id && !can(actor.role, 'refunds.reconcile')) {
        throw new SafeError(
          'Only the agent who requested this refund, or a manager, can ask the provider to approve it.',
          'forbidden',
        );
      }
      const earlier = await findFollowUp(tx, refundId);
      if (earlier) return { followUpId: earlier.id, duplicate: true };
      const blocker = await refundBlock(tx, order);
      if (blocker) throw new SafeError(blocker.message, 'order_not_refundable', undefined, blockParams(blocker));

      const lines = await listRefundLines(tx, refundId);
      const followUpId = await admit(
        tx,
        {
          orderId: order.id,
          requestKey: randomUUID(),
          currency: refund.currency,
          amountMinor: refund.amountMinor,
          requestedBy: actor.id,
          note: refund.note,
          paymentRef: refund.paymentRef,
          followUpOf: refund.id,
          statusReason: `Sent to ${providerProfile(order.provider).label} for approval. Waiting for it to decide.`,
        },
        'approved',
      );
      await insertRefundLines(
        tx,
        lines.map(({ line }) => ({
          refundId: followUpId,
          orderLineId: line.orderLineId,
          quantity: line.quantity,
          amountMinor: line.amountMinor,
          reason: line.reason,
          reasonNote: line.reasonNote,
        })),
      );
      await appendAudit(tx, audit, {
        action: 'refund.provider_approval_requested',
        entityType: 'refund',
        entityId: refund.id,
        before: { status: refund.status, providerErrorCode: refund.providerErrorCode },
        after: { followUpRefundId: followUpId },
      });
      await appendAudit(tx, audit, {
        action: 'refund.requested',
        entityType: 'refund',
        entityId: followUpId,
        after: {
          orderId: order.id,
          orderNumber: order.orderNumber,
          amountMinor: refund.amountMinor,
          currency: refund.currency,
          status: 'approved',
          followUpOf: refund.id,
          approvalFor: refund.providerErrorCode,
        },
      });
      await enqueueJob(tx, 'refund.submit', { refundId: followUpId });
      return { followUpId, duplicate: false };
    })
    .catch((error: unknown) => {
      if (isRefundGuard(error)) {
        throw new SafeError(
          'Less is left to refund on this order than this refund needs, so it cannot be sent for approval.',
          'over_refund',
        );
      }
      throw error;
    });
  // Sent now; the queued job is the fallback, and only one of them can take it to `submitting`.
  const sent = prepared.duplicate ? null : await submitApprovedRefund(db, prepared.followUpId, clientFor, audit);
  const current = await getRefundWithOrder(db, prepared.followUpId);
  return { refundId: prepared.followUpId, status: sent ?? current!.refund.status };
}
