import type { Metadata } from 'next';
import Link from 'next/link';
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
import { formatDateTime, KIND_LABELS } from '@/lib/format';
import { PROVIDER_LABELS } from '@/lib/providers/labels';
import { formatMoney } from '@/lib/money';
import { dateRange, orderSearchParams } from '@/lib/orders/schemas';
import { decodeCursor, encodeCursor } from '@/lib/pagination';

export const metadata: Metadata = { title: 'Orders' };

export default async function OrdersPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await requirePagePermission('orders.read');
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
      <PageHeader title="Orders" description="Find an order by number, provider reference or customer." />
      <Card className="mb-4">
        <OrderFilters params={params} />
      </Card>
      {can(user.role, 'orders.import') && (
        <details className="mb-4 rounded-lg border border-slate-200 bg-white">
          <summary className="cursor-pointer px-4 py-2.5 text-sm font-medium text-slate-700">
            Not here? Import an order from its provider
          </summary>
          <ImportOrderForm providers={PROVIDERS.map((id) => ({ id, label: PROVIDER_LABELS[id] }))} />
        </details>
      )}
      <Card>
        {rows.length === 0 ? (
          <EmptyState title={filtered ? 'No orders match these filters' : 'No orders yet'}>
            {filtered ? (
              <Link className="text-brand-700 underline" href="/orders">
                Clear the filters
              </Link>
            ) : (
              'Orders appear here once they are imported from a provider.'
            )}
          </EmptyState>
        ) : (
          <Table data-testid="orders-table">
            <thead>
              <tr>
                <Th>Order</Th>
                <Th>Customer</Th>
                <Th>Provider</Th>
                <Th>Status</Th>
                <Th>Placed</Th>
                <Th numeric>Total</Th>
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
                    <div className="text-xs text-slate-500">{KIND_LABELS[order.kind]}</div>
                  </Td>
                  <Td>
                    <OrderStatusBadge status={order.status} />
                  </Td>
                  <Td className="whitespace-nowrap">{formatDateTime(order.placedAt)}</Td>
                  <Td numeric>{formatMoney(order.totalMinor, order.currency)}</Td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
        {(cursor || next) && (
          <nav aria-label="Pages" className="flex justify-between border-t border-slate-200 px-4 py-2.5">
            {cursor ? <ButtonLink href={firstPage}>First page</ButtonLink> : <span />}
            {next && <ButtonLink href={`/orders?${query}`}>Next page</ButtonLink>}
          </nav>
        )}
      </Card>
    </>
  );
}
