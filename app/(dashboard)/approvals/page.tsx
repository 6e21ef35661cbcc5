import type { Metadata } from 'next';
import Link from 'next/link';
import { getDb } from '@/db';
import { listPendingApprovals } from '@/db/queries/approvals';
import { ApprovalDecision } from '@/components/approvals/approval-decision';
import { Badge } from '@/components/ui/badge';
import { Card, EmptyState, PageHeader } from '@/components/ui/card';
import { can } from '@/lib/auth/permissions';
import { requirePagePermission } from '@/lib/auth/session';
import { formatDateTime, formatRelative } from '@/lib/format';
import { PROVIDER_LABELS } from '@/lib/providers/labels';
import { formatMoney } from '@/lib/money';
import { REASON_LABELS } from '@/lib/refunds/constants';

export const metadata: Metadata = { title: 'Approvals' };

export default async function ApprovalsPage() {
  const user = await requirePagePermission('approvals.read');
  const requests = await listPendingApprovals(await getDb());
  // Auditors read the queue; only managers decide (the actions check the permission again).
  const canDecide = can(user.role, 'approvals.decide');
  return (
    <>
      <PageHeader
        title="Approvals"
        description="Refund requests that need a manager, oldest first. Nothing is sent before a decision."
      />
      {requests.length === 0 ? (
        <Card>
          <EmptyState title="Nothing waiting for approval">
            Requests above the approval threshold or an agent&apos;s limits appear here.
          </EmptyState>
        </Card>
      ) : (
        <ol className="space-y-3" data-testid="approval-queue">
          {requests.map((r) => {
            const amount = formatMoney(r.amountMinor, r.currency);
            const own = r.requestedBy === user.id;
            return (
              <li key={r.id} data-refund-id={r.id}>
                <Card>
                  <div className="grid gap-4 p-4 md:grid-cols-[1fr_18rem]">
                    <div className="space-y-2">
                      <div className="flex flex-wrap items-center gap-2">
                        <span className="text-lg font-semibold tabular-nums">{amount}</span>
                        <Badge tone="amber">Awaiting approval</Badge>
                        <span className="text-sm text-slate-600">
                          <Link className="font-medium text-brand-700 hover:underline" href={`/orders/${r.orderId}`}>
                            {r.orderNumber}
                          </Link>{' '}
                          · {PROVIDER_LABELS[r.provider]} · {r.customerName}
                        </span>
                      </div>
                      <p className="text-xs text-slate-600">
                        Requested by {r.requestedByName} {formatRelative(r.createdAt)} ({formatDateTime(r.createdAt)}) ·{' '}
                        {r.expiresAt ? <>expires {formatRelative(r.expiresAt)}</> : 'no expiry'}
                      </p>
                      {r.statusReason && <p className="text-sm text-slate-700">{r.statusReason}</p>}
                      <ul className="divide-y divide-slate-100 rounded border border-slate-200 text-sm">
                        {r.lines.map((l, i) => (
                          <li key={i} className="flex justify-between gap-3 px-3 py-1.5">
                            <span>
                              {l.quantity > 0 ? `${l.quantity} × ` : ''}
                              {l.name} · <span className="text-slate-600">{REASON_LABELS[l.reason]}</span>
                              {l.reasonNote && <span className="text-slate-500"> — {l.reasonNote}</span>}
                            </span>
                            <span className="tabular-nums">{formatMoney(l.amountMinor, r.currency)}</span>
                          </li>
                        ))}
                      </ul>
                      {r.note && <p className="text-xs text-slate-600">Note: {r.note}</p>}
                      <Link href={`/refunds/${r.id}`} className="text-xs font-medium text-brand-700 hover:underline">
                        Full details
                      </Link>
                    </div>
                    {!canDecide ? null : own ? (
                      <p className="self-center rounded-md bg-slate-50 p-3 text-sm text-slate-600" data-testid="own-request">
                        You requested this refund, so another manager must decide on it.
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
