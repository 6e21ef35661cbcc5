import { useTranslations } from 'next-intl';
import { PageSkeleton } from '@/components/ui/page-skeleton';

export default function Loading() {
  const t = useTranslations('refunds.page');
  return <PageSkeleton label={t('loading')} blocks={['h-24', 'h-64']} />;
}
