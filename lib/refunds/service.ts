import type { Db, DbOrTx } from '@/db';
import { listOrderLines, listOrderPayments } from '@/db/queries/orders';
import { approvalExpiryHours, getLimits, lockAgentLimits, usedToday } from '@/db/queries/policy';
import { getOrderFigures } from '@/db/queries/refundable';
import { findRefundByRequestKey, insertRefundLines, lockOrder } from '@/db/queries/refunds';
import { isUniqueViolation } from '@/db/sql';
import type { RefundStatus } from '@/db/schema';
import { appendAudit, type AuditContext } from '@/lib/audit';
import { SafeError } from '@/lib/errors';
import { enqueueJob } from '@/lib/jobs/kinds';
import { formatMoney } from '@/lib/money';
import { providerProfile } from '@/lib/providers/registry';
import { planRefund } from './allocation';
import { capByPayments, paymentRemaining } from './figures';
import { admit, isFinal } from './lifecycle';
import { kickSubmission, type ClientFor } from './pipeline';
import { blockParams, refundBlock } from './blockers';
import { APPROVAL_REASON_TEXT, approvalReasons } from './approval-rules';
import type { CreateRefundInput } from './schemas';

export interface CreatedRefund {
  refundId: string;
  status: RefundStatus;
  /** Whether nothing more will happen to it (the lifecycle says; the form's live status stops polling). */
  final: boolean;
  /** True when this request key had already created the refund (double click, second tab, retry). */
  duplicate: boolean;
}

async function existingByKey(db: DbOrTx, requestKey: string): Promise<CreatedRefund | null> {
  const row = await findRefundByRequestKey(db, requestKey);
  return row ? { refundId: row.id, status: row.status, final: isFinal(row.status), duplicate: true } : null;
}

/** The database's reservation guard refused the write: it would hold more than is refundable. */
export function isRefundGuard(error: unknown) {
  const inner = ((error as { cause?: unknown }).cause ?? error) as { code?: string; message?: string };
  return inner.code === '23514' && /refundable/.test(inner.message ?? '');
}

/**
 * Creates a refund request (PRODUCT.md §3). In one transaction, under a lock on the order row:
 * compute what is still refundable, check the request against it and against what the provider
 * can do, insert the refund and its lines (which reserves the money — database triggers refuse
 * anything above what was paid), decide between `approved` and `pending_approval`, audit it, and
 * queue the submission. The request key makes a repeated submit return the same refund.
 */
export async function createRefund(
  db: Db,
  actor: { id: string },
  audit: AuditContext,
  input: CreateRefundInput,
  /** Where to send an approved refund right after commit; without it, the queued job sends it. */
  send?: ClientFor,
): Promise<CreatedRefund> {
  const created = await insertRefundRequest(db, actor, audit, input);
  if (send && created.status === 'approved' && !created.duplicate) kickSubmission(db, created.refundId, send, audit);
  return created;
}

