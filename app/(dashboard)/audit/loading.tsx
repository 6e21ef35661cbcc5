import { getTranslations } from 'next-intl/server';
import { PageSkeleton } from '@/components/ui/page-skeleton';

export default async function Loading() {
  const t = await getTranslations('audit');
  return <PageSkeleton label={t('loading')} blocks={['h-32', 'h-96']} />;
}
