'use client';

import { useTranslations } from 'next-intl';
import { useRef, useState, useTransition } from 'react';
import { ROLES } from '@/db/schema/enum-values';
import { Button } from '@/components/ui/button';
import { Field, Input, Select } from '@/components/ui/input';
import { inviteUserAction } from '@/lib/users/actions';
import { OneTimePassword } from './one-time-password';

/** Creates a user and shows their one-time password once, to be handed over out of band. */
export function InviteUserForm() {
  const t = useTranslations('admin.users');
  const status = useTranslations('status');
  const formRef = useRef<HTMLFormElement>(null);
  const [pending, startTransition] = useTransition();
  const [errors, setErrors] = useState<Record<string, string[]> | undefined>();
  const [message, setMessage] = useState<string | null>(null);
  const [issued, setIssued] = useState<{ email: string; oneTimePassword: string; validHours: number } | null>(null);
  return (
    <div className="p-4">
      <form
        ref={formRef}
        className="flex flex-wrap items-start gap-3"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          const form = new FormData(event.currentTarget);
          startTransition(async () => {
            const result = await inviteUserAction(form);
            if (result.ok) {
              setIssued(result.data);
              setErrors(undefined);
              setMessage(null);
              formRef.current?.reset();
              return;
            }
            setIssued(null);
            setErrors(result.fieldErrors);
            setMessage(result.fieldErrors ? null : result.error);
          });
        }}
      >
        <Field label={t('name')} error={errors?.name} className="w-full sm:w-48">
          <Input name="name" required />
        </Field>
        <Field label={t('email')} error={errors?.email} className="w-full sm:w-64">
          <Input name="email" type="email" required />
        </Field>
        <Field label={t('role')} error={errors?.role} className="w-full sm:w-40">
          <Select name="role" defaultValue="agent">
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {status(`role.${r}`)}
              </option>
            ))}
          </Select>
        </Field>
        <Button type="submit" disabled={pending} className="w-full sm:mt-5 sm:w-auto">
          {pending ? t('inviting') : t('inviteButton')}
        </Button>
      </form>
      <p role="status" aria-live="polite" className="mt-2 text-sm text-red-700">
        {message}
      </p>
      {issued && (
        <OneTimePassword
          email={issued.email}
          password={issued.oneTimePassword}
          validHours={issued.validHours}
          onDone={() => setIssued(null)}
        />
      )}
    </div>
  );
}
