import Link from 'next/link';
import { getLocale, getTranslations } from 'next-intl/server';
import type { Provider, RefundReason, RefundStatus } from '@/db/schema/enums';
import { RefundStatusBadge } from '@/components/refunds/refund-status-badge';
import { Table, Td, Th } from '@/components/ui/table';
import { formatDateTime, formatRelative } from '@/lib/format';
import { PROVIDER_LABELS } from '@/lib/providers/labels';
import { formatMoney } from '@/lib/money';

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

export async function RefundsTable({
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
  const [t, status, locale] = await Promise.all([getTranslations('history.columns'), getTranslations('status'), getLocale()]);
  return (
    <Table data-testid={testId}>
      <thead>
        <tr>
          <Th aria-sort={sort?.requested.direction}>
            <HeaderLabel label={t('requested')} sort={sort?.requested} />
          </Th>
          <Th>{t('order')}</Th>
          <Th>{t('provider')}</Th>
          <Th>{t('by')}</Th>
          <Th>{t('status')}</Th>
          {showReasons && <Th>{t('reasons')}</Th>}
          {showExpiry && <Th>{t('expires')}</Th>}
          <Th numeric aria-sort={sort?.amount.direction}>
            <HeaderLabel label={t('amount')} sort={sort?.amount} />
          </Th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {rows.map((r) => (
          <tr key={r.id} data-refund-id={r.id} className="hover:bg-slate-50">
            <Td className="whitespace-nowrap">
              <Link href={`/refunds/${r.id}`} className="text-brand-700 hover:underline">
                {formatDateTime(r.createdAt, locale)}
              </Link>
            </Td>
            <Td>
              <Link href={`/orders/${r.orderId}`} className="whitespace-nowrap font-medium text-brand-700 hover:underline">
                {r.orderNumber}
              </Link>
              <div className="text-xs text-slate-500">{r.customerName}</div>
            </Td>
            <Td>{PROVIDER_LABELS[r.provider]}</Td>
            <Td>{r.requestedByName}</Td>
            <Td>
              <RefundStatusBadge status={r.status} />
            </Td>
            {showReasons && (
              <Td className="text-xs">{r.reasons?.map((reason) => status(`reason.${reason}`)).join(', ') || '—'}</Td>
            )}
            {showExpiry && <Td>{r.expiresAt ? formatRelative(r.expiresAt, undefined, locale) : '—'}</Td>}
            <Td numeric>{formatMoney(r.amountMinor, r.currency, locale)}</Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
