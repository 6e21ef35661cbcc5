import { and, asc, desc, eq, inArray, lt } from 'drizzle-orm';
import type { Db } from '@/db';
import { orderPayments, orders, providerRefunds, refunds, submissions } from '@/db/schema';
import { appendAudit, SYSTEM_CONTEXT } from '@/lib/audit';
import { enqueue } from '@/lib/jobs/queue';
import { RetryLater } from '@/lib/jobs/worker';
import type { RefundRequest } from '@/lib/providers/types';
import { type ClientFor, POLL_REFUND_JOB, RECONCILE_REFUND_JOB, recordSubmitResult } from './pipeline';
import { applyProviderRefundStatus } from './provider-status';
import { SUBMIT_REFUND_JOB } from './service';

/** How long Frontpayment may take to apply an accepted refund before we stop assuming it will. */
const FRONTPAYMENT_SETTLE_WINDOW_MS = Number(process.env.FRONTPAYMENT_SETTLE_WINDOW_MS || 15 * 60_000);
/** Forage idempotency keys are reused only within this time (forage.md §9). */
const FORAGE_KEY_LIFETIME_MS = Number(process.env.FORAGE_IDEMPOTENCY_LIFETIME_MS || 10 * 60_000);

/** A refund sent to Frontpayment's approval endpoint waits for a person there: days, not minutes. */
function settleWindow(requestBody: unknown) {
  return (requestBody as { approvalRequested?: boolean }).approvalRequested ? 7 * 86_400_000 : FRONTPAYMENT_SETTLE_WINDOW_MS;
}

async function load(db: Db, refundId: string) {
  const [row] = await db
    .select({ refund: refunds, order: orders })
    .from(refunds)
    .innerJoin(orders, eq(orders.id, refunds.orderId))
    .where(eq(refunds.id, refundId));
  const [submission] = await db
    .select()
    .from(submissions)
    .where(eq(submissions.refundId, refundId))
    .orderBy(desc(submissions.attempt))
    .limit(1);
  return row ? { ...row, submission } : null;
}

/**
 * Follows a `processing` refund until the money has moved (PRODUCT.md §3: status follows the money).
 * Forage: each refund object's status. Frontpayment: the order's refundedAmount grew by the amount.
 * Throws RetryLater while it is still in flight, so the job runs again with backoff.
 */
export async function pollRefund(db: Db, refundId: string, clientFor: ClientFor) {
  const found = await load(db, refundId);
  if (!found || found.refund.status !== 'processing') return;
  const { refund, order, submission } = found;
  const client = clientFor(order.provider);
  const parts = await db.select().from(providerRefunds).where(eq(providerRefunds.refundId, refundId));

  if (order.provider === 'forage') {
    const remote = await client.getRefundStatus({ providerRef: order.providerRef });
    if (remote.kind !== 'refunds') throw new RetryLater(`Forage status unavailable: ${remote.kind}`);
    for (const part of parts) {
      const match = remote.refunds.find((r) => r.ref === part.providerRefundRef);
      if (!match) continue;
      await db.transaction((tx) =>
        applyProviderRefundStatus(tx, SYSTEM_CONTEXT, part, {
          status: match.status,
          updatedAt: match.updatedAt,
          lastError: match.lastError,
          raw: match.raw,
        }),
      );
    }
  } else {
    const totals = await client.getRefundStatus({ providerRef: order.providerRef });
    if (totals.kind !== 'order_totals') throw new RetryLater('Frontpayment status unavailable');
    const baseline = submission?.baselineRefundedMinor ?? 0;
    if (totals.refundedMinor - baseline >= refund.amountMinor) {
      for (const part of parts) {
        await db.transaction((tx) =>
          applyProviderRefundStatus(tx, SYSTEM_CONTEXT, part, { status: 'succeeded', updatedAt: new Date() }),
        );
      }
    } else if (submission && Date.now() - submission.createdAt.getTime() > settleWindow(submission.requestBody)) {
      // frontpayment.md §7: a late failure leaves the order unchanged.
      for (const part of parts) {
        await db.transaction((tx) =>
          applyProviderRefundStatus(tx, SYSTEM_CONTEXT, part, {
            status: 'failed',
            updatedAt: new Date(),
            lastError: 'Frontpayment accepted the refund but did not apply it.',
          }),
        );
      }
    }
  }
  const [after] = await db.select({ status: refunds.status }).from(refunds).where(eq(refunds.id, refundId));
  if (after?.status === 'processing') throw new RetryLater('still processing');
}

/**
 * Resolves `outcome_unknown` (PRODUCT.md §3). Forage: retry with the same Idempotency-Key while it
 * is valid — Forage replays the original answer, never a second refund — and after that, look for
 * the refund among the order's refunds before concluding anything. Frontpayment: never re-send;
 * compare the order's refundedAmount with the value recorded before the attempt.
 */
