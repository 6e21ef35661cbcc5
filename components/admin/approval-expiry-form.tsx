'use client';

import { useState, useTransition } from 'react';
import { Button } from '@/components/ui/button';
import { Field, Input } from '@/components/ui/input';
import { updateApprovalExpiryAction } from '@/lib/settings/actions';

export function ApprovalExpiryForm({ hours }: { hours: number }) {
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string[] | undefined>();
  const [saved, setSaved] = useState<string | null>(null);
  return (
    <form
      className="flex items-start gap-3 p-4"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        const form = new FormData(event.currentTarget);
        startTransition(async () => {
          const result = await updateApprovalExpiryAction(form);
          setError(result.ok ? undefined : (result.fieldErrors?.hours ?? [result.error]));
          setSaved(result.ok ? `Saved: requests wait ${result.data.value} hours.` : null);
        });
      }}
    >
      <Field
        label="Pending requests expire after (hours)"
        error={error}
        hint="Applies to requests made from now on; a request's expiry is fixed when it is made."
      >
        <Input name="hours" type="number" min={1} max={720} step={1} defaultValue={hours} className="w-28" />
      </Field>
      <div className="flex items-center gap-2 pt-5">
        <Button type="submit" variant="secondary" disabled={pending}>
          {pending ? 'Saving…' : 'Save'}
        </Button>
        <p role="status" aria-live="polite" className="text-xs text-emerald-700">
          {saved}
        </p>
      </div>
    </form>
  );
}
