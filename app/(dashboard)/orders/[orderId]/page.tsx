import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { Suspense } from 'react';
import { z } from 'zod';
import { getDb } from '@/db';
import { getOrder } from '@/db/queries/orders';
import { getRefundableFigures } from '@/lib/refunds/figures';
import { listOrderRefunds } from '@/db/queries/refunds';
import { OrderLinesTable } from '@/components/orders/order-lines-table';
import { OrderRefresher } from '@/components/orders/order-refresher';
import { OrderStatusBadge } from '@/components/orders/order-status-badge';
import { OrderRefundsTable } from '@/components/orders/order-refunds-table';
import { RefundPanel, RefundPanelSkeleton } from '@/components/refunds/refund-panel';
import { Badge } from '@/components/ui/badge';
import { Card, EmptyState, PageHeader, Stat } from '@/components/ui/card';
import { Table, Td, Th } from '@/components/ui/table';
import { can } from '@/lib/auth/permissions';
import { requirePagePermission } from '@/lib/auth/session';
import { formatDateTime, formatRelative, KIND_LABELS, TENDER_LABELS } from '@/lib/format';
import { PROVIDER_LABELS } from '@/lib/providers/labels';
import { formatMoney } from '@/lib/money';

export const metadata: Metadata = { title: 'Order' };

export default async function OrderPage({ params }: { params: Promise<{ orderId: string }> }) {
  const user = await requirePagePermission('orders.read');
  const { orderId } = await params;
  if (!z.uuid().safeParse(orderId).success) notFound();
  const db = await getDb();
  const found = await getOrder(db, orderId);
  if (!found) notFound();
  const { order, lines, payments } = found;
  const [figures, refunds] = await Promise.all([getRefundableFigures(db, order.id), listOrderRefunds(db, order.id)]);
  const money = (minor: number) => formatMoney(minor, order.currency);
  // A server component renders once per request, so reading the clock here is the request time.
  // eslint-disable-next-line react-hooks/purity
  const deadlinePassed = order.refundDeadline ? order.refundDeadline.getTime() < Date.now() : false;

  return (
    <>
      <PageHeader
        title={
          <span className="flex items-center gap-3">
            Order {order.orderNumber} <OrderStatusBadge status={order.status} />
          </span>
        }
        description={
          <>
            {PROVIDER_LABELS[order.provider]} · {KIND_LABELS[order.kind]} · <span className="font-mono">{order.providerRef}</span>{' '}
            · placed {formatDateTime(order.placedAt)}
          </>
        }
        actions={
          can(user.role, 'orders.import') ? (
            <OrderRefresher
              orderId={order.id}
              providerLabel={PROVIDER_LABELS[order.provider]}
              syncedAt={order.syncedAt.toISOString()}
            />
          ) : (
            <p className="text-xs text-slate-500" data-testid="order-sync">
              Last read from {PROVIDER_LABELS[order.provider]} · {formatDateTime(order.syncedAt)}
            </p>
          )
        }
      />
      {figures.unattributedRefundedMinor > 0 && (
        <p role="note" className="mb-4 rounded-md border border-amber-200 bg-amber-50 px-4 py-2 text-sm text-amber-900">
          {money(figures.unattributedRefundedMinor)} was refunded at {PROVIDER_LABELS[order.provider]} outside Refund Desk. It is
          not shown against a line, but it is no longer refundable.
        </p>
      )}

      <Card className="mb-4">
        <dl className="grid grid-cols-2 gap-4 p-4 md:grid-cols-6">
          <Stat label="Customer" value={order.customerName} hint={order.customerEmail} />
          <Stat label="Currency" value={order.currency} hint={`Provider status: ${order.providerStatus}`} />
          <Stat label="Paid" value={money(figures.paidMinor)} testId="figure-paid" />
          <Stat label="Refunded" value={money(figures.refundedMinor)} testId="figure-refunded" />
          <Stat
            label="Refundable"
            value={money(figures.refundableMinor)}
            testId="figure-refundable"
            hint={figures.reservedMinor > 0 ? `${money(figures.reservedMinor)} held by open requests` : undefined}
          />
          <Stat
            label="Refund deadline"
            value={order.refundDeadline ? formatRelative(order.refundDeadline) : 'None'}
            hint={order.refundDeadline ? (deadlinePassed ? 'Deadline passed' : formatDateTime(order.refundDeadline)) : undefined}
          />
        </dl>
      </Card>

      <Suspense fallback={<RefundPanelSkeleton />}>
        <RefundPanel orderId={order.id} user={user} />
      </Suspense>

      <Card title="Lines" className="mb-4">
        <OrderLinesTable
          currency={order.currency}
          lines={lines}
          figures={figures.lines}
          showEligibility={lines.some((line) => line.eligibility !== null)}
        />
      </Card>

      <div className="grid gap-4 lg:grid-cols-2">
        <Card title="Payments">
          {payments.length === 0 ? (
            <EmptyState title="No payments">
              This order has not been paid{order.kind === 'reservation' ? ' or captured' : ''} yet.
            </EmptyState>
          ) : (
            <Table data-testid="payments-table">
              <thead>
                <tr>
                  <Th>Tender</Th>
                  <Th>Reference</Th>
                  <Th numeric>Amount</Th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {payments.map((p) => (
                  <tr key={p.id}>
                    <Td>
                      <Badge tone="violet">{TENDER_LABELS[p.tender]}</Badge>
                    </Td>
                    <Td className="font-mono text-xs">{p.providerPaymentRef}</Td>
                    <Td numeric>{money(p.amountMinor)}</Td>
                  </tr>
                ))}
              </tbody>
            </Table>
          )}
        </Card>
        <Card title="Refunds on this order">
          {refunds.length === 0 ? <EmptyState title="No refunds yet" /> : <OrderRefundsTable rows={refunds} />}
        </Card>
      </div>
    </>
  );
}
