'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { requestProviderApprovalAction } from '@/lib/refunds/actions';

/**
 * A provider that refuses refunds above its own limits may let a person there decide instead
 * (Frontpayment's Request Refund Approval, frontpayment.md §5). The refused refund stays failed;
 * the request is a follow-up refund of the same lines, which this opens when it is made.
 */
export function ProviderApprovalButton({
  refundId,
  amountText,
  providerLabel,
}: {
  refundId: string;
  amountText: string;
  providerLabel: string;
}) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [pending, startTransition] = useTransition();
  const [message, setMessage] = useState<string | null>(null);
  const confirm = () =>
    startTransition(async () => {
      try {
        const result = await requestProviderApprovalAction({ refundId });
        setOpen(false);
        if (result.ok) {
          setMessage(null);
          router.push(`/refunds/${result.data.refundId}`);
        } else setMessage(result.error);
      } catch {
        setOpen(false);
        setMessage('The server could not be reached. Reload the page to see whether the request went through.');
      }
    });
  return (
    <div className="space-y-1">
      <Button
        type="button"
        variant="secondary"
        onClick={() => setOpen(true)}
        disabled={pending}
        data-testid="provider-approval-request"
      >
        Ask {providerLabel} to approve
      </Button>
      <p role="alert" className="text-xs text-red-700">
        {message}
      </p>
      <Dialog
        open={open}
        onClose={() => setOpen(false)}
        dismissible={!pending}
        title={`Ask ${providerLabel} to approve this refund?`}
        description={
          <p>
            {providerLabel} will review the refund of <strong>{amountText}</strong> by hand. It is sent as a new refund of the
            same lines, linked to this one, and can be asked only once. {providerLabel} does not say when it has decided: the new
            refund shows as processing until the money moves.
          </p>
        }
        footer={
          <>
            <Button type="button" variant="secondary" onClick={() => setOpen(false)} disabled={pending} data-autofocus>
              Cancel
            </Button>
            <Button type="button" onClick={confirm} disabled={pending} data-testid="provider-approval-confirm">
              {pending ? 'Sending…' : 'Ask for approval'}
            </Button>
          </>
        }
      />
    </div>
  );
}
