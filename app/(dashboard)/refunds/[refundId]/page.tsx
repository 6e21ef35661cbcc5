import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { getLocale, getTranslations } from 'next-intl/server';
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
import { formatMoney } from '@/lib/money';
import { providerLabel } from '@/lib/providers/registry';
import { isFinal } from '@/lib/refunds/lifecycle';
import { canAskProviderApproval } from '@/lib/refunds/provider-approval';
import { canResolveByHand } from '@/lib/refunds/resolve';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('refunds.page');
  return { title: t('metaTitle') };
}

export default async function RefundPage({ params }: { params: Promise<{ refundId: string }> }) {
  const user = await requirePagePermission('refunds.read');
  const { refundId } = await params;
  if (!z.uuid().safeParse(refundId).success) notFound();
  const detail = await getRefundDetail(await getDb(), refundId);
  if (!detail) notFound();
  const { refund, order } = detail;
  const [t, ts, locale] = await Promise.all([getTranslations('refunds.page'), getTranslations('status'), getLocale()]);
  const amount = formatMoney(refund.amountMinor, refund.currency, locale);
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
          <span className="flex flex-wrap items-center gap-x-3 gap-y-1">
            {t('title', { amount })}
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
              {t('order', { number: order.orderNumber })}
            </Link>{' '}
            · {providerLabel(order.provider)} · {ts(`kind.${order.kind}`)} · {order.customerName} (
            <span className="break-all">{order.customerEmail}</span>) ·{' '}
            <span className="font-mono text-xs break-all">{refund.id}</span>
          </>
        }
        actions={
          <div className="flex flex-wrap items-center gap-2">
            {canWithdraw && <CancelRequestButton refundId={refund.id} amountLabel={amount} />}
            {canSettleByHand && (
              <ResolveByHand refundId={refund.id} amountText={amount} providerLabel={providerLabel(order.provider)} />
            )}
            {can(user.role, 'audit.read') && (
              <ButtonLink href={`/audit?entityType=refund&entityId=${refund.id}`}>{t('auditTrail')}</ButtonLink>
            )}
            <ButtonLink href={`/orders/${order.id}`}>{t('openOrder')}</ButtonLink>
          </div>
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
        title={t('timeline')}
        actions={<span className="text-xs text-slate-500">{t('timelineOrder', { count: detail.timeline.length })}</span>}
      >
        <RefundTimeline entries={detail.timeline} provider={order.provider} />
      </Card>
    </>
  );
}
