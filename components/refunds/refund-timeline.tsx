import type { ReactNode } from 'react';
import type { TimelineEntry } from '@/db/queries/refund-detail';
import type { Provider, RefundStatus } from '@/db/schema/enums';
import { Badge, type Tone } from '@/components/ui/badge';
import { JsonDetails } from '@/components/ui/json-details';
import { cn } from '@/lib/cn';
import { formatDateTime, formatDateTimeSeconds, REFUND_STATUS_LABELS, ROLE_LABELS } from '@/lib/format';
import { providerLabel, providerProfile } from '@/lib/providers/registry';
import { ProviderError } from './provider-error';

const statusLabel = (value: unknown) =>
  typeof value === 'string' && value in REFUND_STATUS_LABELS ? REFUND_STATUS_LABELS[value as RefundStatus] : String(value ?? '—');

const field = (value: unknown, key: string): unknown =>
  value && typeof value === 'object' && key in value ? (value as Record<string, unknown>)[key] : undefined;

function actorText(actor: string | null, role: string | null) {
  if (role?.startsWith('provider:')) return providerLabel(role.slice(9));
  if (role === 'system') return 'Refund Desk (automatic)';
  const roleLabel = role && role in ROLE_LABELS ? ROLE_LABELS[role as keyof typeof ROLE_LABELS] : role;
  return [actor, roleLabel && `(${roleLabel.toLowerCase()})`].filter(Boolean).join(' ') || 'Unknown';
}

const AUDIT_TITLES: Record<string, string> = {
  'refund.requested': 'Refund requested',
  'refund.provider_approval_requested': 'Asked the provider to approve (as a follow-up refund)',
  'refund.recovered': 'Picked up again after an interruption',
  'refund.approved': 'Approved',
  'refund.rejected': 'Rejected',
  'refund.canceled': 'Canceled',
  'refund.expired': 'Expired without a decision',
};

