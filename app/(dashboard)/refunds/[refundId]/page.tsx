import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { z } from 'zod';
import { getDb } from '@/db';
import { getRefundDetail } from '@/db/queries/refund-detail';
import { CancelRequestButton } from '@/components/approvals/cancel-request-button';
import { FollowUpNote, ProviderRefundsCard, RefundFacts, RefundLinesCard } from '@/components/refunds/refund-detail';
import { RefundStatusLive } from '@/components/refunds/refund-status-live';
import { RefundStatusNote } from '@/components/refunds/refund-status-note';
import { RefundTimeline } from '@/components/refunds/refund-timeline';
import { ResolveByHand } from '@/components/refunds/resolve-by-hand';
import { ButtonLink } from '@/components/ui/button';
import { Card, PageHeader } from '@/components/ui/card';
import { can } from '@/lib/auth/permissions';
import { requirePagePermission } from '@/lib/auth/session';
import { KIND_LABELS } from '@/lib/format';
import { formatMoney } from '@/lib/money';
import { providerLabel } from '@/lib/providers/registry';
import { isFinal } from '@/lib/refunds/lifecycle';
import { canAskProviderApproval } from '@/lib/refunds/provider-approval';
import { canResolveByHand } from '@/lib/refunds/resolve';

export const metadata: Metadata = { title: 'Refund' };

export default async function RefundPage({ params }: { params: Promise<{ refundId: string }> }) {
  const user = await requirePagePermission('refunds.read');
  const { refundId } = await params;
  if (!z.uuid().safeParse(refundId).success) notFound();
  const detail = await getRefundDetail(await getDb(), refundId);
  if (!detail) notFound();
  const { refund, order } = detail;
  const amount = formatMoney(refund.amountMinor, refund.currency);
  const canAskProvider = canAskProviderApproval(refund, order.provider) && !detail.followUp && can(user.role, 'refunds.create');

  const canSettleByHand =
    canResolveByHand(refund.status) && can(user.role, 'refunds.reconcile') && refund.requestedBy !== user.id;

  const canWithdraw =
    refund.status === 'pending_approval' &&
    can(user.role, 'refunds.cancel') &&
    (refund.requestedBy === user.id || can(user.role, 'approvals.decide'));

  return (
    <>
      <PageHeader
        title={
          <span className="flex items-center gap-3">
            Refund {amount}
            <RefundStatusLive
              refundId={refund.id}
              initial={{
                status: refund.status,
                final: isFinal(refund.status),
                statusReason: refund.statusReason,
                providerErrorCode: refund.providerErrorCode,
              }}
              refresh="change"
              showReason={false}
            />
          </span>
        }
        description={
          <>
            <Link
              href={`/orders/${order.id}`}
              className="font-medium text-brand-700 hover:underline"
              data-testid="refund-order-link"
            >
              Order {order.orderNumber}
            </Link>{' '}
            · {providerLabel(order.provider)} · {KIND_LABELS[order.kind]} · {order.customerName} ({order.customerEmail}) ·{' '}
            <span className="font-mono text-xs">{refund.id}</span>
          </>
        }
        actions={
          <>
            {canWithdraw && <CancelRequestButton refundId={refund.id} amountLabel={amount} />}
            {canSettleByHand && (
              <ResolveByHand refundId={refund.id} amountText={amount} providerLabel={providerLabel(order.provider)} />
            )}
            {can(user.role, 'audit.read') && (
              <ButtonLink href={`/audit?entityType=refund&entityId=${refund.id}`}>Audit trail</ButtonLink>
            )}
            <ButtonLink href={`/orders/${order.id}`}>Open order</ButtonLink>
          </>
        }
      />

      <RefundStatusNote
        provider={order.provider}
        status={refund.status}
        statusReason={refund.statusReason}
        providerErrorCode={refund.providerErrorCode}
        refundId={refund.id}
        amountText={amount}
        canAskProvider={canAskProvider}
      />

      <FollowUpNote detail={detail} />
      <RefundFacts detail={detail} />
      <div className="mb-4 grid gap-4 lg:grid-cols-2">
        <RefundLinesCard detail={detail} />
        <ProviderRefundsCard detail={detail} />
      </div>
      <Card
        title="Timeline"
        actions={<span className="text-xs text-slate-500">Oldest first · {detail.timeline.length} entries</span>}
      >
        <RefundTimeline entries={detail.timeline} provider={order.provider} />
      </Card>
    </>
  );
}
