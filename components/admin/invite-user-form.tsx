'use client';

import { useRef, useState, useTransition } from 'react';
import { ROLES } from '@/db/schema/enum-values';
import { Button } from '@/components/ui/button';
import { Field, Input, Select } from '@/components/ui/input';
import { ROLE_LABELS } from '@/lib/format';
import { inviteUserAction } from '@/lib/users/actions';
import { OneTimePassword } from './one-time-password';

/** Creates a user and shows their one-time password once, to be handed over out of band. */
export function InviteUserForm() {
  const formRef = useRef<HTMLFormElement>(null);
  const [pending, startTransition] = useTransition();
  const [errors, setErrors] = useState<Record<string, string[]> | undefined>();
  const [message, setMessage] = useState<string | null>(null);
  const [issued, setIssued] = useState<{ email: string; oneTimePassword: string; validHours: number } | null>(null);
  return (
    <div className="p-4">
      <form
        ref={formRef}
        className="flex flex-wrap items-end gap-3"
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
        <Field label="Name" error={errors?.name}>
          <Input name="name" className="w-48" required />
        </Field>
        <Field label="Email" error={errors?.email}>
          <Input name="email" type="email" className="w-64" required />
        </Field>
        <Field label="Role" error={errors?.role}>
          <Select name="role" defaultValue="agent" className="w-32">
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {ROLE_LABELS[r]}
              </option>
            ))}
          </Select>
        </Field>
        <Button type="submit" disabled={pending}>
          {pending ? 'Inviting…' : 'Invite user'}
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
