import Link from 'next/link';
import { getLocale, getTranslations } from 'next-intl/server';
import type { InFlightRefund } from '@/db/queries/overview';
import { RefundStatusBadge } from '@/components/refunds/refund-status-badge';
import { Table, Td, Th } from '@/components/ui/table';
import { formatDateTime } from '@/lib/format';
import { PROVIDER_LABELS } from '@/lib/providers/labels';
import { formatMoney } from '@/lib/money';

type AgeWords = (key: 'age.days' | 'age.hours' | 'age.minutes', values: Record<string, number>) => string;

/** "3 d 4 h", "5 h 12 min", "7 min" (nb "3 d 4 t"): how long a refund has been waiting, to the unit that matters. */
export function formatAge(ms: number, t: AgeWords) {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  if (days > 0) return t('age.days', { days, hours });
  if (hours > 0) return t('age.hours', { hours, minutes: minutes % 60 });
  return t('age.minutes', { minutes });
}

/** Refunds still waiting on a provider, oldest request first. */
export async function OldestInFlight({ rows }: { rows: InFlightRefund[] }) {
  const [t, locale] = await Promise.all([getTranslations('overview'), getLocale()]);
  return (
    <Table>
      <thead>
        <tr>
          <Th>{t('columns.age')}</Th>
          <Th>{t('columns.requested')}</Th>
          <Th>{t('columns.order')}</Th>
          <Th>{t('columns.provider')}</Th>
          <Th>{t('columns.status')}</Th>
          <Th numeric>{t('columns.amount')}</Th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {rows.map((r) => (
          <tr key={r.id} data-refund-id={r.id} className="hover:bg-slate-50">
            <Td className="whitespace-nowrap font-medium tabular-nums">
              <Link href={`/refunds/${r.id}`} className="text-brand-700 hover:underline">
                {formatAge(r.ageMs, t)}
              </Link>
            </Td>
            <Td className="whitespace-nowrap text-slate-600">{formatDateTime(r.createdAt, locale)}</Td>
            <Td>
              <Link href={`/orders/${r.orderId}`} className="font-medium text-brand-700 hover:underline">
                {r.orderNumber}
              </Link>
            </Td>
            <Td>{PROVIDER_LABELS[r.provider]}</Td>
            <Td>
              <RefundStatusBadge status={r.status} />
            </Td>
            <Td numeric>{formatMoney(r.amountMinor, r.currency, locale)}</Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
