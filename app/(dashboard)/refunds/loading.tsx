import { PageSkeleton } from '@/components/ui/page-skeleton';

export default function Loading() {
  return <PageSkeleton label="Loading refunds…" blocks={['h-40', 'h-96']} />;
}
