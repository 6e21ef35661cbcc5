import type { Db, Tx } from '@/db';
import { insertProviderRefunds, listProviderRefunds } from '@/db/queries/provider-refunds';
import { getRefundWithOrder, lockOrder, otherRefundOfOrderIn } from '@/db/queries/refunds';
import { insertSubmission, latestSubmission, recordSubmissionAnswer, type SubmissionAnswer } from '@/db/queries/submissions';
import type { Provider, RefundStatus } from '@/db/schema';
import { SYSTEM_CONTEXT, type AuditContext } from '@/lib/audit';
import { crashPoint } from '@/lib/jobs/crash-points';
import { enqueueJob } from '@/lib/jobs/kinds';
import { RetryLater } from '@/lib/jobs/worker';
import { isShuttingDown, trackWork } from '@/lib/deploy/shutdown';
import { log } from '@/lib/log';
import type { PaymentRow, ProviderClient, ProviderRefundInfo, RefundRequest, SubmitResult } from '@/lib/providers/types';
import { AT_PROVIDER_STATUSES, transition } from './lifecycle';
import { settledStatus } from './provider-status';
import { buildRefundRequest, loadRefundForSubmission, type LoadedRefund } from './request';

export type ClientFor = (provider: Provider) => ProviderClient;

/** What an agent reads when the outcome is not known, by what happened to the call. */
export const UNKNOWN_OUTCOME_TEXT: Record<'timeout' | 'network' | 'server_error', string> = {
  timeout:
    'We could not confirm whether the provider made this refund (no answer in time). It is being checked automatically; nothing will be sent again until we know.',
  network:
    'We could not confirm whether the provider made this refund (the connection dropped). It is being checked automatically; nothing will be sent again until we know.',
  server_error:
    'We could not confirm whether the provider made this refund (it answered with a server error, possibly after making it). It is being checked automatically; nothing will be sent again until we know.',
};

/**
 * Sends an approved refund to its provider (PRODUCT.md §3). Exactly one caller wins the move from
 * `approved` to `submitting`; the attempt (number, key, request body, and where the provider is
 * judged by its order total, that total before the attempt) is committed before the HTTP call,
 * and the answer after it. Returns the refund's new status, or null if another caller had
 * already taken it.
 */
export async function submitApprovedRefund(
  db: Db,
  refundId: string,
  clientFor: ClientFor,
  audit: AuditContext = SYSTEM_CONTEXT,
): Promise<RefundStatus | null> {
  const claimed = await db.transaction(async (tx) => {
    const row = await getRefundWithOrder(tx, refundId);
    if (row?.refund.status !== 'approved') return false;
    const profile = clientFor(row.order.provider).profile;
    if (profile.capabilities.reconciliation === 'order_totals') {
      // One refund at the provider per order (blockers.ts): one approved by a manager while another
      // was out would be sent too, and either one's settling read as the other's.
      await lockOrder(tx, row.order.id);
      if (await otherRefundOfOrderIn(tx, row.order.id, AT_PROVIDER_STATUSES, refundId)) return 'busy' as const;
    }
    return transition(tx, audit, { refundId, from: 'approved', to: 'submitting', by: 'sender' });
  });
  if (claimed === 'busy')
    throw new RetryLater(
      'Another refund on this order is still in flight at the provider; this one is sent once it has settled.',
    );
  if (!claimed) return null;
  crashPoint('submit.after_claim');
  const loaded = (await loadRefundForSubmission(db, refundId))!;
  const request = buildRefundRequest(loaded);
  if (loaded.refund.followUpOf) {
    // A follow-up asks the provider to approve what it refused for its limits (provider-approval.ts).
    const refused = await getRefundWithOrder(db, loaded.refund.followUpOf);
    request.approvalFor = refused?.refund.providerErrorCode ?? undefined;
  }
  return sendAttempt(db, audit, clientFor(loaded.order.provider), loaded, request);
}

/**
 * Sends an approved refund right after the transaction that approved it has committed, rather than
 * at the worker's next poll. The queued `refund.submit` job is the fallback, and only one of them
 * can move the refund from approved to submitting; a failure here is logged and left to the job.
 */
