import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { Card, EmptyState } from '@/components/ui/card';

export default async function RefundNotFound() {
  const t = await getTranslations('common.notFound');
  return (
    <>
      <h1 className="sr-only">{t('refund')}</h1>
      <Card>
        <EmptyState title={t('refund')}>
          {t('refundBody')}{' '}
          <Link href="/refunds" className="text-brand-700 underline">
            {t('allRefunds')}
          </Link>
        </EmptyState>
      </Card>
    </>
  );
}
