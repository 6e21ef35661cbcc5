import Link from 'next/link';
import type { Provider, RefundReason, RefundStatus } from '@/db/schema/enums';
import { RefundStatusBadge } from '@/components/refunds/refund-status-badge';
import { Table, Td, Th } from '@/components/ui/table';
import { formatDateTime, formatRelative } from '@/lib/format';
import { PROVIDER_LABELS } from '@/lib/providers/labels';
import { formatMoney } from '@/lib/money';
import { REASON_LABELS } from '@/lib/refunds/constants';

/** What the overview, approvals and history lists all have. */
export interface RefundsTableRow {
  id: string;
  createdAt: Date;
  status: RefundStatus;
  amountMinor: number;
  currency: string;
  orderId: string;
  orderNumber: string;
  provider: Provider;
  customerName: string;
  requestedByName: string;
  expiresAt?: Date | null;
  reasons?: readonly RefundReason[];
}

type SortableColumn = 'requested' | 'amount';

/** A header that sorts the list: a link to the same view in another order (the URL holds the state). */
export interface SortHeader {
  href: string;
  direction: 'ascending' | 'descending' | 'none';
}

function HeaderLabel({ label, sort }: { label: string; sort?: SortHeader }) {
  if (!sort) return label;
  const arrow = sort.direction === 'ascending' ? '↑' : sort.direction === 'descending' ? '↓' : '';
  return (
    <Link href={sort.href} className="inline-flex items-center gap-1 hover:text-slate-900 hover:underline">
      {label}
      <span aria-hidden="true">{arrow}</span>
    </Link>
  );
}

export function RefundsTable({
  rows,
  showExpiry = false,
  showReasons = false,
  sort,
  testId = 'refunds-table',
}: {
  rows: RefundsTableRow[];
  showExpiry?: boolean;
  showReasons?: boolean;
  sort?: Record<SortableColumn, SortHeader>;
  testId?: string;
}) {
  return (
    <Table data-testid={testId}>
      <thead>
        <tr>
          <Th aria-sort={sort?.requested.direction}>
            <HeaderLabel label="Requested" sort={sort?.requested} />
          </Th>
          <Th>Order</Th>
          <Th>Provider</Th>
          <Th>By</Th>
          <Th>Status</Th>
          {showReasons && <Th>Reasons</Th>}
          {showExpiry && <Th>Expires</Th>}
          <Th numeric aria-sort={sort?.amount.direction}>
            <HeaderLabel label="Amount" sort={sort?.amount} />
          </Th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {rows.map((r) => (
          <tr key={r.id} data-refund-id={r.id} className="hover:bg-slate-50">
            <Td className="whitespace-nowrap">
              <Link href={`/refunds/${r.id}`} className="text-brand-700 hover:underline">
                {formatDateTime(r.createdAt)}
              </Link>
            </Td>
            <Td>
              <Link href={`/orders/${r.orderId}`} className="font-medium text-brand-700 hover:underline">
                {r.orderNumber}
              </Link>
              <div className="text-xs text-slate-500">{r.customerName}</div>
            </Td>
            <Td>{PROVIDER_LABELS[r.provider]}</Td>
            <Td>{r.requestedByName}</Td>
            <Td>
              <RefundStatusBadge status={r.status} />
            </Td>
            {showReasons && <Td className="text-xs">{r.reasons?.map((reason) => REASON_LABELS[reason]).join(', ') || '—'}</Td>}
            {showExpiry && <Td>{r.expiresAt ? formatRelative(r.expiresAt) : '—'}</Td>}
            <Td numeric>{formatMoney(r.amountMinor, r.currency)}</Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
