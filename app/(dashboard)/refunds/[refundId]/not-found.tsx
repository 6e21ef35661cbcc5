import Link from 'next/link';
import { useTranslations } from 'next-intl';
import { Card, EmptyState } from '@/components/ui/card';

export default function RefundNotFound() {
  const t = useTranslations('refunds.notFound');
  return (
    <Card>
      <EmptyState title={t('title')}>
        {t('body')}{' '}
        <Link href="/refunds" className="text-brand-700 underline">
          {t('link')}
        </Link>
      </EmptyState>
    </Card>
  );
}
