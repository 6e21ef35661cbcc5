import Link from 'next/link';
import { Card, EmptyState } from '@/components/ui/card';

export default function RefundNotFound() {
  return (
    <Card>
      <EmptyState title="Refund not found">
        The link may be mistyped.{' '}
        <Link href="/refunds" className="text-brand-700 underline">
          See all refunds
        </Link>
      </EmptyState>
    </Card>
  );
}
