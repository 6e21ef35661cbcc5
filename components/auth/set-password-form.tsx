'use client';

import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { Button } from '@/components/ui/button';
import { Field, Input } from '@/components/ui/input';
import { setOwnPasswordAction } from '@/lib/users/actions';

export function SetPasswordForm({ email }: { email: string }) {
  const t = useTranslations('auth.setPassword');
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [errors, setErrors] = useState<Record<string, string[]> | undefined>();
  const [message, setMessage] = useState<string | null>(null);
  return (
    <form
      className="space-y-4"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        const form = new FormData(event.currentTarget);
        startTransition(async () => {
          const result = await setOwnPasswordAction(form);
          if (result.ok) {
            router.replace(result.data.home);
            router.refresh();
            return;
          }
          setErrors(result.fieldErrors);
          setMessage(result.fieldErrors ? null : result.error);
        });
      }}
    >
      {/* Lets password managers file the new password under the right account. */}
      <input type="email" name="username" autoComplete="username" value={email} readOnly hidden />
      <Field label={t('password')} hint={t('passwordHint')} error={errors?.password}>
        <Input name="password" type="password" autoComplete="new-password" required autoFocus />
      </Field>
      <Field label={t('confirm')} error={errors?.confirm}>
        <Input name="confirm" type="password" autoComplete="new-password" required />
      </Field>
      <div aria-live="polite" role="status" className="min-h-5 text-sm text-red-700">
        {message}
      </div>
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? t('saving') : t('submit')}
      </Button>
    </form>
  );
}
