import { getLocale, getTranslations } from 'next-intl/server';
import type { ReactNode } from 'react';
import type { Locale } from '@/i18n/locales';
import type { TimelineEntry } from '@/db/queries/refund-detail';
import type { Provider, RefundStatus } from '@/db/schema/enums';
import { Badge, type Tone } from '@/components/ui/badge';
import { JsonDetails } from '@/components/ui/json-details';
import { cn } from '@/lib/cn';
import { formatDateTime, formatDateTimeSeconds, REFUND_STATUS_LABELS, ROLE_LABELS } from '@/lib/format';
import { providerLabel, providerProfile } from '@/lib/providers/registry';
import { concludedNoMoneyMoved } from '@/lib/refunds/findings';
import { isPartStatus } from './refund-detail';
import { ProviderError } from './provider-error';
import { reasonWords } from './reason-words';

type T = Awaited<ReturnType<typeof getTranslations<'refunds.timeline'>>>;
type TS = Awaited<ReturnType<typeof getTranslations<'status'>>>;
interface Words {
  t: T;
  ts: TS;
  locale: Locale;
  said: Awaited<ReturnType<typeof reasonWords>>;
}

const field = (value: unknown, key: string): unknown =>
  value && typeof value === 'object' && key in value ? (value as Record<string, unknown>)[key] : undefined;

function actorText(actor: string | null, role: string | null, { t, ts }: Words) {
  if (role?.startsWith('provider:')) return providerLabel(role.slice(9));
  if (role === 'system') return t('system');
  const roleLabel = role && role in ROLE_LABELS ? ts(`role.${role as keyof typeof ROLE_LABELS}`) : role;
  return [actor, roleLabel && `(${roleLabel.toLowerCase()})`].filter(Boolean).join(' ') || t('unknownActor');
}

const AUDIT_TITLES = {
  'refund.requested': 'requested',
  'refund.provider_approval_requested': 'providerApprovalRequested',
  'refund.recovered': 'recovered',
  'refund.approved': 'approved',
  'refund.rejected': 'rejected',
  'refund.canceled': 'canceled',
  'refund.expired': 'expired',
} as const;
const auditTitle = (action: string) => (action in AUDIT_TITLES ? AUDIT_TITLES[action as keyof typeof AUDIT_TITLES] : null);

