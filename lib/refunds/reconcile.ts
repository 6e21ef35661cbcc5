import type { Db, DbOrTx } from '@/db';
import { listProviderRefunds } from '@/db/queries/provider-refunds';
import { getRefundWithOrder, listRefundIdsStuckIn, listRefundIdsWithoutLiveJob } from '@/db/queries/refunds';
import {
  firstSubmissionWithKey,
  insertProviderCheck,
  insertSubmission,
  lastCheckOf,
  latestSubmission,
  recordSubmissionAnswer,
  unansweredSubmission,
} from '@/db/queries/submissions';
import type { Submission } from '@/db/schema';
import { SYSTEM_CONTEXT } from '@/lib/audit';
import { crashPoint } from '@/lib/jobs/crash-points';
import { enqueueJob } from '@/lib/jobs/kinds';
import { RetryLater } from '@/lib/jobs/worker';
import { formatMoney } from '@/lib/money';
import type { Exchange, ProviderClient, RefundRequest, StatusRead } from '@/lib/providers/types';
import { findingSentence } from './findings';
import { transition } from './lifecycle';
import { acceptRefunds, answerOf, recordAnswer, type ClientFor } from './pipeline';
import { applyProviderRefundStatus } from './provider-status';
import { loadRefundForSubmission, type LoadedRefund } from './request';

/**
 * Settling what was sent. Each status read made to settle an attempt is recorded as a check on it
 * (the HTTP exchange and what it showed), and so is the conclusion; the attempt keeps the
 * provider's own answer. Nothing here rewrites an earlier record.
 */

type Read = Extract<StatusRead, { ok: true }>;

async function readOrRetry(client: ProviderClient, loaded: LoadedRefund): Promise<Read> {
  const read = await client.readStatus(loaded.order.providerRef);
  if (!read.ok) throw new RetryLater(`${client.profile.label} status unavailable: ${read.code}`);
  return read;
}

/**
 * What a read of the order's refunded total says about an attempt: whether it grew by the refund's
 * amount since before the attempt, and the finding in words. Where the provider reports no total
 * (or none was read before the attempt), the read proves nothing either way.
 */
function judgeByTotal(read: Read, submission: Submission, loaded: LoadedRefund, label: string) {
  if (read.refundedMinor === null || submission.baselineRefundedMinor === null) {
    return { applied: false, finding: findingSentence('noTotal', { provider: label }) };
  }
  const grown = read.refundedMinor - submission.baselineRefundedMinor;
  const currency = loaded.order.currency;
  const total = formatMoney(read.refundedMinor, currency);
  return {
    applied: grown >= loaded.refund.amountMinor,
    finding:
      grown === 0
        ? findingSentence('unchanged', { total })
        : findingSentence('grew', { amount: formatMoney(grown, currency), total }),
  };
}

/** Records a status read, unless the last check of this attempt found the same (a poll every few minutes). */
async function recordRead(tx: DbOrTx, refundId: string, submissionId: string, finding: string, exchange: Exchange) {
  const last = await lastCheckOf(tx, submissionId);
  if (last?.kind === 'status_read' && last.finding === finding) return;
  await insertProviderCheck(tx, { refundId, submissionId, kind: 'status_read', finding, exchange: { ...exchange } });
}

/**
 * Follows a `processing` refund until the money has moved (PRODUCT.md §3: status follows the money):
 * by each refund object's status where the provider has them, else by the order's refunded total.
 * Throws RetryLater while it is still in flight, so the job runs again with backoff.
 */
