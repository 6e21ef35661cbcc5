'use client';

import { useTranslations } from 'next-intl';
import { useState, useTransition } from 'react';
import { ROLES, type Role } from '@/db/schema/enum-values';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { Select } from '@/components/ui/input';
import { changeUserRoleAction, resetPasswordAction, setUserActiveAction } from '@/lib/users/actions';
import { OneTimePassword } from './one-time-password';

export function UserRowControls({
  userId,
  role,
  active,
  isSelf,
  name,
}: {
  userId: string;
  role: Role;
  active: boolean;
  isSelf: boolean;
  name: string;
}) {
  const t = useTranslations('admin.users');
  const status = useTranslations('status');
  const [error, setError] = useState<string | null>(null);
  const [issued, setIssued] = useState<{ email: string; oneTimePassword: string; validHours: number } | null>(null);
  const [pending, startTransition] = useTransition();
  const [confirmingReset, setConfirmingReset] = useState(false);
  const run = (fn: () => Promise<{ ok: boolean; error?: string }>) =>
    startTransition(async () => {
      const result = await fn();
      setError(result.ok ? null : (result.error ?? t('couldNotSave')));
    });
  return (
    <div className="flex flex-col items-end gap-1 max-sm:items-start">
      <div className="flex flex-wrap items-center justify-end gap-2 max-sm:justify-start">
        <label className="sr-only" htmlFor={`role-${userId}`}>
          {t('roleFor', { name })}
        </label>
        <Select
          id={`role-${userId}`}
          className="w-32"
          defaultValue={role}
          disabled={pending || isSelf}
          onChange={(event) => run(() => changeUserRoleAction({ userId, role: event.target.value }))}
        >
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {status(`role.${r}`)}
            </option>
          ))}
        </Select>
        <Button
          variant="secondary"
          className="whitespace-nowrap"
          disabled={pending || isSelf}
          aria-label={t('resetFor', { name })}
          onClick={() => setConfirmingReset(true)}
        >
          {t('reset')}
        </Button>
        {confirmingReset && (
          <ConfirmDialog
            open
            onClose={() => setConfirmingReset(false)}
            title={t('resetTitle', { name })}
            description={t('resetConfirm', { name })}
            confirmLabel={t('reset')}
            pending={pending}
            danger
            testId="reset-password-dialog"
            onConfirm={() =>
              startTransition(async () => {
                const result = await resetPasswordAction({ userId });
                setConfirmingReset(false);
                setError(result.ok ? null : result.error);
                setIssued(result.ok ? result.data : null);
              })
            }
          />
        )}
        <Button
          variant={active ? 'dangerOutline' : 'secondary'}
          className="whitespace-nowrap"
          disabled={pending || isSelf}
          aria-label={t(active ? 'deactivateFor' : 'activateFor', { name })}
          onClick={() => run(() => setUserActiveAction({ userId, active: !active }))}
        >
          {active ? t('deactivate') : t('activate')}
        </Button>
      </div>
      {issued && (
        <div className="max-w-md text-left">
          <OneTimePassword
            email={issued.email}
            password={issued.oneTimePassword}
            validHours={issued.validHours}
            onDone={() => setIssued(null)}
          />
        </div>
      )}
      {error && (
        <p role="alert" className="text-right text-xs text-red-700">
          {error}
        </p>
      )}
    </div>
  );
}
