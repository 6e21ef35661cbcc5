'use client';

import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useId, useState, useTransition } from 'react';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { approveRefundAction, rejectRefundAction } from '@/lib/approvals/actions';

/**
 * Approve or reject with a comment; a rejection needs one so the agent knows why. Approving sends
 * money, so it is confirmed in the page's own dialog (not the browser's confirm()), with Cancel
 * focused first.
 */
export function ApprovalDecision({
  refundId,
  linesDigest,
  amountLabel,
}: {
  refundId: string;
  linesDigest: string;
  amountLabel: string;
}) {
  const t = useTranslations('approvals');
  const common = useTranslations('common.actions');
  const router = useRouter();
  const id = useId();
  const [comment, setComment] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [pending, startTransition] = useTransition();
  const decide = (decision: 'approve' | 'reject') => {
    startTransition(async () => {
      const action = decision === 'approve' ? approveRefundAction : rejectRefundAction;
      const result = await action({ refundId, linesDigest, comment: comment || undefined });
      setConfirming(false);
      if (!result.ok) {
        setError(result.fieldErrors?.comment?.[0] ?? result.error);
        return;
      }
      setError(null);
      router.refresh();
    });
  };
  return (
    <div className="space-y-2" data-testid="approval-decision">
      <label htmlFor={`${id}-comment`} className="block text-xs font-medium text-slate-600">
        {t('comment')}
      </label>
      <textarea
        id={`${id}-comment`}
        value={comment}
        onChange={(e) => setComment(e.target.value)}
        rows={3}
        maxLength={1000}
        className="block w-full rounded-md border border-slate-300 px-2.5 py-1.5 text-sm"
        aria-describedby={error ? `${id}-error` : undefined}
      />
      <div className="grid grid-cols-2 gap-2">
        <Button className="min-h-11" onClick={() => setConfirming(true)} disabled={pending}>
          {t('approve')}
        </Button>
        <Button className="min-h-11" variant="secondary" onClick={() => decide('reject')} disabled={pending}>
          {t('reject')}
        </Button>
      </div>
      <p id={`${id}-error`} role="alert" className="min-h-4 text-xs text-red-700">
        {error}
      </p>
      <Dialog
        open={confirming}
        onClose={() => setConfirming(false)}
        dismissible={!pending}
        title={t('confirmTitle')}
        description={t('confirmBody', { amount: amountLabel })}
        testId="approve-dialog"
        footer={
          <>
            <Button variant="secondary" data-autofocus onClick={() => setConfirming(false)} disabled={pending}>
              {common('cancel')}
            </Button>
            <Button onClick={() => decide('approve')} disabled={pending}>
              {pending ? t('approving') : t('confirmApprove')}
            </Button>
          </>
        }
      />
    </div>
  );
}
