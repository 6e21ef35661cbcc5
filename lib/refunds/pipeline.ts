import { and, desc, eq, inArray, ne } from 'drizzle-orm';
import type { Db, Tx } from '@/db';
import { orderPayments, orders, providerRefunds, refunds, submissions, type Provider, type RefundStatus } from '@/db/schema';
import { appendAudit, SYSTEM_CONTEXT, type AuditContext } from '@/lib/audit';
import { enqueue } from '@/lib/jobs/queue';
import { RetryLater } from '@/lib/jobs/worker';
import type { ProviderClient, RefundRequest, SubmitResult } from '@/lib/providers/types';
import { settledStatus } from './provider-status';
import { buildRefundRequest, loadRefundForSubmission } from './request';

export type ClientFor = (provider: Provider) => ProviderClient;

export const POLL_REFUND_JOB = 'refund.poll';
export const RECONCILE_REFUND_JOB = 'refund.reconcile';

/** What an agent reads when the outcome is not known. */
export const UNKNOWN_OUTCOME_TEXT =
  'We could not confirm whether the provider made this refund (no answer in time). It is being checked automatically; nothing will be sent again until we know.';

async function setStatus(
  tx: Tx,
  audit: AuditContext,
  refundId: string,
  from: RefundStatus,
  to: RefundStatus,
  extra: Partial<typeof refunds.$inferInsert> = {},
) {
  const [row] = await tx
    .update(refunds)
    .set({ status: to, ...extra })
    .where(and(eq(refunds.id, refundId), eq(refunds.status, from)))
    .returning({ id: refunds.id });
  if (row)
    await appendAudit(tx, audit, {
      action: 'refund.status_changed',
      entityType: 'refund',
      entityId: refundId,
      before: { status: from },
      after: { status: to, ...pickReason(extra) },
    });
  return Boolean(row);
}

const pickReason = (extra: Partial<typeof refunds.$inferInsert>) =>
  Object.fromEntries(
    Object.entries({ statusReason: extra.statusReason, providerErrorCode: extra.providerErrorCode }).filter(
      ([, v]) => v !== undefined,
    ),
  );

/**
 * Sends an approved refund to its provider (PRODUCT.md §3). Exactly one caller wins the move from
 * `approved` to `submitting`; the submission row (attempt, idempotency key, request body, and for
 * Frontpayment the order's refundedAmount before the attempt) is committed before the HTTP call,
 * and the outcome is committed after it. Returns the refund's new status, or null if another
 * caller had already taken it.
 */
export async function submitApprovedRefund(
  db: Db,
  refundId: string,
  clientFor: ClientFor,
  audit: AuditContext = SYSTEM_CONTEXT,
): Promise<RefundStatus | null> {
  const claimed = await db.transaction(async (tx) => {
    const [row] = await tx
      .select({ orderId: refunds.orderId, status: refunds.status, provider: orders.provider })
      .from(refunds)
      .innerJoin(orders, eq(orders.id, refunds.orderId))
      .where(eq(refunds.id, refundId));
    if (row?.status !== 'approved') return false;
    if (row.provider === 'frontpayment') {
      // One refund in flight per Frontpayment order (blockers.ts): one approved by a manager while
      // another was in flight would be sent too, and either one's settling read as the other's.
      await tx.select({ id: orders.id }).from(orders).where(eq(orders.id, row.orderId)).for('update');
      const [busy] = await tx
        .select({ id: refunds.id })
        .from(refunds)
        .where(
          and(
            eq(refunds.orderId, row.orderId),
            ne(refunds.id, refundId),
            inArray(refunds.status, ['submitting', 'processing', 'outcome_unknown']),
          ),
        )
        .limit(1);
      if (busy) return 'busy' as const;
    }
    return setStatus(tx, audit, refundId, 'approved', 'submitting', { submittedAt: new Date() });
  });
  if (claimed === 'busy')
    throw new RetryLater(
      'Another refund on this order is still in flight at Frontpayment; this one is sent once it has settled.',
    );
  if (!claimed) return null;
  const loaded = (await loadRefundForSubmission(db, refundId))!;
  const payments = await db.select().from(orderPayments).where(eq(orderPayments.orderId, loaded.order.id));
  const client = clientFor(loaded.order.provider);
  const request = buildRefundRequest(loaded, payments);

  // Frontpayment has no refund id: what the order's refundedAmount was before tells what happened after.
  let baseline: number | null = null;
  if (loaded.order.provider === 'frontpayment') {
    const before = await client.getRefundStatus({ providerRef: loaded.order.providerRef });
    if (before.kind !== 'order_totals') {
      // Nothing was sent: give it back to the queue.
      await db.transaction((tx) => setStatus(tx, audit, refundId, 'submitting', 'approved'));
      throw new Error(
        `could not read ${loaded.order.providerRef} before submitting: ${before.kind === 'error' ? before.code : before.kind}`,
      );
    }
    baseline = before.refundedMinor;
  }

  const [previous] = await db
    .select({ attempt: submissions.attempt })
    .from(submissions)
    .where(eq(submissions.refundId, refundId))
    .orderBy(desc(submissions.attempt))
    .limit(1);
  const [submission] = await db
    .insert(submissions)
    .values({
      refundId,
      attempt: (previous?.attempt ?? 0) + 1,
      idempotencyKey: request.idempotencyKey,
      requestBody: request,
      baselineRefundedMinor: baseline,
    })
    .returning({ id: submissions.id });

  const result = await client.submitRefund(request);
  return recordSubmitResult(db, audit, {
    refundId,
    submissionId: submission!.id,
    from: 'submitting',
    provider: loaded.order.provider,
    request,
    payments,
    result,
  });
}