function humanize(action: string) {
  const text = action.replace(/[._]/g, ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

type Row = { tone: Tone; tag: string; title: ReactNode; body?: ReactNode; failed?: boolean };

const seconds = (ms: number) =>
  `${(ms / 1000).toLocaleString('en-GB', { minimumFractionDigits: 1, maximumFractionDigits: 1 })} s`;

function describe(entry: TimelineEntry, provider: Provider): Row {
  const profile = providerProfile(provider);
  const providerName = profile.label;
  switch (entry.kind) {
    case 'audit': {
      const by = <span className="text-slate-500"> · by {actorText(entry.actor, entry.actorRole)}</span>;
      const reason = field(entry.after, 'statusReason');
      const code = field(entry.after, 'providerErrorCode');
      const extra =
        typeof reason === 'string' || typeof code === 'string' ? (
          <p className="text-xs text-slate-700">
            {typeof reason === 'string' && reason}
            {typeof code === 'string' && <Code>{code}</Code>}
          </p>
        ) : null;
      const details = <JsonDetails summary="Recorded change" value={{ before: entry.before, after: entry.after }} />;
      if (['refund.status_changed', 'refund.recovered', 'refund.resolved_by_hand'].includes(entry.action)) {
        return {
          tone: 'blue',
          tag: 'Status',
          failed: entry.outcome === 'failure',
          title: (
            <>
              {statusLabel(field(entry.before, 'status'))} → <strong>{statusLabel(field(entry.after, 'status'))}</strong>
              {by}
            </>
          ),
          body: (
            <>
              {extra}
              {details}
            </>
          ),
        };
      }
      if (entry.action === 'provider_refund.status_changed') {
        const ref = field(entry.after, 'providerRefundRef');
        const error = field(entry.after, 'lastError');
        return {
          tone: 'violet',
          tag: 'Provider',
          title: (
            <>
              {providerName} refund {typeof ref === 'string' && <Code>{ref}</Code>}:{' '}
              {String(field(entry.before, 'status') ?? '—')} → <strong>{String(field(entry.after, 'status') ?? '—')}</strong>
              {by}
            </>
          ),
          body: (
            <>
              {typeof error === 'string' && error && (
                <p className="text-xs text-red-800">
                  <ProviderError provider={provider} error={error} />
                </p>
              )}
              {details}
            </>
          ),
        };
      }
      const amount = field(entry.after, 'status');
      return {
        tone: 'gray',
        tag: 'Event',
        failed: entry.outcome === 'failure',
        title: (
          <>
            {AUDIT_TITLES[entry.action] ?? humanize(entry.action)}
            {entry.action === 'refund.requested' && typeof amount === 'string' && <> → {statusLabel(amount)}</>}
            {by}
          </>
        ),
        body: (
          <>
            {extra}
            {details}
          </>
        ),
      };
    }
    case 'request':
      return {
        tone: 'blue',
        tag: 'Request',
        title: field(entry.body, 'approvalFor') ? (
          <>
            Asked {providerName} to approve it · attempt {entry.attempt}
          </>
        ) : (
          <>
            Sent to {providerName} · attempt {entry.attempt}
          </>
        ),
        body: (
          <>
            <p className="text-xs text-slate-500">
              {profile.attemptKeyLabel} <Code>{entry.idempotencyKey}</Code>
            </p>
            <JsonDetails summary="Request body" value={entry.body} />
          </>
        ),
      };
    case 'response': {
      const failed = entry.outcome === 'rejected' || entry.outcome === 'unknown';
      const outcome = {
        pending: 'no answer recorded yet',
        accepted: 'accepted',
        rejected: 'refused',
        unknown: 'outcome unknown',
      }[entry.outcome];
      return {
        tone: failed ? 'red' : 'green',
        tag: 'Response',
        failed,
        title: (
          <>
            Attempt {entry.attempt}:{' '}
            {entry.httpStatus ? `${providerName} answered HTTP ${entry.httpStatus}` : `no answer from ${providerName}`}
            {entry.durationMs !== null && ` after ${seconds(entry.durationMs)}`} · {outcome}
          </>
        ),
        body: (
          <>
            {entry.errorCode && (
              <p className="text-xs text-red-800">
                <ProviderError provider={provider} error={entry.errorCode} />
              </p>
            )}
            <JsonDetails summary="Response body" value={entry.body} />
          </>
        ),
      };
    }
    case 'check':
      return entry.check === 'conclusion'
        ? { tone: entry.finding.includes('did not') ? 'red' : 'green', tag: 'Concluded', title: <strong>{entry.finding}</strong> }
        : {
            tone: 'violet',
            tag: 'Check',
            title: (
              <>
                {entry.finding}
                {entry.attempt !== null && <span className="text-slate-500"> · about attempt {entry.attempt}</span>}
              </>
            ),
            body: <JsonDetails summary="Status read" value={entry.exchange} />,
          };
    case 'webhook': {
      const status = field(field(entry.payload, 'data'), 'status') ?? field(entry.payload, 'status');
      const ref = field(field(entry.payload, 'data'), 'refund_ref');
      return {
        tone: 'violet',
        tag: 'Webhook',
        title: (
          <>
            {providerProfile(entry.provider).notificationLabel} from {providerLabel(entry.provider)}
            {entry.eventType && <> · {entry.eventType}</>}
            {typeof ref === 'string' && (
              <>
                {' '}
                for <Code>{ref}</Code>
              </>
            )}
            {typeof status === 'string' && (
              <>
                {' '}
                · <strong>{status}</strong>
              </>
            )}
          </>
        ),
        body: (
          <>
            <p className="text-xs text-slate-500">
              Event <Code>{entry.eventId.length > 24 ? `${entry.eventId.slice(0, 24)}…` : entry.eventId}</Code>
              {entry.eventCreatedAt && <> · sent {formatDateTime(entry.eventCreatedAt)}</>} ·{' '}
              {entry.processedAt ? `processed ${formatDateTime(entry.processedAt)}` : 'not processed yet'}
              {entry.lastError && <> · {entry.lastError}</>}
            </p>
            <JsonDetails summary="Payload" value={entry.payload} />
          </>
        ),
      };
    }
    case 'record':
      return {
        tone: 'gray',
        tag: 'Record',
        title:
          entry.what === 'requested'
            ? 'Requested'
            : entry.what === 'submitted'
              ? `Sent to ${providerName}`
              : `Completed: ${statusLabel(entry.status)}`,
      };
  }
}

function Code({ children }: { children: ReactNode }) {
  return <code className="ml-1 rounded bg-slate-100 px-1 py-px font-mono text-[11px] text-slate-700">{children}</code>;
}

/** Every state change, provider exchange, webhook and audit event of a refund, oldest first. */
export function RefundTimeline({ entries, provider }: { entries: TimelineEntry[]; provider: Provider }) {
  if (entries.length === 0) return <p className="px-4 py-6 text-center text-sm text-slate-500">Nothing recorded yet.</p>;
  const fromRecord = entries.some((e) => e.kind === 'record');
  return (
    <>
      {fromRecord && (
        <p className="border-b border-slate-100 bg-slate-50 px-4 py-1.5 text-xs text-slate-600">
          This refund has no audit trail (it was made before Refund Desk recorded one, or loaded with the demo data); the times
          below come from the refund record itself.
        </p>
      )}
      <ol className="divide-y divide-slate-100" data-testid="refund-timeline">
        {entries.map((entry, index) => {
          const row = describe(entry, provider);
          return (
            <li
              key={index}
              className="grid grid-cols-[auto_minmax(0,1fr)] gap-x-3 gap-y-1 px-4 py-2 text-sm sm:grid-cols-[11rem_5.5rem_minmax(0,1fr)]"
              data-kind={entry.kind}
            >
              <time dateTime={entry.at.toISOString()} className="whitespace-nowrap text-xs tabular-nums text-slate-500">
                {formatDateTimeSeconds(entry.at)}
              </time>
              <span>
                <Badge tone={row.failed ? 'red' : row.tone}>{row.tag}</Badge>
              </span>
              <div className={cn('col-span-2 min-w-0 space-y-0.5 sm:col-span-1', row.failed && 'text-red-900')}>
                <p>{row.title}</p>
                {row.body}
              </div>
            </li>
          );
        })}
      </ol>
    </>
  );
}
