'use client';

import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { Button } from '@/components/ui/button';

/** Shown once: the server keeps only the hash, so closing this is the last chance to copy it. */
export function OneTimePassword({
  email,
  password,
  validHours,
  onDone,
}: {
  email: string;
  password: string;
  validHours: number;
  onDone: () => void;
}) {
  const t = useTranslations('admin.users');
  const [copied, setCopied] = useState(false);
  return (
    <div role="alert" className="mt-3 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm" data-testid="one-time-password">
      <p className="text-slate-800">
        {t.rich('otp', { email, hours: validHours, strong: (chunks) => <strong>{chunks}</strong> })}
      </p>
      <div className="mt-2 flex flex-wrap items-center gap-2">
        <code
          className="break-all rounded bg-white px-2 py-1 font-mono text-base tracking-wide"
          data-testid="one-time-password-value"
        >
          {password}
        </code>
        <Button
          variant="secondary"
          onClick={() =>
            navigator.clipboard?.writeText(password).then(
              () => setCopied(true),
              () => setCopied(false),
            )
          }
        >
          {copied ? t('copied') : t('copy')}
        </Button>
        <Button variant="ghost" onClick={onDone}>
          {t('done')}
        </Button>
      </div>
    </div>
  );
}
