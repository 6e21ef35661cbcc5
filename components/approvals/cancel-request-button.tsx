'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { Button } from '@/components/ui/button';
import { cancelRefundAction } from '@/lib/approvals/actions';

/** Withdraws a request still waiting for a manager; nothing has been sent, so nothing is undone. */
export function CancelRequestButton({ refundId, amountLabel }: { refundId: string; amountLabel: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  return (
    <div className="flex flex-col items-end gap-1">
      <Button
        variant="dangerOutline"
        disabled={pending}
        onClick={() => {
          if (!window.confirm(`Withdraw this ${amountLabel} request? The amount becomes refundable again.`)) return;
          startTransition(async () => {
            const result = await cancelRefundAction({ refundId });
            setError(result.ok ? null : result.error);
            if (result.ok) router.refresh();
          });
        }}
      >
        {pending ? 'Withdrawing…' : 'Withdraw request'}
      </Button>
      <p role="alert" className="text-xs text-red-700">
        {error}
      </p>
    </div>
  );
}