/**
 * Writes what the provider answered and moves the refund on: accepted → processing (or final if
 * the provider already says so), rejected → failed with the reason in plain words (which frees the
 * reserved amount), unknown → outcome_unknown and a reconciliation job. Never `failed` for a
 * timeout: the money may have moved.
 */
export async function recordSubmitResult(
  db: Db,
  audit: AuditContext,
  input: {
    refundId: string;
    submissionId: string;
    from: RefundStatus;
    provider: Provider;
    request: RefundRequest;
    payments: (typeof orderPayments.$inferSelect)[];
    result: SubmitResult;
  },
): Promise<RefundStatus> {
  const { refundId, result } = input;
  return db.transaction(async (tx) => {
    const outcome = result.kind === 'accepted' ? 'accepted' : result.kind === 'rejected' ? 'rejected' : 'unknown';
    await tx
      .update(submissions)
      .set({
        outcome,
        responseStatus: result.exchange.status,
        responseBody: {
          body: result.exchange.responseBody,
          sent: result.exchange.requestBody,
          url: result.exchange.url,
          durationMs: result.exchange.durationMs,
        },
        errorCode: result.kind === 'rejected' ? result.code : result.kind === 'unknown' ? result.reason : null,
        completedAt: new Date(),
      })
      .where(eq(submissions.id, input.submissionId));

    if (result.kind === 'rejected') {
      await setStatus(tx, audit, refundId, input.from, 'failed', {
        statusReason: result.message,
        providerErrorCode: result.code,
        completedAt: new Date(),
      });
      return 'failed';
    }
    if (result.kind === 'unknown') {
      await setStatus(tx, audit, refundId, input.from, 'outcome_unknown', {
        statusReason: UNKNOWN_OUTCOME_TEXT,
        providerErrorCode: result.reason,
      });
      await enqueue(
        tx,
        RECONCILE_REFUND_JOB,
        { refundId },
        { dedupeKey: `reconcile:${refundId}`, runAt: new Date(Date.now() + 5_000), maxAttempts: 40 },
      );
      return 'outcome_unknown';
    }

    await recordProviderRefunds(tx, input.provider, refundId, input.request, input.payments, result.refunds);
    const parts = await tx
      .select({ status: providerRefunds.status })
      .from(providerRefunds)
      .where(eq(providerRefunds.refundId, refundId));
    const next = settledStatus(parts) ?? 'processing';
    await setStatus(tx, audit, refundId, input.from, next, {
      statusReason: null,
      providerErrorCode: null,
      ...(next !== 'processing' ? { completedAt: new Date() } : {}),
    });
    if (next === 'processing')
      await enqueue(
        tx,
        POLL_REFUND_JOB,
        { refundId },
        { dedupeKey: `poll:${refundId}`, runAt: new Date(Date.now() + 2_000), maxAttempts: 60 },
      );
    return next;
  });
}

/** One row per provider refund object (Forage), or one for the whole request (Frontpayment has none). */
export async function recordProviderRefunds(
  tx: Tx,
  provider: Provider,
  refundId: string,
  request: RefundRequest,
  payments: (typeof orderPayments.$inferSelect)[],
  objects: Extract<SubmitResult, { kind: 'accepted' }>['refunds'],
) {
  if (provider === 'frontpayment') {
    const payment = request.reservation
      ? payments.find((p) => p.providerPaymentRef === request.reservation!.reference)
      : payments[0];
    await tx.insert(providerRefunds).values({
      refundId,
      provider,
      providerRefundRef: null,
      paymentId: payment?.id ?? null,
      tender: payment?.tender ?? (request.kind === 'invoiced' ? 'invoiced' : 'regular'),
      amountMinor: request.totalMinor,
      status: 'processing',
    });
    return;
  }
  for (const object of objects) {
    const payment = payments.find((p) => p.providerPaymentRef === object.paymentRef);
    await tx
      .insert(providerRefunds)
      .values({
        refundId,
        provider,
        providerRefundRef: object.ref,
        paymentId: payment?.id ?? null,
        tender: object.tender ?? payment?.tender ?? 'credit_tpp',
        amountMinor: object.amountMinor,
        status: object.status,
        lastError: object.lastError,
        raw: object.raw as object,
        providerUpdatedAt: object.updatedAt,
      })
      .onConflictDoNothing();
  }
}
