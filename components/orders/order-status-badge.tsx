import type { OrderStatus } from '@/db/schema/enums';
import { Badge } from '@/components/ui/badge';
import { ORDER_STATUS } from '@/lib/format';

export function OrderStatusBadge({ status }: { status: OrderStatus }) {
  const { label, tone } = ORDER_STATUS[status];
  return <Badge tone={tone}>{label}</Badge>;
}