export function kickSubmission(db: Db, refundId: string, clientFor: ClientFor, audit: AuditContext) {
  // A stopping instance starts no provider call of its own: the job is already queued, and another
  // instance's worker sends it (lib/deploy/shutdown.ts). One started before is waited for.
  if (isShuttingDown()) return;
  void trackWork(
    submitApprovedRefund(db, refundId, clientFor, audit).catch((error: unknown) =>
      log.error({ err: error, refundId }, 'immediate submission failed; the job will retry'),
    ),
  );
}

/**
 * One attempt of a refund in `submitting`: the order total first where the provider is judged by
 * it, the attempt written down, the call (a refund, or an approval request when
 * `request.approvalFor` is set), and its answer recorded.
 */
async function sendAttempt(
  db: Db,
  audit: AuditContext,
  client: ProviderClient,
  loaded: LoadedRefund,
  request: RefundRequest,
): Promise<RefundStatus> {
  const refundId = loaded.refund.id;
  let baseline: number | null = null;
  if (client.profile.capabilities.reconciliation === 'order_totals') {
    const before = await client.readStatus(loaded.order.providerRef);
    if (!before.ok) {
      // Nothing was sent: give it back to the queue.
      await db.transaction((tx) => transition(tx, audit, { refundId, from: 'submitting', to: 'approved', by: 'sender' }));
      throw new Error(`could not read ${loaded.order.providerRef} before submitting: ${before.code}`);
    }
    // Some revisions of the status read carry no amounts (frontpayment.md errata 2): the refund
    // still goes out; its outcome is then read from what the provider does show, or settled by hand.
    baseline = before.refundedMinor;
  }
  const previous = await latestSubmission(db, refundId);
  const submission = await insertSubmission(db, {
    refundId,
    attempt: (previous?.attempt ?? 0) + 1,
    idempotencyKey: request.idempotencyKey,
    requestBody: request,
    baselineRefundedMinor: baseline,
  });
  crashPoint('submit.after_submission_row');
  const result = await callProvider(client, request);
  return recordAnswer(db, audit, { refundId, submissionId: submission.id, from: 'submitting', loaded, request, result });
}

async function callProvider(client: ProviderClient, request: RefundRequest): Promise<SubmitResult> {
  if (!request.approvalFor) return client.submitRefund(request);
  const answer = await client.requestApproval!(request, request.approvalFor);
  if (answer.ok) return { kind: 'accepted', refunds: [], exchange: answer.exchange };
  if (answer.code === 'timeout' || answer.code === 'network' || (answer.exchange.status ?? 0) >= 500) {
    return {
      kind: 'unknown',
      reason: answer.code === 'network' ? 'network' : 'timeout',
      detail: answer.message,
      exchange: answer.exchange,
    };
  }
  return { kind: 'rejected', code: answer.code, message: answer.message, retryable: false, exchange: answer.exchange };
}

/** What the provider answered, as stored on the attempt (secrets were stripped by the client). */
export function answerOf(result: SubmitResult): SubmissionAnswer {
  return {
    outcome: result.kind === 'accepted' ? 'accepted' : result.kind === 'rejected' ? 'rejected' : 'unknown',
    responseStatus: result.exchange.status,
    responseBody: {
      body: result.exchange.responseBody,
      sent: result.exchange.requestBody,
      url: result.exchange.url,
      durationMs: result.exchange.durationMs,
    },
    errorCode: result.kind === 'rejected' ? result.code : result.kind === 'unknown' ? result.reason : null,
  };
}

/**
 * Writes the provider's answer on its attempt (once) and moves the refund on: accepted →
 * processing (or final if the provider already says so), rejected → failed with the reason in
 * plain words (which frees the reserved amount), unknown → outcome_unknown and a reconciliation
 * job. Never `failed` for a timeout: the money may have moved.
 */
