import { useTranslations } from 'next-intl';
import type { OrderStatus } from '@/db/schema/enums';
import { Badge, type Tone } from '@/components/ui/badge';

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
  const t = useTranslations('status.order');
  return <Badge tone={TONES[status]}>{t(status)}</Badge>;
}
