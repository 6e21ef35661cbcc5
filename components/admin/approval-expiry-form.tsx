'use client';

import { useTranslations } from 'next-intl';
import { useState, useTransition } from 'react';
import { Button } from '@/components/ui/button';
import { Field, Input } from '@/components/ui/input';
import { updateApprovalExpiryAction } from '@/lib/settings/actions';

export function ApprovalExpiryForm({ hours }: { hours: number }) {
  const t = useTranslations('admin.policy');
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string[] | undefined>();
  const [saved, setSaved] = useState<string | null>(null);
  return (
    <form
      className="flex flex-wrap items-start gap-3 p-4"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        const form = new FormData(event.currentTarget);
        startTransition(async () => {
          const result = await updateApprovalExpiryAction(form);
          setError(result.ok ? undefined : (result.fieldErrors?.hours ?? [result.error]));
          setSaved(result.ok ? t('expirySaved', { hours: result.data.value }) : null);
        });
      }}
    >
      <Field label={t('expiry')} error={error} hint={t('expiryHint')} className="w-full max-w-sm">
        <Input name="hours" type="number" min={1} max={720} step={1} defaultValue={hours} className="max-w-28" />
      </Field>
      <div className="flex items-center gap-2 sm:pt-5">
        <Button type="submit" variant="secondary" disabled={pending}>
          {pending ? t('saving') : t('save')}
        </Button>
        <p role="status" aria-live="polite" className="text-xs text-emerald-700">
          {saved}
        </p>
      </div>
    </form>
  );
}