export async function pollRefund(db: Db, refundId: string, clientFor: ClientFor) {
  const loaded = await loadRefundForSubmission(db, refundId);
  if (!loaded || loaded.refund.status !== 'processing') return;
  const client = clientFor(loaded.order.provider);
  const [parts, submission, read] = await Promise.all([
    listProviderRefunds(db, refundId),
    latestSubmission(db, refundId),
    readOrRetry(client, loaded),
  ]);

  if (client.profile.capabilities.reconciliation === 'refund_objects') {
    for (const part of parts) {
      const match = read.refunds.find((r) => r.ref === part.providerRefundRef);
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
  } else if (submission) {
    const { applied, finding } = judgeByTotal(read, submission, loaded, client.profile.label);
    // Not applied yet is not "not applied": no timer decides that (frontpayment.md errata 7). It is
    // read again with backoff until the figures prove it, or a manager settles it by hand.
    if (applied) {
      await db.transaction(async (tx) => {
        await recordRead(tx, refundId, submission.id, finding, read.exchange);
        for (const part of parts) {
          await applyProviderRefundStatus(tx, SYSTEM_CONTEXT, part, { status: 'succeeded', updatedAt: new Date() });
        }
      });
    }
  }
  const after = await getRefundWithOrder(db, refundId);
  if (after?.refund.status === 'processing') throw new RetryLater('still processing');
}

/**
 * Resolves `outcome_unknown` (PRODUCT.md §3). Where the provider honours an idempotency key and it
 * is still valid, the attempt is repeated with the same key — the provider replays the original
 * answer, never a second refund. Otherwise the provider is read: its refund objects made for this
 * refund, or how much the order's refunded total grew since before the attempt. Nothing new is sent
 * where there is no key.
 */
export async function reconcileRefund(db: Db, refundId: string, clientFor: ClientFor) {
  const loaded = await loadRefundForSubmission(db, refundId);
  const submission = await latestSubmission(db, refundId);
  if (!loaded || loaded.refund.status !== 'outcome_unknown' || !submission) return;
  const client = clientFor(loaded.order.provider);
  const { capabilities } = client.profile;
  const request = submission.requestBody as RefundRequest;

  if (capabilities.idempotentRetryWindowMs !== null) {
    // The key's lifetime runs from its first use, not from the latest retry: a retry made after
    // the provider forgot the key would be a new refund.
    const first = (await firstSubmissionWithKey(db, refundId, submission.idempotencyKey)) ?? submission;
    if (Date.now() - first.createdAt.getTime() < capabilities.idempotentRetryWindowMs) {
      // A new attempt with the same key, written down before the call like every attempt.
      const retry = await insertSubmission(db, {
        refundId,
        attempt: submission.attempt + 1,
        idempotencyKey: submission.idempotencyKey,
        requestBody: request,
        baselineRefundedMinor: null,
      });
      const result = await client.submitRefund(request);
      crashPoint('reconcile.before_commit');
      if (result.kind === 'unknown') {
        await recordSubmissionAnswer(db, retry.id, answerOf(result));
        throw new RetryLater(`${client.profile.label} still unreachable`);
      }
      await recordAnswer(db, SYSTEM_CONTEXT, {
        refundId,
        submissionId: retry.id,
        from: 'outcome_unknown',
        loaded,
        request,
        result,
      });
      await insertProviderCheck(db, {
        refundId,
        submissionId: retry.id,
        kind: 'conclusion',
        finding:
          result.kind === 'accepted' ? findingSentence('keyAnswered') : findingSentence('keyRefused', { code: result.code }),
      });
      return;
    }
  }

  const read = await readOrRetry(client, loaded);
  crashPoint('reconcile.before_commit');
  if (capabilities.reconciliation === 'refund_objects') {
    const ours = read.refunds.filter((r) => r.ourRefundId === refundId);
    await db.transaction(async (tx) => {
      await recordRead(
        tx,
        refundId,
        submission.id,
        ours.length
          ? `Status read: ${client.profile.label} lists ${ours.length} refund${ours.length === 1 ? '' : 's'} made for this refund`
          : `Status read: ${client.profile.label} lists no refund made for this refund`,
        read.exchange,
      );
      await conclude(tx, refundId, submission.id, ours.length > 0, client.profile.label);
      if (ours.length) {
        await acceptRefunds(tx, SYSTEM_CONTEXT, {
          refundId,
          from: 'outcome_unknown',
          by: 'reconciler',
          loaded,
          request,
          objects: ours,
        });
      } else {
        await transition(tx, SYSTEM_CONTEXT, {
          refundId,
          from: 'outcome_unknown',
          to: 'failed',
          by: 'reconciler',
          statusReason: `${client.profile.label} has no record of this refund, so no money moved. Create a new refund if it is still owed.`,
          providerErrorCode: 'not_found_at_provider',
        });
      }
    });
    return;
  }

  const { applied, finding } = judgeByTotal(read, submission, loaded, client.profile.label);
  await db.transaction(async (tx) => {
    await recordRead(tx, refundId, submission.id, finding, read.exchange);
    if (!applied) return;
    await conclude(tx, refundId, submission.id, true, client.profile.label);
    await acceptRefunds(tx, SYSTEM_CONTEXT, {
      refundId,
      from: 'outcome_unknown',
      by: 'reconciler',
      loaded,
      request,
      objects: [],
      appliedStatus: 'succeeded',
    });
  });
  // Never concluded from a timer (frontpayment.md errata 7): read again later, or settled by hand.
  if (!applied) throw new RetryLater(`${client.profile.label} has not shown it applied (yet)`);
}

function conclude(tx: DbOrTx, refundId: string, submissionId: string, applied: boolean, label: string) {
  return insertProviderCheck(tx, {
    refundId,
    submissionId,
    kind: 'conclusion',
    finding: applied ? findingSentence('applied', { provider: label }) : findingSentence('notApplied', { provider: label }),
  });
}

/**
 * Finds refunds left in `submitting` by a crash. Without an unanswered attempt nothing was sent:
 * back to `approved` and queued again. With one, the call may have gone out: `outcome_unknown`,
 * reconciled.
 */
export async function recoverStuckSubmissions(db: Db, olderThanMs = 60_000) {
  const stuck = await listRefundIdsStuckIn(db, 'submitting', new Date(Date.now() - olderThanMs));
  for (const { id } of stuck) {
    await db.transaction(async (tx) => {
      const pending = await unansweredSubmission(tx, id);
      const moved = await transition(tx, SYSTEM_CONTEXT, {
        refundId: id,
        from: 'submitting',
        to: pending ? 'outcome_unknown' : 'approved',
        by: 'recovery',
        action: 'refund.recovered',
        statusReason: pending ? 'The app stopped while sending this refund. Checking with the provider.' : null,
      });
      if (!moved) return;
      if (pending) {
        await recordSubmissionAnswer(tx, pending.id, {
          outcome: 'unknown',
          errorCode: 'interrupted',
          responseStatus: null,
          responseBody: null,
        });
        // The app's own crash, not a provider's slow answer: check now.
        await enqueueJob(tx, 'refund.reconcile', { refundId: id }, { runAt: new Date() });
      } else {
        await enqueueJob(tx, 'refund.submit', { refundId: id });
      }
    });
  }
  return stuck.length;
}

/**
 * Refunds at the provider are followed until their outcome is proven or settled by hand, however
 * long that takes: a poll or reconcile job whose attempts ran out is queued again (at the backoff's
 * longest delay), so nothing is left in flight with nobody watching it.
 */
export async function requeueUnfollowedRefunds(db: Db) {
  const later = new Date(Date.now() + 10 * 60_000);
  const polls = await listRefundIdsWithoutLiveJob(db, 'processing', 'poll:');
  const reconciles = await listRefundIdsWithoutLiveJob(db, 'outcome_unknown', 'reconcile:');
  for (const { id } of polls) await enqueueJob(db, 'refund.poll', { refundId: id }, { runAt: later });
  for (const { id } of reconciles) await enqueueJob(db, 'refund.reconcile', { refundId: id }, { runAt: later });
  return polls.length + reconciles.length;
}
