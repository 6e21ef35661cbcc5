import Link from 'next/link';
import { useTranslations } from 'next-intl';
import { Card, EmptyState } from '@/components/ui/card';

export default function OrderNotFound() {
  const t = useTranslations('orders.notFound');
  return (
    <Card>
      <EmptyState title={t('title')}>
        {t('body')}{' '}
        <Link href="/orders" className="text-brand-700 underline">
          {t('link')}
        </Link>
      </EmptyState>
    </Card>
  );
}
