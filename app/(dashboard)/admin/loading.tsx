import { PageSkeleton } from '@/components/ui/page-skeleton';

export default function Loading() {
  return <PageSkeleton label="Loading…" blocks={['h-32', 'h-96']} />;
}
