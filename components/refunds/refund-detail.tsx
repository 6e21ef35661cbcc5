import Link from 'next/link';
import { getLocale, getTranslations } from 'next-intl/server';
import type { RefundDetail } from '@/db/queries/refund-detail';
import type { RefundStatus } from '@/db/schema/enums';
import { Badge, type Tone } from '@/components/ui/badge';
import { Card, EmptyState, Stat } from '@/components/ui/card';
import { Table, Td, Th } from '@/components/ui/table';
import { formatDateTime, formatRelative } from '@/lib/format';
import { formatMoney } from '@/lib/money';
import { ProviderError } from './provider-error';

/**
 * The link between a refund its provider refused for its limits and the follow-up that asked the
 * provider to approve it (lib/refunds/provider-approval.ts).
 */
export async function FollowUpNote({ detail }: { detail: RefundDetail }) {
  const { refund, followUp } = detail;
  if (!refund.followUpOf && !followUp) return null;
  const [t, ts] = await Promise.all([getTranslations('refunds.detail'), getTranslations('status.refund')]);
  return (
    <p
      className="mb-4 rounded-lg border border-slate-200 bg-white px-4 py-2 text-sm text-slate-800"
      data-testid="refund-follow-up"
    >
      {refund.followUpOf
        ? t.rich('followUpOf', {
            link: (chunks) => (
              <Link href={`/refunds/${refund.followUpOf}`} className="font-medium text-brand-700 underline">
                {chunks}
              </Link>
            ),
          })
        : t.rich('followedUp', {
            status: ts(followUp!.status),
            link: (chunks) => (
              <Link href={`/refunds/${followUp!.id}`} className="font-medium text-brand-700 underline">
                {chunks}
              </Link>
            ),
          })}
    </p>
  );
}

/** Who asked, who decided, and when each step happened. */
export async function RefundFacts({ detail }: { detail: RefundDetail }) {
  const { refund, requester, approval } = detail;
  const [t, ts, locale] = await Promise.all([getTranslations('refunds.detail'), getTranslations('status'), getLocale()]);
  // eslint-disable-next-line react-hooks/purity -- a server component renders once per request
  const now = new Date(Date.now());
  const when = (value: Date) => formatRelative(value, now, locale);
  const tenders = [...new Set(detail.providerRefunds.map((p) => ts(`tender.${p.tender}`)))].join(', ');
  const approvalText = approval
    ? t(approval.decision === 'approved' ? 'approvedBy' : 'rejectedBy', { name: approval.decidedByName })
    : refund.followUpOf
      ? t('asRefused')
      : refund.status === 'pending_approval'
        ? t('waiting')
        : refund.status === 'expired'
          ? t('expired')
          : // Only a request that needed a manager gets an expiry.
            refund.status === 'canceled' && refund.expiresAt
            ? t('withdrawn')
            : t('notNeeded');
  return (
    <Card className="mb-4">
      <dl className="grid grid-cols-1 gap-4 p-4 min-[360px]:grid-cols-2 md:grid-cols-3 xl:grid-cols-6">
        <Stat
          label={t('amount')}
          value={formatMoney(refund.amountMinor, refund.currency, locale)}
          testId="refund-amount"
          hint={refund.currency}
        />
        <Stat
          label={t('requestedBy')}
          value={<span className="text-base">{requester.name}</span>}
          hint={formatDateTime(refund.createdAt, locale)}
        />
        <Stat
          label={t('approval')}
          value={<span className="text-base">{approvalText}</span>}
          hint={
            approval
              ? [formatDateTime(approval.decidedAt, locale), approval.comment].filter(Boolean).join(' · ')
              : refund.status === 'pending_approval' && refund.expiresAt
                ? t('expires', { when: when(refund.expiresAt) })
                : undefined
          }
        />
        <Stat
          label={t('submitted')}
          value={<span className="text-base">{refund.submittedAt ? when(refund.submittedAt) : t('notYet')}</span>}
          hint={refund.submittedAt ? formatDateTime(refund.submittedAt, locale) : undefined}
        />
        <Stat
          label={t('completed')}
          value={<span className="text-base">{refund.completedAt ? when(refund.completedAt) : t('notYet')}</span>}
          hint={refund.completedAt ? formatDateTime(refund.completedAt, locale) : undefined}
        />
        <Stat
          label={t('goesBackTo')}
          value={<span className="block text-base leading-snug break-all">{refund.paymentRef ?? (tenders || '—')}</span>}
          hint={
            refund.paymentRef
              ? t('captureOrCharge')
              : tenders
                ? undefined
                : RELEASED.includes(refund.status)
                  ? t('nothingRefunded')
                  : t('decidedWhenSent')
          }
        />
      </dl>
      {refund.note && (
        <p className="border-t border-slate-200 px-4 py-2 text-sm break-words text-slate-700">
          <span className="font-medium text-slate-500">{t('internalNote')} </span>
          {refund.note}
        </p>
      )}
    </Card>
  );
}

