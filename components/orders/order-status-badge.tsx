import type { OrderStatus } from '@/db/schema/enums';
import { Badge, type Tone } from '@/components/ui/badge';
import { ORDER_STATUS_LABELS } from '@/lib/format';

const TONES: Record<OrderStatus, Tone> = {
  open: 'gray',
  reserved: 'violet',
  invoiced: 'amber',
  paid: 'green',
  partially_refunded: 'blue',
  refunded: 'gray',
  cancelled: 'red',
  expired: 'red',
};

export function OrderStatusBadge({ status }: { status: OrderStatus }) {
  return <Badge tone={TONES[status]}>{ORDER_STATUS_LABELS[status]}</Badge>;
}
