'use client';

import { useRouter } from 'next/navigation';
import { useTranslations } from 'next-intl';
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
  const t = useTranslations('refunds.providerApproval');
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
        setMessage(t('unreachable'));
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
        {t('button', { provider: providerLabel })}
      </Button>
      <p role="alert" className="text-xs text-red-700">
        {message}
      </p>
      <Dialog
        open={open}
        onClose={() => setOpen(false)}
        dismissible={!pending}
        title={t('title', { provider: providerLabel })}
        description={
          <p>{t.rich('body', { provider: providerLabel, amount: amountText, strong: (chunks) => <strong>{chunks}</strong> })}</p>
        }
        footer={
          <>
            <Button type="button" variant="secondary" onClick={() => setOpen(false)} disabled={pending} data-autofocus>
              {t('cancel')}
            </Button>
            <Button type="button" onClick={confirm} disabled={pending} data-testid="provider-approval-confirm">
              {pending ? t('sending') : t('confirm')}
            </Button>
          </>
        }
      />
    </div>
  );
}