function humanize(action: string) {
  const text = action.replace(/[._]/g, ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

type Row = { tone: Tone; tag: string; title: ReactNode; body?: ReactNode; failed?: boolean };

const seconds = (ms: number, locale: Locale) =>
  `${(ms / 1000).toLocaleString(locale === 'nb' ? 'nb-NO' : 'en-GB', { minimumFractionDigits: 1, maximumFractionDigits: 1 })} s`;

function describe(entry: TimelineEntry, provider: Provider, words: Words): Row {
  const { t, ts, locale, said } = words;
  const statusLabel = (value: unknown) =>
    typeof value === 'string' && value in REFUND_STATUS_LABELS ? ts(`refund.${value as RefundStatus}`) : String(value ?? '—');
  const partLabel = (value: unknown) => (isPartStatus(value) ? t(`part.${value}`) : String(value ?? '—'));
  const profile = providerProfile(provider);
  const providerName = profile.label;
  switch (entry.kind) {
    case 'audit': {
      const by = <span className="text-slate-500"> · {t('by', { actor: actorText(entry.actor, entry.actorRole, words) })}</span>;
      const reason = field(entry.after, 'statusReason');
      const code = field(entry.after, 'providerErrorCode');
      const extra =
        typeof reason === 'string' || typeof code === 'string' ? (
          <p className="text-xs text-slate-700">
            {said.reason(typeof reason === 'string' ? reason : null, typeof code === 'string' ? code : null)}
            {typeof code === 'string' && <Code>{code}</Code>}
          </p>
        ) : null;
      const details = <JsonDetails summary={t('recordedChange')} value={{ before: entry.before, after: entry.after }} />;
      if (['refund.status_changed', 'refund.recovered', 'refund.resolved_by_hand'].includes(entry.action)) {
        return {
          tone: 'blue',
          tag: t('tag.status'),
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
        // "Frontpayment's refund R-1 went from processing to refunded", not "Frontpayment refund : processing".
        const from = field(entry.before, 'status');
        const to = partLabel(field(entry.after, 'status'));
        return {
          tone: 'violet',
          tag: t('tag.provider'),
          title: (
            <>
              {t.rich(from === undefined || from === null ? 'providerRefundNow' : 'providerRefundMoved', {
                provider: providerName,
                from: partLabel(from).toLowerCase(),
                to: to.toLowerCase(),
                ref: () => (typeof ref === 'string' ? <Code>{ref}</Code> : null),
                strong: (chunks) => <strong>{chunks}</strong>,
              })}
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
      const known = auditTitle(entry.action);
      return {
        tone: 'gray',
        tag: t('tag.event'),
        failed: entry.outcome === 'failure',
        title: (
          <>
            {known ? t(`audit.${known}`) : humanize(entry.action)}
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
        tag: t('tag.request'),
        title: t(field(entry.body, 'approvalFor') ? 'askedApproval' : 'sent', { provider: providerName, attempt: entry.attempt }),
        body: (
          <>
            <p className="text-xs text-slate-500">
              {(t as unknown as { has: (key: string) => boolean }).has(`attemptKey.${provider}`)
                ? t(`attemptKey.${provider}` as 'attemptKey.forage')
                : profile.attemptKeyLabel}{' '}
              <Code>{entry.idempotencyKey}</Code>
            </p>
            <JsonDetails summary={t('requestBody')} value={entry.body} />
          </>
        ),
      };
    case 'response': {
      const failed = entry.outcome === 'rejected' || entry.outcome === 'unknown';
      const outcome = t(`outcome.${entry.outcome}`);
      return {
        tone: failed ? 'red' : 'green',
        tag: t('tag.response'),
        failed,
        title: t(entry.httpStatus ? 'answered' : 'noAnswer', {
          attempt: entry.attempt,
          provider: providerName,
          status: entry.httpStatus ?? 0,
          after: entry.durationMs !== null ? seconds(entry.durationMs, locale) : 'none',
          outcome,
        }),
        body: (
          <>
            {entry.errorCode && (
              <p className="text-xs text-red-800">
                <ProviderError provider={provider} error={entry.errorCode} />
              </p>
            )}
            <JsonDetails summary={t('responseBody')} value={entry.body} />
          </>
        ),
      };
    }
    case 'check':
      return entry.check === 'conclusion'
        ? {
            tone: concludedNoMoneyMoved(entry.finding) ? 'red' : 'green',
            tag: t('tag.concluded'),
            title: <strong>{said.finding(entry.finding)}</strong>,
          }
        : {
            tone: 'violet',
            tag: t('tag.check'),
            title: (
              <>
                {said.finding(entry.finding)}
                {entry.attempt !== null && (
                  <span className="text-slate-500"> · {t('aboutAttempt', { attempt: entry.attempt })}</span>
                )}
              </>
            ),
            body: <JsonDetails summary={t('statusRead')} value={entry.exchange} />,
          };
    case 'webhook': {
      const status = field(field(entry.payload, 'data'), 'status') ?? field(entry.payload, 'status');
      const ref = field(field(entry.payload, 'data'), 'refund_ref');
      return {
        tone: 'violet',
        tag: t('tag.webhook'),
        title: (
          <>
            {t('notificationFrom', {
              kind: providerProfile(entry.provider).notificationLabel,
              provider: providerLabel(entry.provider),
            })}
            {entry.eventType && <> · {entry.eventType}</>}
            {typeof ref === 'string' && (
              <>
                {' '}
                {t('for')} <Code>{ref}</Code>
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
              {t('event')} <Code>{entry.eventId.length > 24 ? `${entry.eventId.slice(0, 24)}…` : entry.eventId}</Code>
              {entry.eventCreatedAt && <> · {t('sentAt', { at: formatDateTime(entry.eventCreatedAt, locale) })}</>} ·{' '}
              {entry.processedAt ? t('processedAt', { at: formatDateTime(entry.processedAt, locale) }) : t('notProcessed')}
              {entry.lastError && <> · {entry.lastError}</>}
            </p>
            <JsonDetails summary={t('payload')} value={entry.payload} />
          </>
        ),
      };
    }
    case 'record':
      return {
        tone: 'gray',
        tag: t('tag.record'),
        title:
          entry.what === 'requested'
            ? t('record.requested')
            : entry.what === 'submitted'
              ? t('record.submitted', { provider: providerName })
              : t('record.completed', { status: statusLabel(entry.status) }),
      };
  }
}

function Code({ children }: { children: ReactNode }) {
  return <code className="ml-1 rounded bg-slate-100 px-1 py-px font-mono text-[11px] break-all text-slate-700">{children}</code>;
}

/** Every state change, provider exchange, webhook and audit event of a refund, oldest first. */
export async function RefundTimeline({ entries, provider }: { entries: TimelineEntry[]; provider: Provider }) {
  const [t, ts, locale, said] = await Promise.all([
    getTranslations('refunds.timeline'),
    getTranslations('status'),
    getLocale(),
    reasonWords(),
  ]);
  const words: Words = { t, ts, locale, said };
  if (entries.length === 0) return <p className="px-4 py-6 text-center text-sm text-slate-500">{t('empty')}</p>;
  const fromRecord = entries.some((e) => e.kind === 'record');
  return (
    <>
      {fromRecord && (
        <p className="border-b border-slate-100 bg-slate-50 px-4 py-1.5 text-xs text-slate-600">{t('fromRecord')}</p>
      )}
      <ol className="divide-y divide-slate-100" data-testid="refund-timeline">
        {entries.map((entry, index) => {
          const row = describe(entry, provider, words);
          return (
            <li
              key={index}
              className="grid grid-cols-[auto_minmax(0,1fr)] gap-x-3 gap-y-1 px-4 py-2 text-sm sm:grid-cols-[11rem_5.5rem_minmax(0,1fr)]"
              data-kind={entry.kind}
            >
              <time dateTime={entry.at.toISOString()} className="whitespace-nowrap text-xs tabular-nums text-slate-500">
                {formatDateTimeSeconds(entry.at, locale)}
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
