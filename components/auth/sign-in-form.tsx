'use client';

import { useTranslations } from 'next-intl';
import { useActionState } from 'react';
import { Button } from '@/components/ui/button';
import { Field, Input } from '@/components/ui/input';
import { signInAction, type SignInState } from '@/lib/auth/actions';

export function SignInForm({ callbackUrl }: { callbackUrl?: string }) {
  const [state, formAction, pending] = useActionState<SignInState, FormData>(signInAction, null);
  const errors = state && !state.ok ? state.fieldErrors : undefined;
  const t = useTranslations('auth.signIn');
  return (
    <form action={formAction} className="space-y-4" noValidate>
      <input type="hidden" name="callbackUrl" value={callbackUrl ?? '/'} />
      <Field label={t('email')} error={errors?.email}>
        <Input name="email" type="email" autoComplete="username" required autoFocus defaultValue={state?.email} />
      </Field>
      <Field label={t('password')} error={errors?.password}>
        <Input name="password" type="password" autoComplete="current-password" required />
      </Field>
      <div aria-live="polite" role="status" className="min-h-5 text-sm text-red-700">
        {state && !state.ok && !errors ? state.error : null}
      </div>
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? t('submitting') : t('submit')}
      </Button>
    </form>
  );
}
