import { and, desc, eq, ne } from 'drizzle-orm';
import type { Db } from '@/db';
import { orderPayments, orders, providerRefunds, refunds, submissions, type RefundStatus } from '@/db/schema';
import { appendAudit, type AuditContext } from '@/lib/audit';
import { SafeError } from '@/lib/errors';
import { enqueue } from '@/lib/jobs/queue';
import type { FrontpaymentClient } from '@/lib/providers/frontpayment/client';
import type { RefundRequest } from '@/lib/providers/types';
import { type ClientFor, POLL_REFUND_JOB } from './pipeline';

/** Frontpayment's threshold rejections, which its approval endpoint can overrule (frontpayment.md §5). */
export const FRONTPAYMENT_THRESHOLD_CODES = [
  'refundRejectionForRequestAmountThresholdExceed',
  'refundRejectionForWeeklyThresholdExceed',
];

/**
 * Sends a refund that Frontpayment refused for its thresholds to Frontpayment's approval endpoint.
 * The refund holds its money again (re-checked under the order lock: the database refuses it if
 * that is no longer possible), the request is written down before it is sent, and the refund waits
 * in `processing` until the order's refundedAmount shows Frontpayment applied it.
 */
export async function requestProviderApproval(
  db: Db,
  audit: AuditContext,
  refundId: string,
  clientFor: ClientFor,
): Promise<RefundStatus> {
  const prepared = await db.transaction(async (tx) => {
    const [row] = await tx
      .select({ refund: refunds, order: orders })
      .from(refunds)
      .innerJoin(orders, eq(orders.id, refunds.orderId))
      .where(eq(refunds.id, refundId));
    if (!row) throw new SafeError('That refund does not exist.', 'not_found');
    await tx.select({ id: orders.id }).from(orders).where(eq(orders.id, row.order.id)).for('update');
    const [refund] = await tx.select().from(refunds).where(eq(refunds.id, refundId)).for('update');
    if (
      row.order.provider !== 'frontpayment' ||
      refund!.status !== 'failed' ||
      !FRONTPAYMENT_THRESHOLD_CODES.includes(refund!.providerErrorCode ?? '')
    ) {
      throw new SafeError('Only a Frontpayment refund refused for its limits can be sent for approval.', 'not_eligible');
    }
    const [other] = await tx
      .select({ id: refunds.id })
      .from(refunds)
      .where(and(eq(refunds.orderId, row.order.id), ne(refunds.id, refundId), eq(refunds.status, 'processing')))
      .limit(1);
    if (other)
      throw new SafeError('Another refund on this order is still being processed. Try again when it has settled.', 'order_busy');
    const [last] = await tx
      .select()
      .from(submissions)
      .where(eq(submissions.refundId, refundId))
      .orderBy(desc(submissions.attempt))
      .limit(1);
    const request = { ...(last!.requestBody as RefundRequest), approvalRequested: true };
    try {
      await tx
        .update(refunds)
        .set({
          status: 'processing',
          statusReason: 'Sent to Frontpayment for approval. Waiting for Frontpayment to decide.',
          completedAt: null,
        })
        .where(eq(refunds.id, refundId));
    } catch {
      throw new SafeError(
        'Less is left to refund on this order than this refund needs, so it cannot be sent for approval.',
        'over_refund',
      );
    }
    const [submission] = await tx
      .insert(submissions)
      .values({
        refundId,
        attempt: last!.attempt + 1,
        idempotencyKey: last!.idempotencyKey,
        requestBody: request,
        baselineRefundedMinor: last!.baselineRefundedMinor,
      })
      .returning({ id: submissions.id });
    await appendAudit(tx, audit, {
      action: 'refund.provider_approval_requested',
      entityType: 'refund',
      entityId: refundId,
      before: { status: 'failed', providerErrorCode: refund!.providerErrorCode },
      after: { status: 'processing' },
    });
    return { request, submissionId: submission!.id, code: refund!.providerErrorCode!, orderId: row.order.id };
  });

  const client = clientFor('frontpayment') as FrontpaymentClient;
  const result = await client.requestRefundApproval(prepared.request, prepared.code);
  return db.transaction(async (tx) => {
    await tx
      .update(submissions)
      .set({
        outcome: result.ok ? 'accepted' : 'rejected',
        responseStatus: result.exchange.status,
        responseBody: { body: result.exchange.responseBody, sent: result.exchange.requestBody, url: result.exchange.url },
        errorCode: result.ok ? null : result.code,
        completedAt: new Date(),
      })
      .where(eq(submissions.id, prepared.submissionId));
    if (!result.ok) {
      await tx
        .update(refunds)
        .set({ status: 'failed', statusReason: result.message, providerErrorCode: result.code, completedAt: new Date() })
        .where(eq(refunds.id, refundId));
      await appendAudit(tx, audit, {
        action: 'refund.status_changed',
        entityType: 'refund',
        entityId: refundId,
        before: { status: 'processing' },
        after: { status: 'failed', providerErrorCode: result.code },
        outcome: 'failure',
      });
      return 'failed';
    }
    const payments = await tx.select().from(orderPayments).where(eq(orderPayments.orderId, prepared.orderId));
    const payment = prepared.request.reservation
      ? payments.find((p) => p.providerPaymentRef === prepared.request.reservation!.reference)
      : payments[0];
    await tx.insert(providerRefunds).values({
      refundId,
      provider: 'frontpayment',
      paymentId: payment?.id ?? null,
      tender: payment?.tender ?? 'regular',
      amountMinor: prepared.request.totalMinor,
      status: 'processing',
    });
    await enqueue(
      tx,
      POLL_REFUND_JOB,
      { refundId },
      { dedupeKey: `poll:${refundId}`, runAt: new Date(Date.now() + 5_000), maxAttempts: 500 },
    );
    return 'processing';
  });
}
