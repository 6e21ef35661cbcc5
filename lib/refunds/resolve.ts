import { z } from 'zod';
import type { Db } from '@/db';
import { listProviderRefunds, updateProviderRefund } from '@/db/queries/provider-refunds';
import { lockRefund } from '@/db/queries/refunds';
import { insertProviderCheck, latestSubmission } from '@/db/queries/submissions';
import type { RefundStatus } from '@/db/schema';
import type { AuditContext } from '@/lib/audit';
import { SafeError } from '@/lib/errors';
import type { RefundRequest } from '@/lib/providers/types';
import { findingSentence } from './findings';
import { transition } from './lifecycle';
import { recordProviderRefunds } from './pipeline';
import { loadRefundForSubmission } from './request';

/** Statuses a manager may settle by hand: the outcome is unknown, or the provider has not shown it applied. */
export const RESOLVABLE_STATUSES = ['outcome_unknown', 'processing'] as const satisfies readonly RefundStatus[];
export const canResolveByHand = (status: RefundStatus) => (RESOLVABLE_STATUSES as readonly RefundStatus[]).includes(status);

export const resolveByHandInput = z.object({
  refundId: z.uuid(),
  outcome: z.enum(['applied', 'not_applied'], { error: 'chooseSettleOutcome' }),
  note: z.string({ error: 'sayHowYouKnow' }).trim().min(1, 'sayHowYouKnow').max(1000, 'noteTooLong'),
});
export type ResolveByHandInput = z.infer<typeof resolveByHandInput>;

/**
 * Settles by hand a refund whose outcome the provider's figures cannot prove (frontpayment.md errata
 * 7: no timer decides that a refund was not applied; a late application after staff refunded again
 * pays the customer twice). A manager who did not request it (four eyes; the database refuses it
 * too) says what the provider shows, with a note: applied — the money moved — or not applied, which
 * frees the amount for a new refund. The conclusion is appended as a check and audited.
 */
export async function resolveByHand(db: Db, actor: { id: string }, audit: AuditContext, input: ResolveByHandInput) {
  return db.transaction(async (tx) => {
    const refund = await lockRefund(tx, input.refundId);
    if (!refund) throw new SafeError('That refund does not exist.', 'refund_not_found');
    if (!canResolveByHand(refund.status)) {
      throw new SafeError('Only a refund whose outcome is not known yet can be settled by hand.', 'not_unresolved');
    }
    if (refund.requestedBy === actor.id) {
      throw new SafeError('You cannot settle a refund you requested yourself; ask another manager.', 'own_request');
    }
    const applied = input.outcome === 'applied';
    const submission = await latestSubmission(tx, refund.id);
    await insertProviderCheck(tx, {
      refundId: refund.id,
      submissionId: submission?.id ?? null,
      kind: 'conclusion',
      finding: findingSentence(applied ? 'byHandApplied' : 'byHandNotApplied', { note: input.note }),
      decidedBy: actor.id,
    });

    const parts = await listProviderRefunds(tx, refund.id);
    if (parts.length === 0 && applied) {
      const loaded = (await loadRefundForSubmission(tx, refund.id))!;
      await recordProviderRefunds(tx, refund.id, loaded, submission!.requestBody as RefundRequest, [], 'succeeded');
    }
    for (const part of parts) {
      await updateProviderRefund(tx, part.id, {
        status: applied ? 'succeeded' : 'failed',
        providerUpdatedAt: new Date(),
        lastError: applied ? null : 'Settled by hand: not applied.',
        raw: part.raw as object,
      });
    }
    const to = applied ? 'succeeded' : 'failed';
    await transition(tx, audit, {
      refundId: refund.id,
      from: refund.status,
      to,
      by: 'manager',
      action: 'refund.resolved_by_hand',
      statusReason: applied ? null : `Settled by hand: the provider did not apply it, so no money moved. ${input.note}`,
      providerErrorCode: applied ? null : 'resolved_not_applied',
      auditAfter: { outcome: input.outcome, note: input.note },
    });
    return { refundId: refund.id, status: to as RefundStatus };
  });
}
