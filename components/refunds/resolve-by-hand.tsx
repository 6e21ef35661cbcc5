'use client';

import { useRouter } from 'next/navigation';
import { useTranslations } from 'next-intl';
import { useState, useTransition } from 'react';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { Field, Textarea } from '@/components/ui/input';
import { resolveByHandAction } from '@/lib/refunds/actions';

type Outcome = 'applied' | 'not_applied';

/**
 * Settling by hand a refund whose outcome the provider's figures cannot prove (no timer decides
 * it). Managers only, never the requester; a note is required and goes into the audit trail.
 */
export function ResolveByHand({
  refundId,
  amountText,
  providerLabel,
}: {
  refundId: string;
  amountText: string;
  providerLabel: string;
}) {
  const router = useRouter();
  const t = useTranslations('refunds.settle');
  const [open, setOpen] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<{ outcome?: string; note?: string; form?: string }>({});
  const [pending, startTransition] = useTransition();

  const confirm = () =>
    startTransition(async () => {
      const result = await resolveByHandAction({ refundId, outcome: outcome ?? undefined, note });
      if (result.ok) {
        setOpen(false);
        router.refresh();
        return;
      }
      setErrors({
        outcome: result.fieldErrors?.outcome?.[0],
        note: result.fieldErrors?.note?.[0],
        form: result.fieldErrors ? undefined : result.error,
      });
    });

  const choice = (value: Outcome, label: string, hint: string) => (
    <label className="flex cursor-pointer gap-2 rounded-md border border-slate-200 p-2 text-sm has-[:checked]:border-brand-500 has-[:checked]:bg-brand-50">
      <input
        type="radio"
        name="outcome"
        value={value}
        checked={outcome === value}
        onChange={() => setOutcome(value)}
        className="mt-0.5"
      />
      <span>
        <span className="block font-medium">{label}</span>
        <span className="block text-xs text-slate-600">{hint}</span>
      </span>
    </label>
  );

  return (
    <div className="space-y-1">
      <Button type="button" variant="secondary" onClick={() => setOpen(true)} data-testid="resolve-by-hand">
        {t('button')}
      </Button>
      <Dialog
        open={open}
        onClose={() => setOpen(false)}
        dismissible={!pending}
        testId="resolve-by-hand-dialog"
        title={t('title', { amount: amountText })}
        description={<p>{t('body', { provider: providerLabel })}</p>}
        footer={
          <>
            <Button type="button" variant="secondary" onClick={() => setOpen(false)} disabled={pending}>
              {t('cancel')}
            </Button>
            <Button type="button" onClick={confirm} disabled={pending} data-testid="resolve-by-hand-confirm">
              {pending ? t('saving') : t('settle')}
            </Button>
          </>
        }
      >
        <fieldset className="space-y-2" aria-describedby={errors.outcome ? 'resolve-outcome-error' : undefined}>
          <legend className="mb-1 text-xs font-medium text-slate-600">{t('question', { provider: providerLabel })}</legend>
          {choice('applied', t('applied'), t('appliedHint'))}
          {choice('not_applied', t('notApplied'), t('notAppliedHint'))}
          {errors.outcome && (
            <p id="resolve-outcome-error" className="text-xs text-red-700">
              {errors.outcome}
            </p>
          )}
        </fieldset>
        <Field label={t('note')} error={errors.note} className="mt-3">
          <Textarea value={note} onChange={(e) => setNote(e.target.value)} rows={3} maxLength={1000} />
        </Field>
        {errors.form && (
          <p role="alert" className="mt-2 text-sm text-red-700">
            {errors.form}
          </p>
        )}
      </Dialog>
    </div>
  );
}