export async function recordAnswer(
  db: Db,
  audit: AuditContext,
  input: {
    refundId: string;
    submissionId: string;
    from: RefundStatus;
    loaded: LoadedRefund;
    request: RefundRequest;
    result: SubmitResult;
  },
): Promise<RefundStatus> {
  const { refundId, result, from } = input;
  const by = from === 'outcome_unknown' ? 'reconciler' : 'provider';
  return db.transaction(async (tx) => {
    await recordSubmissionAnswer(tx, input.submissionId, answerOf(result));
    if (result.kind === 'rejected') {
      await transition(tx, audit, {
        refundId,
        from,
        to: 'failed',
        by,
        statusReason: result.message,
        providerErrorCode: result.code,
      });
      return 'failed';
    }
    if (result.kind === 'unknown') {
      if (from !== 'outcome_unknown') {
        await transition(tx, audit, {
          refundId,
          from,
          to: 'outcome_unknown',
          by,
          statusReason: UNKNOWN_OUTCOME_TEXT[result.reason],
          providerErrorCode: result.reason,
        });
      }
      await enqueueJob(tx, 'refund.reconcile', { refundId });
      return 'outcome_unknown';
    }
    const next = await acceptRefunds(tx, audit, {
      refundId,
      from,
      by,
      loaded: input.loaded,
      request: input.request,
      objects: result.refunds,
    });
    return next;
  });
}

/**
 * The provider has the refund: its refund objects are stored (or, where it has none, one row per
 * payment the money goes back to), and the refund moves to what they say — `processing` (polled
 * until the money moved) or already final.
 */
export async function acceptRefunds(
  tx: Tx,
  audit: AuditContext,
  input: {
    refundId: string;
    from: RefundStatus;
    by: 'provider' | 'reconciler';
    loaded: LoadedRefund;
    request: RefundRequest;
    objects: ProviderRefundInfo[];
    /** Where the provider has no objects: the status its row starts in (a read may already show it applied). */
    appliedStatus?: 'processing' | 'succeeded';
  },
): Promise<RefundStatus> {
  await recordProviderRefunds(
    tx,
    input.refundId,
    input.loaded,
    input.request,
    input.objects,
    input.appliedStatus ?? 'processing',
  );
  const parts = await listProviderRefunds(tx, input.refundId);
  const next = settledStatus(parts) ?? 'processing';
  await transition(tx, audit, {
    refundId: input.refundId,
    from: input.from,
    to: next,
    by: input.by,
    statusReason: null,
    providerErrorCode: null,
  });
  if (next === 'processing') {
    const approval = Boolean(input.request.approvalFor);
    await enqueueJob(
      tx,
      'refund.poll',
      { refundId: input.refundId },
      approval ? { runAt: new Date(Date.now() + 5_000), maxAttempts: 500 } : {},
    );
  }
  return next;
}

export function recordProviderRefunds(
  tx: Tx,
  refundId: string,
  loaded: LoadedRefund,
  request: RefundRequest,
  objects: ProviderRefundInfo[],
  status: 'processing' | 'succeeded',
) {
  const provider = loaded.order.provider;
  const byRef = (ref: string | null) => loaded.payments.find((p) => p.providerPaymentRef === ref) ?? null;
  if (objects.length > 0) {
    return insertProviderRefunds(
      tx,
      objects.map((object) => {
        const payment = byRef(object.paymentRef);
        return {
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
        };
      }),
    );
  }
  // No refund objects at this provider (Frontpayment, frontpayment.md §3): one row per payment the
  // plan sends money back to, followed through the order's refunded total.
  const planned = loaded.order.provider ? planAllocations(loaded, request) : [];
  return insertProviderRefunds(
    tx,
    planned.map((a) => ({
      refundId,
      provider,
      providerRefundRef: null,
      paymentId: a.payment?.id ?? null,
      tender: a.tender,
      amountMinor: a.amountMinor,
      status,
      providerUpdatedAt: status === 'succeeded' ? new Date() : null,
    })),
  );
}

function planAllocations(
  loaded: LoadedRefund,
  request: RefundRequest,
): { payment: PaymentRow | null; tender: PaymentRow['tender']; amountMinor: number }[] {
  const payment = request.payment ? (loaded.payments.find((p) => p.providerPaymentRef === request.payment!.ref) ?? null) : null;
  const fallback = payment ?? loaded.payments[0] ?? null;
  return [
    {
      payment: fallback,
      tender: fallback?.tender ?? (request.kind === 'invoiced' ? 'invoiced' : 'regular'),
      amountMinor: request.totalMinor,
    },
  ];
}
