import Link from 'next/link';
import { getLocale, getTranslations } from 'next-intl/server';
import type { listOrderRefunds } from '@/db/queries/refunds';
import { Table, Td, Th } from '@/components/ui/table';
import { formatDateTime } from '@/lib/format';
import { formatMoney } from '@/lib/money';
import { isFinal } from '@/lib/refunds/lifecycle';
import { RefundStatusDisplay } from '@/components/refunds/refund-status-display';
import { RefundStatusLive } from '@/components/refunds/refund-status-live';

type Row = Awaited<ReturnType<typeof listOrderRefunds>>[number];

/** The order's refunds; the ones still moving keep their status live and refresh the page when they settle. */
export async function OrderRefundsTable({ rows }: { rows: Row[] }) {
  const [t, locale] = await Promise.all([getTranslations('orders.refunds'), getLocale()]);
  return (
    <Table data-testid="order-refunds-table" aria-label={t('label')}>
      <thead>
        <tr>
          <Th>{t('requested')}</Th>
          <Th>{t('by')}</Th>
          <Th>{t('status')}</Th>
          <Th numeric>{t('amount')}</Th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {rows.map((r) => (
          <tr key={r.id} data-refund-id={r.id} className="hover:bg-slate-50">
            <Td className="whitespace-nowrap">
              <Link href={`/refunds/${r.id}`} className="font-medium text-brand-700 hover:underline">
                {formatDateTime(r.createdAt, locale)}
              </Link>
            </Td>
            <Td>{r.requestedByName}</Td>
            <Td>
              {isFinal(r.status) ? (
                <RefundStatusDisplay status={r.status} statusReason={r.statusReason} providerErrorCode={r.providerErrorCode} />
              ) : (
                <RefundStatusLive
                  refundId={r.id}
                  initial={{
                    status: r.status,
                    final: isFinal(r.status),
                    statusReason: r.statusReason,
                    providerErrorCode: r.providerErrorCode,
                  }}
                  refresh="final"
                />
              )}
            </Td>
            <Td numeric className="whitespace-nowrap">
              {formatMoney(r.amountMinor, r.currency, locale)}
            </Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
