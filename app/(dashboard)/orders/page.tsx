import type { Metadata } from 'next';
import Link from 'next/link';
import { getLocale, getTranslations } from 'next-intl/server';
import { getDb } from '@/db';
import { searchOrders } from '@/db/queries/orders';
import { PROVIDERS } from '@/db/schema/enums';
import { ImportOrderForm } from '@/components/orders/import-order-form';
import { OrderFilters } from '@/components/orders/order-filters';
import { OrderStatusBadge } from '@/components/orders/order-status-badge';
import { ButtonLink } from '@/components/ui/button';
import { Card, EmptyState, PageHeader } from '@/components/ui/card';
import { Table, Td, Th } from '@/components/ui/table';
import { can } from '@/lib/auth/permissions';
import { requirePagePermission } from '@/lib/auth/session';
import { formatDateTime } from '@/lib/format';
import { PROVIDER_LABELS } from '@/lib/providers/labels';
import { formatMoney } from '@/lib/money';
import { dateRange, orderSearchParams } from '@/lib/orders/schemas';
import { decodeCursor, encodeCursor } from '@/lib/pagination';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('orders');
  return { title: t('list.title') };
}

export default async function OrdersPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await requirePagePermission('orders.read');
  const [t, ts, locale] = await Promise.all([getTranslations('orders'), getTranslations('status'), getLocale()]);
  const params = orderSearchParams.parse(await searchParams);
  const cursor = decodeCursor(params.cursor);
  const { rows, next } = await searchOrders(await getDb(), {
    q: params.q,
    provider: params.provider,
    status: params.status,
    ...dateRange(params),
    after: cursor ? { placedAt: cursor.at, id: cursor.id } : undefined,
    limit: 25,
  });

  const query = new URLSearchParams();
  for (const key of ['q', 'provider', 'status', 'from', 'to'] as const) {
    const value = params[key];
    if (value) query.set(key, value);
  }
  const firstPage = `/orders${query.size ? `?${query}` : ''}`;
  if (next) query.set('cursor', encodeCursor({ at: next.placedAt, id: next.id }));
  const filtered = Boolean(params.q || params.provider || params.status || params.from || params.to);

  return (
    <>
      <PageHeader title={t('list.title')} description={t('list.description')} />
      <Card className="mb-4">
        <OrderFilters params={params} />
      </Card>
      {can(user.role, 'orders.import') && (
        <details className="mb-4 rounded-lg border border-slate-200 bg-white">
          <summary className="cursor-pointer px-4 py-2.5 text-sm font-medium text-slate-700">{t('import.summary')}</summary>
          <ImportOrderForm providers={PROVIDERS.map((id) => ({ id, label: PROVIDER_LABELS[id] }))} />
        </details>
      )}
      <Card>
        {rows.length === 0 ? (
          <EmptyState title={filtered ? t('list.noMatch') : t('list.none')}>
            {filtered ? (
              <Link className="text-brand-700 underline" href="/orders">
                {t('list.clearFilters')}
              </Link>
            ) : (
              t('list.noneHint')
            )}
          </EmptyState>
        ) : (
          <Table data-testid="orders-table" aria-label={t('list.title')}>
            <thead>
              <tr>
                <Th>{t('list.order')}</Th>
                <Th>{t('list.customer')}</Th>
                <Th>{t('list.provider')}</Th>
                <Th>{t('list.status')}</Th>
                <Th>{t('list.placed')}</Th>
                <Th numeric>{t('list.total')}</Th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {rows.map((order) => (
                <tr key={order.id} className="hover:bg-slate-50">
                  <Td>
                    <Link href={`/orders/${order.id}`} className="font-medium text-brand-700 hover:underline">
                      {order.orderNumber}
                    </Link>
                    <div className="font-mono text-xs text-slate-500">{order.providerRef}</div>
                  </Td>
                  <Td>
                    <div>{order.customerName}</div>
                    <div className="text-xs text-slate-500">{order.customerEmail}</div>
                  </Td>
                  <Td>
                    {PROVIDER_LABELS[order.provider]}
                    <div className="text-xs text-slate-500">{ts(`kind.${order.kind}`)}</div>
                  </Td>
                  <Td>
                    <OrderStatusBadge status={order.status} />
                  </Td>
                  <Td className="whitespace-nowrap">{formatDateTime(order.placedAt, locale)}</Td>
                  <Td numeric className="whitespace-nowrap">
                    {formatMoney(order.totalMinor, order.currency, locale)}
                  </Td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
        {(cursor || next) && (
          <nav aria-label={t('list.pages')} className="flex justify-between border-t border-slate-200 px-4 py-2.5">
            {cursor ? <ButtonLink href={firstPage}>{t('list.firstPage')}</ButtonLink> : <span />}
            {next && <ButtonLink href={`/orders?${query}`}>{t('list.nextPage')}</ButtonLink>}
          </nav>
        )}
      </Card>
    </>
  );
}
