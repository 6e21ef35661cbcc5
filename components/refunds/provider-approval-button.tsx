'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { requestProviderApprovalAction } from '@/lib/refunds/actions';

/**
 * Frontpayment refuses refunds above its per-request or weekly threshold; its Request Refund
 * Approval endpoint (frontpayment.md §5) lets Frontpayment decide by hand instead.
 */
export function ProviderApprovalButton({ refundId, amountText }: { refundId: string; amountText: string }) {
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
          router.refresh();
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
        Ask Frontpayment to approve
      </Button>
      <p role="alert" className="text-xs text-red-700">
        {message}
      </p>
      <Dialog
        open={open}
        onClose={() => setOpen(false)}
        dismissible={!pending}
        title="Ask Frontpayment to approve this refund?"
        description={
          <p>
            Frontpayment will review the refund of <strong>{amountText}</strong> by hand. It can be asked only once, and
            Frontpayment does not say when it has decided: the refund shows as processing until the money moves.
          </p>
        }
        footer={
          <>
            <Button type="button" variant="secondary" onClick={() => setOpen(false)} disabled={pending}>
              Cancel
            </Button>
            <Button type="button" onClick={confirm} disabled={pending} data-autofocus data-testid="provider-approval-confirm">
              {pending ? 'Sending…' : 'Ask for approval'}
            </Button>
          </>
        }
      />
    </div>
  );
}
