import Link from 'next/link';
import { Card, EmptyState } from '@/components/ui/card';

export default function OrderNotFound() {
  return (
    <Card>
      <EmptyState title="Order not found">
        It may have been mistyped, or not imported yet.{' '}
        <Link href="/orders" className="text-brand-700 underline">
          Search orders
        </Link>
      </EmptyState>
    </Card>
  );
}
