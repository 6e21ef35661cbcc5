import Link from 'next/link';
import type { RefundDetail } from '@/db/queries/refund-detail';
import type { RefundStatus } from '@/db/schema/enums';
import { Badge, type Tone } from '@/components/ui/badge';
import { Card, EmptyState, Stat } from '@/components/ui/card';
import { Table, Td, Th } from '@/components/ui/table';
import { formatDateTime, formatRelative, TENDER_LABELS } from '@/lib/format';
import { formatMoney } from '@/lib/money';
import { REASON_LABELS } from '@/lib/refunds/constants';
import { ProviderError } from './provider-error';

/**
 * The link between a refund its provider refused for its limits and the follow-up that asked the
 * provider to approve it (lib/refunds/provider-approval.ts).
 */
export function FollowUpNote({ detail }: { detail: RefundDetail }) {
  const { refund, followUp } = detail;
  if (!refund.followUpOf && !followUp) return null;
  return (
    <p
      className="mb-4 rounded-lg border border-slate-200 bg-white px-4 py-2 text-sm text-slate-800"
      data-testid="refund-follow-up"
    >
      {refund.followUpOf ? (
        <>
          This refund asks the provider to approve{' '}
          <Link href={`/refunds/${refund.followUpOf}`} className="font-medium text-brand-700 underline">
            a refund it refused for its limits
          </Link>
          ; it was approved in Refund Desk there, and refunds the same lines.
        </>
      ) : (
        <>
          The provider was asked to approve this refund:{' '}
          <Link href={`/refunds/${followUp!.id}`} className="font-medium text-brand-700 underline">
            follow-up refund
          </Link>{' '}
          ({followUp!.status.replace(/_/g, ' ')}).
        </>
      )}
    </p>
  );
}

/** Who asked, who decided, and when each step happened. */
export function RefundFacts({ detail }: { detail: RefundDetail }) {
  const { refund, requester, approval } = detail;
  const tenders = [...new Set(detail.providerRefunds.map((p) => TENDER_LABELS[p.tender]))].join(', ');
  return (
    <Card className="mb-4">
      <dl className="grid grid-cols-2 gap-4 p-4 md:grid-cols-6">
        <Stat
          label="Amount"
          value={formatMoney(refund.amountMinor, refund.currency)}
          testId="refund-amount"
          hint={refund.currency}
        />
        <Stat label="Requested by" value={requester.name} hint={formatDateTime(refund.createdAt)} />
        <Stat
          label="Approval"
          value={
            approval
              ? `${approval.decision === 'approved' ? 'Approved' : 'Rejected'} by ${approval.decidedByName}`
              : refund.followUpOf
                ? 'As the refused refund'
                : refund.status === 'pending_approval'
                  ? 'Waiting'
                  : refund.status === 'expired'
                    ? 'Expired'
                    : // Only a request that needed a manager gets an expiry.
                      refund.status === 'canceled' && refund.expiresAt
                      ? 'Withdrawn before a decision'
                      : 'Not needed'
          }
          hint={
            approval
              ? [formatDateTime(approval.decidedAt), approval.comment].filter(Boolean).join(' · ')
              : refund.status === 'pending_approval' && refund.expiresAt
                ? `Expires ${formatRelative(refund.expiresAt)}`
                : undefined
          }
        />
        <Stat
          label="Submitted"
          value={refund.submittedAt ? formatRelative(refund.submittedAt) : 'Not yet'}
          hint={refund.submittedAt ? formatDateTime(refund.submittedAt) : undefined}
        />
        <Stat
          label="Completed"
          value={refund.completedAt ? formatRelative(refund.completedAt) : 'Not yet'}
          hint={refund.completedAt ? formatDateTime(refund.completedAt) : undefined}
        />
        <Stat
          label="Goes back to"
          value={<span className="block whitespace-normal text-base leading-snug">{refund.paymentRef ?? (tenders || '—')}</span>}
          hint={
            refund.paymentRef
              ? 'Reservation capture or charge'
              : tenders
                ? undefined
                : RELEASED.includes(refund.status)
                  ? 'Nothing was refunded'
                  : 'Decided when sent'
          }
        />
      </dl>
      {refund.note && (
        <p className="border-t border-slate-200 px-4 py-2 text-sm text-slate-700">
          <span className="font-medium text-slate-500">Internal note: </span>
          {refund.note}
        </p>
      )}
    </Card>
  );
}

export function RefundLinesCard({ detail }: { detail: RefundDetail }) {
  const money = (minor: number) => formatMoney(minor, detail.refund.currency);
  return (
    <Card title="Lines">
      <Table data-testid="refund-detail-lines">
        <thead>
          <tr>
            <Th>Product</Th>
            <Th numeric>Quantity</Th>
            <Th numeric>Amount</Th>
            <Th>Reason</Th>
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
                {line.quantity === 0 ? <span className="text-xs text-slate-500">Price adjustment</span> : line.quantity}
              </Td>
              <Td numeric>{money(line.amountMinor)}</Td>
              <Td>
                {REASON_LABELS[line.reason].replace(' (explain)', '')}
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
const PART_LABEL: Record<string, string> = {
  pending: 'Pending',
  processing: 'Processing',
  succeeded: 'Refunded',
  failed: 'Failed',
};

/** Why the provider holds no refund for this one: not sent yet, refused, or not known yet. */
function NothingAtProvider({ detail }: { detail: RefundDetail }) {
  const attempts = detail.submissions.length;
  const answered = detail.submissions.filter((s) => s.outcome !== 'pending');
  if (attempts === 0) {
    return (
      <EmptyState title="Nothing at the provider yet">
        {detail.refund.status === 'pending_approval' ? 'It is sent once a manager approves it.' : 'It appears here once sent.'}
      </EmptyState>
    );
  }
  if (answered.length > 0 && answered.every((s) => s.outcome === 'rejected')) {
    return (
      <EmptyState title="Sent and refused">
        The provider refused {attempts === 1 ? 'it' : `all ${attempts} attempts`}, so nothing was refunded. The timeline shows its
        answer.
      </EmptyState>
    );
  }
  return (
    <EmptyState title="Sent; nothing confirmed">
      The provider has not confirmed a refund for it
      {detail.refund.status === 'failed' ? ', and it was settled as not made' : ' yet'}. The timeline shows every attempt and
      check.
    </EmptyState>
  );
}

export function ProviderRefundsCard({ detail }: { detail: RefundDetail }) {
  const money = (minor: number) => formatMoney(minor, detail.refund.currency);
  return (
    <Card title="At the provider">
      {detail.providerRefunds.length === 0 ? (
        <NothingAtProvider detail={detail} />
      ) : (
        <Table data-testid="provider-refunds">
          <thead>
            <tr>
              <Th>Reference</Th>
              <Th>Tender</Th>
              <Th numeric>Amount</Th>
              <Th>Status</Th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {detail.providerRefunds.map((part) => (
              <tr key={part.id}>
                <Td>
                  <div className="font-mono text-xs">{part.providerRefundRef ?? '—'}</div>
                  {part.paymentRef && <div className="text-xs text-slate-500">from {part.paymentRef}</div>}
                </Td>
                <Td>
                  <Badge tone="violet">{TENDER_LABELS[part.tender]}</Badge>
                </Td>
                <Td numeric>{money(part.amountMinor)}</Td>
                <Td>
                  <Badge tone={PART_TONE[part.status] ?? 'gray'}>{PART_LABEL[part.status] ?? part.status}</Badge>
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
