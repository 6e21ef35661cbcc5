'use client';

import { useRouter } from 'next/navigation';
import { useId, useState, useTransition } from 'react';
import { Button } from '@/components/ui/button';
import { approveRefundAction, rejectRefundAction } from '@/lib/approvals/actions';

/** Approve or reject with a comment; a rejection needs one so the agent knows why. */
export function ApprovalDecision({
  refundId,
  linesDigest,
  amountLabel,
}: {
  refundId: string;
  linesDigest: string;
  amountLabel: string;
}) {
  const router = useRouter();
  const id = useId();
  const [comment, setComment] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const decide = (decision: 'approve' | 'reject') => {
    if (decision === 'approve' && !window.confirm(`Approve and send this ${amountLabel} refund to the provider now?`)) return;
    startTransition(async () => {
      const action = decision === 'approve' ? approveRefundAction : rejectRefundAction;
      const result = await action({ refundId, linesDigest, comment: comment || undefined });
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
        Comment (required to reject)
      </label>
      <textarea
        id={`${id}-comment`}
        value={comment}
        onChange={(e) => setComment(e.target.value)}
        rows={2}
        maxLength={1000}
        className="block w-full rounded-md border border-slate-300 px-2.5 py-1.5 text-sm"
        aria-describedby={error ? `${id}-error` : undefined}
      />
      <div className="flex gap-2">
        <Button onClick={() => decide('approve')} disabled={pending}>
          Approve
        </Button>
        <Button variant="secondary" onClick={() => decide('reject')} disabled={pending}>
          Reject
        </Button>
      </div>
      <p id={`${id}-error`} role="alert" className="min-h-4 text-xs text-red-700">
        {error}
      </p>
    </div>
  );
}
