import { PageSkeleton } from '@/components/ui/page-skeleton';

export default function Loading() {
  return <PageSkeleton label="Loading the approval queue…" blocks={['h-40', 'h-40']} />;
}
