'use client';

import { useTranslations } from 'next-intl';
import { Button } from '@/components/ui/button';

export default function DashboardError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const t = useTranslations('common');
  return (
    <div role="alert" className="mx-auto max-w-lg rounded-lg border border-red-200 bg-white p-6">
      <h1 className="text-base font-semibold text-red-800">{t('error.title')}</h1>
      <p className="mt-1 text-sm text-slate-600">
        {t('error.body')} <code className="font-mono break-all">{error.digest ?? t('error.noReference')}</code>
      </p>
      <Button className="mt-4" variant="secondary" onClick={reset}>
        {t('actions.retry')}
      </Button>
    </div>
  );
}
