'use client';

import { useRouter } from 'next/navigation';
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
        Settle by hand…
      </Button>
      <Dialog
        open={open}
        onClose={() => setOpen(false)}
        dismissible={!pending}
        testId="resolve-by-hand-dialog"
        title={`Settle this ${amountText} refund by hand?`}
        description={
          <p>
            Do this only when you have seen at {providerLabel} (its portal, a statement, support) whether the refund was made.
            Refund Desk will not send anything; it records what you say, with your note, in the audit trail.
          </p>
        }
        footer={
          <>
            <Button type="button" variant="secondary" onClick={() => setOpen(false)} disabled={pending}>
              Cancel
            </Button>
            <Button type="button" onClick={confirm} disabled={pending} data-testid="resolve-by-hand-confirm">
              {pending ? 'Saving…' : 'Settle'}
            </Button>
          </>
        }
      >
        <fieldset className="space-y-2" aria-describedby={errors.outcome ? 'resolve-outcome-error' : undefined}>
          <legend className="mb-1 text-xs font-medium text-slate-600">What does {providerLabel} show?</legend>
          {choice('applied', 'It made the refund', 'The money went back to the customer: the refund is marked refunded.')}
          {choice('not_applied', 'It did not make the refund', 'No money moved: the amount is free for a new refund.')}
          {errors.outcome && (
            <p id="resolve-outcome-error" className="text-xs text-red-700">
              {errors.outcome}
            </p>
          )}
        </fieldset>
        <Field label="Note (required): how you know" error={errors.note} className="mt-3">
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
