import Link from 'next/link';
import type { NearDeadlineRefund } from '@/db/queries/overview';
import { RefundStatusBadge } from '@/components/refunds/refund-status-badge';
import { Badge } from '@/components/ui/badge';
import { Table, Td, Th } from '@/components/ui/table';
import { formatDateTime, formatRelative } from '@/lib/format';
import { PROVIDER_LABELS } from '@/lib/providers/labels';
import { formatMoney } from '@/lib/money';

/** Requests still waiting (for a manager, or to be sent) while their order's refund deadline runs out. */
export function NearDeadline({ rows, now }: { rows: NearDeadlineRefund[]; now: Date }) {
  return (
    <Table>
      <thead>
        <tr>
          <Th>Deadline</Th>
          <Th>Order</Th>
          <Th>Provider</Th>
          <Th>Status</Th>
          <Th>Request expires</Th>
          <Th numeric>Amount</Th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {rows.map((r) => {
          const passed = r.refundDeadline.getTime() <= now.getTime();
          return (
            <tr key={r.id} data-refund-id={r.id} className="hover:bg-slate-50">
              <Td className="whitespace-nowrap">
                {passed ? (
                  <Badge tone="red">Passed</Badge>
                ) : (
                  <span className="font-medium">{formatRelative(r.refundDeadline, now)}</span>
                )}
                <div className="text-xs text-slate-500">{formatDateTime(r.refundDeadline)}</div>
              </Td>
              <Td>
                <Link href={`/orders/${r.orderId}`} className="font-medium text-brand-700 hover:underline">
                  {r.orderNumber}
                </Link>
              </Td>
              <Td>{PROVIDER_LABELS[r.provider]}</Td>
              <Td>
                <Link href={`/refunds/${r.id}`} aria-label={`Open refund on ${r.orderNumber}`}>
                  <RefundStatusBadge status={r.status} />
                </Link>
              </Td>
              <Td className="whitespace-nowrap text-slate-600">{r.expiresAt ? formatDateTime(r.expiresAt) : '—'}</Td>
              <Td numeric>{formatMoney(r.amountMinor, r.currency)}</Td>
            </tr>
          );
        })}
      </tbody>
    </Table>
  );
}
