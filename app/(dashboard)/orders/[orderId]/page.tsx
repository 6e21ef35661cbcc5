import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { getLocale, getTranslations } from 'next-intl/server';
import { Suspense } from 'react';
import { z } from 'zod';
import { getDb } from '@/db';
import { getOrder } from '@/db/queries/orders';
import { getRefundableFigures } from '@/lib/refunds/figures';
import { listOrderRefunds } from '@/db/queries/refunds';
import { OrderLinesTable } from '@/components/orders/order-lines-table';
import { OrderMoney } from '@/components/orders/order-money';
import { OrderRefresher } from '@/components/orders/order-refresher';
import { OrderStatusBadge } from '@/components/orders/order-status-badge';
import { OrderRefundsTable } from '@/components/orders/order-refunds-table';
import { ProviderStatus } from '@/components/orders/provider-status';
import { RefundPanel, RefundPanelSkeleton } from '@/components/refunds/refund-panel';
import { Badge } from '@/components/ui/badge';
import { Card, EmptyState, PageHeader, Stat } from '@/components/ui/card';
import { Table, Td, Th } from '@/components/ui/table';
import { can } from '@/lib/auth/permissions';
import { requirePagePermission } from '@/lib/auth/session';
import { formatDateTime, formatRelative } from '@/lib/format';
import { PROVIDER_LABELS } from '@/lib/providers/labels';
import { formatMoney } from '@/lib/money';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('orders.page');
  return { title: t('metaTitle') };
}

export default async function OrderPage({ params }: { params: Promise<{ orderId: string }> }) {
  const user = await requirePagePermission('orders.read');
  const { orderId } = await params;
  if (!z.uuid().safeParse(orderId).success) notFound();
  const db = await getDb();
  const found = await getOrder(db, orderId);
  if (!found) notFound();
  const { order, lines, payments } = found;
  const [figures, refunds, t, ts, locale] = await Promise.all([
    getRefundableFigures(db, order.id),
    listOrderRefunds(db, order.id),
    getTranslations('orders.page'),
    getTranslations('status'),
    getLocale(),
  ]);
  const money = (minor: number) => formatMoney(minor, order.currency, locale);
  const provider = PROVIDER_LABELS[order.provider];
  // A server component renders once per request, so reading the clock here is the request time.
  // eslint-disable-next-line react-hooks/purity
  const now = new Date(Date.now());
  const deadlinePassed = order.refundDeadline ? order.refundDeadline.getTime() < now.getTime() : false;

  // The products once: inside the refund form when this user may refund (it is the form's table),
  // else this read-only table. The form's panel shows it too when no refund can be made now.
  const linesTable = (
    <Card title={t('lines')} className="mb-4">
      <OrderLinesTable
        currency={order.currency}
        lines={lines}
        figures={figures.lines}
        showEligibility={lines.some((line) => line.eligibility !== null)}
      />
    </Card>
  );

  return (
    <>
      <PageHeader
        title={
          <span className="flex flex-wrap items-center gap-x-3 gap-y-1">
            {t('title', { number: order.orderNumber })} <OrderStatusBadge status={order.status} />
          </span>
        }
        description={
          <>
            {provider} · {ts(`kind.${order.kind}`)} · <span className="font-mono break-all">{order.providerRef}</span> ·{' '}
            {t('placed', { at: formatDateTime(order.placedAt, locale) })}
          </>
        }
        actions={
          can(user.role, 'orders.import') ? (
            <OrderRefresher orderId={order.id} providerLabel={provider} syncedAt={order.syncedAt.toISOString()} />
          ) : (
            <p className="text-xs text-slate-500" data-testid="order-sync">
              {t('lastRead', { provider, at: formatDateTime(order.syncedAt, locale) })}
            </p>
          )
        }
      />
      {figures.unattributedRefundedMinor > 0 && (
        <p role="note" className="mb-4 rounded-md border border-amber-200 bg-amber-50 px-4 py-2 text-sm text-amber-900">
          {t('unattributed', { amount: money(figures.unattributedRefundedMinor), provider })}
        </p>
      )}

      <Card className="mb-4">
        <div className="grid lg:grid-cols-[minmax(0,3fr)_minmax(0,4fr)]">
          <OrderMoney figures={figures} currency={order.currency} />
          <dl className="grid grid-cols-1 gap-3 border-t border-slate-200 p-4 min-[360px]:grid-cols-2 sm:grid-cols-3 lg:border-t-0 lg:border-l">
            <Stat
              label={t('customer')}
              value={<span className="text-base">{order.customerName}</span>}
              hint={<span className="break-all">{order.customerEmail}</span>}
            />
            <Stat
              label={t('providerStatus', { provider })}
              value={<ProviderStatus code={order.providerStatus} />}
              testId="order-provider-status"
            />
            <Stat
              label={t('deadline')}
              value={
                <span className="text-base">
                  {order.refundDeadline ? formatRelative(order.refundDeadline, now, locale) : t('noDeadline')}
                </span>
              }
              hint={
                order.refundDeadline
                  ? deadlinePassed
                    ? t('deadlinePassed')
                    : formatDateTime(order.refundDeadline, locale)
                  : undefined
              }
            />
          </dl>
        </div>
      </Card>

      {can(user.role, 'refunds.create') ? (
        <Suspense fallback={<RefundPanelSkeleton label={t('loadingForm')} />}>
          <RefundPanel orderId={order.id} user={user} linesTable={linesTable} />
        </Suspense>
      ) : (
        linesTable
      )}

      <div className="grid gap-4 lg:grid-cols-2">
        <Card title={t('payments')}>
          {payments.length === 0 ? (
            <EmptyState title={t('noPayments')}>
              {order.kind === 'reservation' ? t('notPaidOrCaptured') : t('notPaid')}
            </EmptyState>
          ) : (
            <Table data-testid="payments-table" aria-label={t('payments')}>
              <thead>
                <tr>
                  <Th>{t('tender')}</Th>
                  <Th>{t('reference')}</Th>
                  <Th numeric>{t('amount')}</Th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {payments.map((p) => (
                  <tr key={p.id}>
                    <Td>
                      <Badge tone="violet">{ts(`tender.${p.tender}`)}</Badge>
                    </Td>
                    <Td className="font-mono text-xs">{p.providerPaymentRef}</Td>
                    <Td numeric className="whitespace-nowrap">
                      {money(p.amountMinor)}
                    </Td>
                  </tr>
                ))}
              </tbody>
            </Table>
          )}
        </Card>
        <Card title={t('refunds')}>
          {refunds.length === 0 ? <EmptyState title={t('noRefunds')} /> : <OrderRefundsTable rows={refunds} />}
        </Card>
      </div>
    </>
  );
}
