import Link from 'next/link';
import { getLocale, getTranslations } from 'next-intl/server';
import type { NearDeadlineRefund } from '@/db/queries/overview';
import { RefundStatusBadge } from '@/components/refunds/refund-status-badge';
import { Badge } from '@/components/ui/badge';
import { Table, Td, Th } from '@/components/ui/table';
import { formatDateTime, formatRelative } from '@/lib/format';
import { PROVIDER_LABELS } from '@/lib/providers/labels';
import { formatMoney } from '@/lib/money';

/** Requests still waiting (for a manager, or to be sent) while their order's refund deadline runs out. */
export async function NearDeadline({ rows, now }: { rows: NearDeadlineRefund[]; now: Date }) {
  const [t, locale] = await Promise.all([getTranslations('overview'), getLocale()]);
  return (
    <Table>
      <thead>
        <tr>
          <Th>{t('columns.deadline')}</Th>
          <Th>{t('columns.order')}</Th>
          <Th>{t('columns.provider')}</Th>
          <Th>{t('columns.status')}</Th>
          <Th>{t('columns.expires')}</Th>
          <Th numeric>{t('columns.amount')}</Th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {rows.map((r) => {
          const passed = r.refundDeadline.getTime() <= now.getTime();
          return (
            <tr key={r.id} data-refund-id={r.id} className="hover:bg-slate-50">
              <Td className="whitespace-nowrap">
                {passed ? (
                  <Badge tone="red">{t('passed')}</Badge>
                ) : (
                  <span className="font-medium">{formatRelative(r.refundDeadline, now, locale)}</span>
                )}
                <div className="text-xs text-slate-500">{formatDateTime(r.refundDeadline, locale)}</div>
              </Td>
              <Td>
                <Link href={`/orders/${r.orderId}`} className="font-medium text-brand-700 hover:underline">
                  {r.orderNumber}
                </Link>
              </Td>
              <Td>{PROVIDER_LABELS[r.provider]}</Td>
              <Td>
                <Link href={`/refunds/${r.id}`} aria-label={t('openRefund', { order: r.orderNumber })}>
                  <RefundStatusBadge status={r.status} />
                </Link>
              </Td>
              <Td className="whitespace-nowrap text-slate-600">{r.expiresAt ? formatDateTime(r.expiresAt, locale) : '—'}</Td>
              <Td numeric>{formatMoney(r.amountMinor, r.currency, locale)}</Td>
            </tr>
          );
        })}
      </tbody>
    </Table>
  );
}