async function insertRefundRequest(
  db: Db,
  actor: { id: string },
  audit: AuditContext,
  input: CreateRefundInput,
): Promise<CreatedRefund> {
  const earlier = await existingByKey(db, input.requestKey);
  if (earlier) return earlier;
  try {
    return await db.transaction(async (tx) => {
      const order = await lockOrder(tx, input.orderId);
      if (!order) throw new SafeError('That order does not exist.', 'order_not_found');
      // A repeat that waited for this lock sees the first submit's refund now: return it, rather
      // than a refusal computed from the money that refund has just reserved.
      const raced = await existingByKey(tx, input.requestKey);
      if (raced) return raced;
      const blocker = await refundBlock(tx, order);
      if (blocker) throw new SafeError(blocker.message, 'order_not_refundable', undefined, blockParams(blocker));

      const [lines, payments, rawFigures] = await Promise.all([
        listOrderLines(tx, order.id),
        listOrderPayments(tx, order.id),
        getOrderFigures(tx, order.id),
      ]);
      const figures = capByPayments(order, lines, payments, rawFigures);
      const planned = planRefund(order, lines, figures.lines, payments, input.lines, input.paymentRef);
      if (!planned.ok)
        throw new SafeError('The refund does not fit what is left on the order.', 'over_refund', planned.fieldErrors);

      // A payment with money refunded from it outside Refund Desk gives back no more than it holds.
      const { remaining } = paymentRemaining(order, lines, payments, figures);
      const short = planned.plan.allocations.find((a) => a.payment && (remaining.get(a.payment.id) ?? Infinity) < a.amountMinor);
      if (short) {
        throw new SafeError(
          `Only ${formatMoney(remaining.get(short.payment!.id)!, order.currency)} is left on the ${short.tender.replace(/_/g, ' ')} payment: some of it was refunded at the provider outside Refund Desk.`,
          'over_refund',
        );
      }

      const total = input.lines.reduce((sum, l) => sum + l.amountMinor, 0);
      if (total > figures.refundableMinor) {
        throw new SafeError(
          `Only ${formatMoney(figures.refundableMinor, order.currency)} is left to refund on this order.`,
          'over_refund',
        );
      }
      if (total !== input.confirmedTotalMinor) {
        throw new SafeError('The total changed since you confirmed it. Check the amounts and confirm again.', 'total_changed');
      }

      // One agent's requests in one currency pass the limit check one at a time.
      await lockAgentLimits(tx, actor.id, order.currency);
      const [limits, used, expiryHours] = await Promise.all([
        getLimits(tx, actor.id, order.currency),
        usedToday(tx, actor.id, order.currency),
        approvalExpiryHours(tx),
      ]);
      const reasons = approvalReasons(total, limits, used);
      const status: RefundStatus = reasons.length ? 'pending_approval' : 'approved';
      const refundId = await admit(
        tx,
        {
          orderId: order.id,
          requestKey: input.requestKey,
          currency: order.currency,
          amountMinor: total,
          requestedBy: actor.id,
          note: input.note || null,
          statusReason: reasons.length
            ? `Needs a manager's approval: ${reasons.map((r) => APPROVAL_REASON_TEXT[r]).join(', ')}.`
            : null,
          expiresAt: reasons.length ? new Date(Date.now() + expiryHours * 3_600_000) : null,
          // The capture or charge the agent chose, where the provider lets them choose.
          paymentRef: providerProfile(order.provider).choosesPayment(order.kind)
            ? (planned.plan.payment?.providerPaymentRef ?? null)
            : null,
        },
        status,
      );
      await insertRefundLines(
        tx,
        input.lines.map((l) => ({
          refundId,
          orderLineId: l.orderLineId,
          quantity: l.quantity,
          amountMinor: l.amountMinor,
          reason: l.reason,
          reasonNote: l.reasonNote || null,
        })),
      );
      await appendAudit(tx, audit, {
        action: 'refund.requested',
        entityType: 'refund',
        entityId: refundId,
        after: {
          orderId: order.id,
          orderNumber: order.orderNumber,
          amountMinor: total,
          currency: order.currency,
          lines: input.lines,
          status,
          approvalReasons: reasons,
          allocations: planned.plan.allocations.map((a) => ({
            tender: a.tender,
            amountMinor: a.amountMinor,
            paymentRef: a.payment?.providerPaymentRef ?? null,
          })),
        },
      });
      if (status === 'approved') await enqueueJob(tx, 'refund.submit', { refundId });
      return { refundId, status, final: false, duplicate: false };
    });
  } catch (error) {
    if (isUniqueViolation(error, 'request_key')) {
      const winner = await existingByKey(db, input.requestKey);
      if (winner) return winner;
    }
    if (isRefundGuard(error)) {
      throw new SafeError(
        'Another refund on this order was just made: less is left to refund now. Reload and try again.',
        'over_refund',
      );
    }
    throw error;
  }
}
