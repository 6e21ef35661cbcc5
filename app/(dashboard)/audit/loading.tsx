import { PageSkeleton } from '@/components/ui/page-skeleton';

export default function Loading() {
  return <PageSkeleton label="Loading the audit log…" blocks={['h-32', 'h-96']} />;
}