export async function reconcileRefund(db: Db, refundId: string, clientFor: ClientFor) {
  const found = await load(db, refundId);
  if (!found || found.refund.status !== 'outcome_unknown' || !found.submission) return;
  const { refund, order, submission } = found;
  const client = clientFor(order.provider);
  const request = submission.requestBody as RefundRequest;
  const payments = await db.select().from(orderPayments).where(eq(orderPayments.orderId, order.id));
  const age = Date.now() - submission.createdAt.getTime();

  if (order.provider === 'forage') {
    // The key's lifetime runs from its first use, not from the latest retry: a retry made after
    // Forage forgot the key would be a new refund.
    const [first] = await db
      .select({ createdAt: submissions.createdAt })
      .from(submissions)
      .where(and(eq(submissions.refundId, refundId), eq(submissions.idempotencyKey, submission.idempotencyKey)))
      .orderBy(asc(submissions.attempt))
      .limit(1);
    if (Date.now() - (first ?? submission).createdAt.getTime() < FORAGE_KEY_LIFETIME_MS) {
      // A new attempt row, the same key: written down before the call like every attempt.
      const [retry] = await db
        .insert(submissions)
        .values({ refundId, attempt: submission.attempt + 1, idempotencyKey: submission.idempotencyKey, requestBody: request })
        .returning({ id: submissions.id });
      const result = await client.submitRefund(request);
      if (result.kind === 'unknown') {
        await db
          .update(submissions)
          .set({ outcome: 'unknown', errorCode: result.reason, completedAt: new Date() })
          .where(eq(submissions.id, retry!.id));
        throw new RetryLater('Forage still unreachable');
      }
      await recordSubmitResult(db, SYSTEM_CONTEXT, {
        refundId,
        submissionId: retry!.id,
        from: 'outcome_unknown',
        provider: 'forage',
        request,
        payments,
        result,
      });
      return;
    }
    const listed = await client.getRefundStatus({ providerRef: order.providerRef });
    if (listed.kind !== 'refunds') throw new RetryLater('Forage refunds unavailable');
    const ours = listed.refunds.filter((r) => (r.raw as { metadata?: { refund_id?: string } })?.metadata?.refund_id === refundId);
    const result = ours.length
      ? { kind: 'accepted' as const, refunds: ours, exchange: listed.exchange }
      : {
          kind: 'rejected' as const,
          code: 'not_found_at_provider',
          message: 'Forage has no record of this refund, so no money moved. Create a new refund if it is still owed.',
          retryable: false,
          exchange: listed.exchange,
        };
    await recordSubmitResult(db, SYSTEM_CONTEXT, {
      refundId,
      submissionId: submission.id,
      from: 'outcome_unknown',
      provider: 'forage',
      request,
      payments,
      result,
    });
    return;
  }

  const totals = await client.getRefundStatus({ providerRef: order.providerRef });
  if (totals.kind !== 'order_totals') throw new RetryLater('Frontpayment status unavailable');
  const grown = totals.refundedMinor - (submission.baselineRefundedMinor ?? 0);
  if (grown >= refund.amountMinor) {
    await recordSubmitResult(db, SYSTEM_CONTEXT, {
      refundId,
      submissionId: submission.id,
      from: 'outcome_unknown',
      provider: 'frontpayment',
      request,
      payments,
      result: { kind: 'accepted', refunds: [], exchange: totals.exchange },
    });
    const [part] = await db.select().from(providerRefunds).where(eq(providerRefunds.refundId, refundId));
    if (part)
      await db.transaction((tx) =>
        applyProviderRefundStatus(tx, SYSTEM_CONTEXT, part, { status: 'succeeded', updatedAt: new Date() }),
      );
    return;
  }
  if (age < FRONTPAYMENT_SETTLE_WINDOW_MS) throw new RetryLater('Frontpayment has not applied it yet');
  await recordSubmitResult(db, SYSTEM_CONTEXT, {
    refundId,
    submissionId: submission.id,
    from: 'outcome_unknown',
    provider: 'frontpayment',
    request,
    payments,
    result: {
      kind: 'rejected',
      code: 'not_applied',
      message: 'Frontpayment did not apply this refund: the order’s refunded amount did not change. No money moved.',
      retryable: false,
      exchange: totals.exchange,
    },
  });
}

/**
 * Finds refunds left in `submitting` by a crash. Without a submission row nothing was sent: back to
 * `approved` and queued again. With one, the call may have gone out: `outcome_unknown`, reconciled.
 */
export async function recoverStuckSubmissions(db: Db, olderThanMs = 60_000) {
  const stuck = await db
    .select({ id: refunds.id })
    .from(refunds)
    .where(and(eq(refunds.status, 'submitting'), lt(refunds.updatedAt, new Date(Date.now() - olderThanMs))));
  for (const { id } of stuck) {
    await db.transaction(async (tx) => {
      const [pending] = await tx
        .select({ id: submissions.id })
        .from(submissions)
        .where(and(eq(submissions.refundId, id), inArray(submissions.outcome, ['pending'])))
        .limit(1);
      const to = pending ? 'outcome_unknown' : 'approved';
      const [moved] = await tx
        .update(refunds)
        .set({
          status: to,
          statusReason: pending ? 'The app stopped while sending this refund. Checking with the provider.' : null,
        })
        .where(and(eq(refunds.id, id), eq(refunds.status, 'submitting')))
        .returning({ id: refunds.id });
      if (!moved) return;
      if (pending)
        await tx
          .update(submissions)
          .set({ outcome: 'unknown', errorCode: 'interrupted', completedAt: new Date() })
          .where(eq(submissions.id, pending.id));
      await appendAudit(tx, SYSTEM_CONTEXT, {
        action: 'refund.recovered',
        entityType: 'refund',
        entityId: id,
        before: { status: 'submitting' },
        after: { status: to },
      });
      await enqueue(
        tx,
        pending ? RECONCILE_REFUND_JOB : SUBMIT_REFUND_JOB,
        { refundId: id },
        { dedupeKey: `${pending ? 'reconcile' : 'submit'}:${id}` },
      );
    });
  }
  return stuck.length;
}

export { POLL_REFUND_JOB, RECONCILE_REFUND_JOB };
