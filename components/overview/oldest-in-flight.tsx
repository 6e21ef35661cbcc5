import Link from 'next/link';
import type { InFlightRefund } from '@/db/queries/overview';
import { RefundStatusBadge } from '@/components/refunds/refund-status-badge';
import { Table, Td, Th } from '@/components/ui/table';
import { formatDateTime } from '@/lib/format';
import { PROVIDER_LABELS } from '@/lib/providers/labels';
import { formatMoney } from '@/lib/money';

/** "3 d 4 h", "5 h 12 min", "7 min": how long a refund has been waiting, to the unit that matters. */
export function formatAge(ms: number) {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  if (days > 0) return `${days} d ${hours} h`;
  if (hours > 0) return `${hours} h ${minutes % 60} min`;
  return `${minutes} min`;
}

/** Refunds still waiting on a provider, oldest request first. */
export function OldestInFlight({ rows }: { rows: InFlightRefund[] }) {
  return (
    <Table>
      <thead>
        <tr>
          <Th>Age</Th>
          <Th>Requested</Th>
          <Th>Order</Th>
          <Th>Provider</Th>
          <Th>Status</Th>
          <Th numeric>Amount</Th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {rows.map((r) => (
          <tr key={r.id} data-refund-id={r.id} className="hover:bg-slate-50">
            <Td className="whitespace-nowrap font-medium tabular-nums">
              <Link href={`/refunds/${r.id}`} className="text-brand-700 hover:underline">
                {formatAge(r.ageMs)}
              </Link>
            </Td>
            <Td className="whitespace-nowrap text-slate-600">{formatDateTime(r.createdAt)}</Td>
            <Td>
              <Link href={`/orders/${r.orderId}`} className="font-medium text-brand-700 hover:underline">
                {r.orderNumber}
              </Link>
            </Td>
            <Td>{PROVIDER_LABELS[r.provider]}</Td>
            <Td>
              <RefundStatusBadge status={r.status} />
            </Td>
            <Td numeric>{formatMoney(r.amountMinor, r.currency)}</Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
