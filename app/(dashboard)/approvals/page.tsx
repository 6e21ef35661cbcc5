import type { Metadata } from 'next';
import { getLocale, getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { getDb } from '@/db';
import { listPendingApprovals } from '@/db/queries/approvals';
import { ApprovalDecision } from '@/components/approvals/approval-decision';
import { reasonWords } from '@/components/refunds/reason-words';
import { Badge } from '@/components/ui/badge';
import { Card, EmptyState, PageHeader } from '@/components/ui/card';
import { can } from '@/lib/auth/permissions';
import { requirePagePermission } from '@/lib/auth/session';
import { formatDateTime, formatRelative } from '@/lib/format';
import { PROVIDER_LABELS } from '@/lib/providers/labels';
import { formatMoney } from '@/lib/money';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('approvals'))('title') };
}

export default async function ApprovalsPage() {
  const user = await requirePagePermission('approvals.read');
  const [requests, t, status, locale, said] = await Promise.all([
    listPendingApprovals(await getDb()),
    getTranslations('approvals'),
    getTranslations('status'),
    getLocale(),
    reasonWords(),
  ]);
  // Auditors read the queue; only managers decide (the actions check the permission again).
  const canDecide = can(user.role, 'approvals.decide');
  return (
    <>
      <PageHeader title={t('title')} description={t('description')} />
      {requests.length === 0 ? (
        <Card>
          <EmptyState title={t('empty')}>{t('emptyBody')}</EmptyState>
        </Card>
      ) : (
        <ol className="space-y-3" data-testid="approval-queue">
          {requests.map((r) => {
            const amount = formatMoney(r.amountMinor, r.currency, locale);
            const own = r.requestedBy === user.id;
            return (
              <li key={r.id} data-refund-id={r.id}>
                <Card>
                  <div className="grid gap-4 p-4 md:grid-cols-[1fr_18rem]">
                    <div className="space-y-2">
                      <div className="flex flex-wrap items-center gap-2">
                        <span className="text-lg font-semibold tabular-nums">{amount}</span>
                        <Badge tone="amber">{t('awaiting')}</Badge>
                        <span className="text-sm text-slate-600">
                          <Link className="font-medium text-brand-700 hover:underline" href={`/orders/${r.orderId}`}>
                            {r.orderNumber}
                          </Link>{' '}
                          · {PROVIDER_LABELS[r.provider]} · {r.customerName}
                        </span>
                      </div>
                      <p className="text-xs text-slate-600">
                        {t('requestedBy', {
                          name: r.requestedByName,
                          ago: formatRelative(r.createdAt, undefined, locale),
                          when: formatDateTime(r.createdAt, locale),
                        })}{' '}
                        · {r.expiresAt ? t('expires', { when: formatRelative(r.expiresAt, undefined, locale) }) : t('noExpiry')}
                      </p>
                      {r.statusReason && <p className="text-sm text-slate-700">{said.reason(r.statusReason, null)}</p>}
                      <ul className="divide-y divide-slate-100 rounded border border-slate-200 text-sm">
                        {r.lines.map((l, i) => (
                          <li key={i} className="flex justify-between gap-3 px-3 py-1.5">
                            <span>
                              {l.quantity > 0 ? `${l.quantity} × ` : ''}
                              {l.name} · <span className="text-slate-600">{status(`reason.${l.reason}`)}</span>
                              {l.reasonNote && <span className="text-slate-500"> — {l.reasonNote}</span>}
                            </span>
                            <span className="whitespace-nowrap tabular-nums">
                              {formatMoney(l.amountMinor, r.currency, locale)}
                            </span>
                          </li>
                        ))}
                      </ul>
                      {r.note && <p className="text-xs text-slate-600">{t('note', { note: r.note })}</p>}
                      <Link href={`/refunds/${r.id}`} className="text-xs font-medium text-brand-700 hover:underline">
                        {t('details')}
                      </Link>
                    </div>
                    {!canDecide ? null : own ? (
                      <p className="self-center rounded-md bg-slate-50 p-3 text-sm text-slate-600" data-testid="own-request">
                        {t('own')}
                      </p>
                    ) : (
                      <ApprovalDecision refundId={r.id} linesDigest={r.linesDigest} amountLabel={amount} />
                    )}
                  </div>
                </Card>
              </li>
            );
          })}
        </ol>
      )}
    </>
  );
}
