'use client';

import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { cancelRefundAction } from '@/lib/approvals/actions';

/**
 * Withdraws a request still waiting for a manager; nothing has been sent, so nothing is undone.
 * Confirmed in the page's own dialog, with "Keep it" focused first.
 */
export function CancelRequestButton({ refundId, amountLabel }: { refundId: string; amountLabel: string }) {
  const t = useTranslations('approvals');
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [pending, startTransition] = useTransition();
  const withdraw = () =>
    startTransition(async () => {
      const result = await cancelRefundAction({ refundId });
      setConfirming(false);
      setError(result.ok ? null : result.error);
      if (result.ok) router.refresh();
    });
  return (
    <div className="flex flex-col items-end gap-1">
      <Button variant="dangerOutline" className="min-h-10" disabled={pending} onClick={() => setConfirming(true)}>
        {pending ? t('withdrawing') : t('withdraw')}
      </Button>
      <p role="alert" className="text-xs text-red-700">
        {error}
      </p>
      <Dialog
        open={confirming}
        onClose={() => setConfirming(false)}
        dismissible={!pending}
        title={t('withdrawTitle')}
        description={t('withdrawBody', { amount: amountLabel })}
        testId="withdraw-dialog"
        footer={
          <>
            <Button variant="secondary" data-autofocus onClick={() => setConfirming(false)} disabled={pending}>
              {t('keep')}
            </Button>
            <Button variant="danger" onClick={withdraw} disabled={pending}>
              {pending ? t('withdrawing') : t('withdrawConfirm')}
            </Button>
          </>
        }
      />
    </div>
  );
}
