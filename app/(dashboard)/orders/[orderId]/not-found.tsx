import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { Card, EmptyState } from '@/components/ui/card';

export default async function OrderNotFound() {
  const t = await getTranslations('common.notFound');
  return (
    <>
      <h1 className="sr-only">{t('order')}</h1>
      <Card>
        <EmptyState title={t('order')}>
          {t('orderBody')}{' '}
          <Link href="/orders" className="text-brand-700 underline">
            {t('searchOrders')}
          </Link>
        </EmptyState>
      </Card>
    </>
  );
}