export async function RefundLinesCard({ detail }: { detail: RefundDetail }) {
  const [t, ts, locale] = await Promise.all([getTranslations('refunds.detail'), getTranslations('status'), getLocale()]);
  const money = (minor: number) => formatMoney(minor, detail.refund.currency, locale);
  return (
    <Card title={t('lines')}>
      <Table data-testid="refund-detail-lines" aria-label={t('lines')}>
        <thead>
          <tr>
            <Th>{t('product')}</Th>
            <Th numeric>{t('quantity')}</Th>
            <Th numeric>{t('amount')}</Th>
            <Th>{t('reason')}</Th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {detail.lines.map((line) => (
            <tr key={line.id}>
              <Td>
                <div className="font-medium">{line.name}</div>
                <div className="font-mono text-xs text-slate-500">{line.providerLineId}</div>
              </Td>
              <Td numeric>
                {line.quantity === 0 ? <span className="text-xs text-slate-500">{t('priceAdjustment')}</span> : line.quantity}
              </Td>
              <Td numeric className="whitespace-nowrap">
                {money(line.amountMinor)}
              </Td>
              <Td>
                {line.reason === 'other' ? t('otherReason') : ts(`reason.${line.reason}`)}
                {line.reasonNote && <div className="text-xs text-slate-500">{line.reasonNote}</div>}
              </Td>
            </tr>
          ))}
        </tbody>
      </Table>
    </Card>
  );
}

const RELEASED: RefundStatus[] = ['failed', 'rejected', 'expired', 'canceled'];

const PART_TONE: Record<string, Tone> = { pending: 'gray', processing: 'blue', succeeded: 'green', failed: 'red' };
const PART_STATUSES = ['pending', 'processing', 'succeeded', 'failed'] as const;
export const isPartStatus = (value: unknown): value is (typeof PART_STATUSES)[number] =>
  (PART_STATUSES as readonly unknown[]).includes(value);

/** Why the provider holds no refund for this one: not sent yet, refused, or not known yet. */
async function NothingAtProvider({ detail }: { detail: RefundDetail }) {
  const t = await getTranslations('refunds.detail');
  const attempts = detail.submissions.length;
  const answered = detail.submissions.filter((s) => s.outcome !== 'pending');
  if (attempts === 0) {
    return (
      <EmptyState title={t('nothingYet')}>
        {detail.refund.status === 'pending_approval' ? t('sentOnceApproved') : t('appearsOnceSent')}
      </EmptyState>
    );
  }
  if (answered.length > 0 && answered.every((s) => s.outcome === 'rejected')) {
    return <EmptyState title={t('refusedTitle')}>{t('refused', { count: attempts })}</EmptyState>;
  }
  return (
    <EmptyState title={t('unconfirmedTitle')}>
      {t(detail.refund.status === 'failed' ? 'unconfirmedSettled' : 'unconfirmed')}
    </EmptyState>
  );
}

export async function ProviderRefundsCard({ detail }: { detail: RefundDetail }) {
  const [t, ts, locale] = await Promise.all([getTranslations('refunds.detail'), getTranslations('status'), getLocale()]);
  const money = (minor: number) => formatMoney(minor, detail.refund.currency, locale);
  return (
    <Card title={t('atProvider')}>
      {detail.providerRefunds.length === 0 ? (
        <NothingAtProvider detail={detail} />
      ) : (
        <Table data-testid="provider-refunds" aria-label={t('atProvider')}>
          <thead>
            <tr>
              <Th>{t('reference')}</Th>
              <Th>{t('tender')}</Th>
              <Th numeric>{t('amount')}</Th>
              <Th>{t('status')}</Th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {detail.providerRefunds.map((part) => (
              <tr key={part.id}>
                <Td>
                  <div className="font-mono text-xs">{part.providerRefundRef ?? '—'}</div>
                  {part.paymentRef && <div className="text-xs text-slate-500">{t('fromPayment', { ref: part.paymentRef })}</div>}
                </Td>
                <Td>
                  <Badge tone="violet">{ts(`tender.${part.tender}`)}</Badge>
                </Td>
                <Td numeric className="whitespace-nowrap">
                  {money(part.amountMinor)}
                </Td>
                <Td>
                  <Badge tone={PART_TONE[part.status] ?? 'gray'}>
                    {isPartStatus(part.status) ? t(`part.${part.status}`) : part.status}
                  </Badge>
                  {part.lastError && (
                    <div className="mt-0.5 text-xs text-red-800">
                      <ProviderError provider={detail.order.provider} error={part.lastError} />
                    </div>
                  )}
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
    </Card>
  );
}
