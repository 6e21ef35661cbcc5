import Link from 'next/link';
import type { ReactNode } from 'react';
import type { AuditEvent } from '@/db/schema';
import type { Locale } from '@/i18n/locales';
import { Badge } from '@/components/ui/badge';
import { Table, Td, Th } from '@/components/ui/table';
import { auditRecordLink } from '@/lib/audit/links';
import { actionInWords, actorInWords, auditWords } from '@/lib/audit/words';
import { formatDateTimeSeconds } from '@/lib/format';
import { AuditChange } from './audit-change';

/**
 * One row per event, newest first, with a link to the record it touched (when the reader may open
 * it). The action reads as words with its code small beneath; the before/after are not in the
 * page: they are fetched when the row's "Before" or "After" is opened (./audit-change.tsx).
 */
export function AuditTable({
  events,
  locale = 'en',
  canOpenUsers = false,
}: {
  events: AuditEvent[];
  locale?: Locale;
  canOpenUsers?: boolean;
}) {
  const t = auditWords(locale);
  return (
    // On a phone each event is a stacked block with small labels, not a wide row to scroll.
    <Table data-testid="audit-table" className="max-sm:block max-sm:divide-y-0">
      <thead className="max-sm:sr-only">
        <tr>
          <Th numeric>{t('columns.seq')}</Th>
          <Th>{t('columns.when')}</Th>
          <Th>{t('columns.who')}</Th>
          <Th>{t('columns.action')}</Th>
          <Th>{t('columns.record')}</Th>
          <Th>{t('columns.change')}</Th>
          <Th>{t('columns.from')}</Th>
          <Th>{t('columns.outcome')}</Th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100 max-sm:block">
        {events.map((e) => {
          const link = auditRecordLink(e, { canOpenUsers });
          const sides = (['before', 'after'] as const).filter((side) => e[side] !== null);
          const actor = actorInWords(t, e, locale);
          const words = actionInWords(t, e.action);
          return (
            <tr
              key={e.id}
              data-testid="audit-row"
              data-seq={e.seq}
              data-action={e.action}
              className="max-sm:grid max-sm:grid-cols-[auto_minmax(0,1fr)] max-sm:gap-y-1 max-sm:py-2"
            >
              <Td numeric className="text-slate-500 max-sm:py-0 max-sm:pr-0 max-sm:text-left">
                <span className="sm:hidden">#</span>
                {e.seq}
              </Td>
              <Td className="whitespace-nowrap max-sm:py-0">
                <time dateTime={e.occurredAt.toISOString()}>{formatDateTimeSeconds(e.occurredAt, locale)}</time>
              </Td>
              <Td className="min-w-40 break-words max-sm:col-span-2 max-sm:min-w-0 max-sm:py-0">
                <PhoneLabel>{t('columns.who')}</PhoneLabel>
                <span title={actor.raw ?? undefined}>{actor.name}</span>
                {actor.detail && <div className="text-xs text-slate-500">{actor.detail}</div>}
              </Td>
              <Td className="min-w-44 max-sm:col-span-2 max-sm:min-w-0 max-sm:py-0">
                <PhoneLabel>{t('columns.action')}</PhoneLabel>
                {words && <div className="text-sm text-slate-900">{words}</div>}
                <div className={words ? 'font-mono text-xs break-all text-slate-500' : 'font-mono text-xs break-all'}>
                  {words ? <span className="sr-only">{t('code', { code: '' })}</span> : null}
                  {e.action}
                </div>
              </Td>
              <Td className="font-mono text-xs max-sm:col-span-2 max-sm:py-0">
                <PhoneLabel>{t('columns.record')}</PhoneLabel>
                {e.entityType}
                {e.entityId && (
                  // Long ids (uuids) shortened on screen; the full id is in the title, the filter and the export.
                  <div className="whitespace-nowrap text-slate-500" title={e.entityId}>
                    {e.entityId.length > 13 ? `${e.entityId.slice(0, 8)}…` : e.entityId}
                  </div>
                )}
                {link && (
                  <Link href={link.href} className="font-sans text-brand-700 underline" data-testid="audit-record-link">
                    {t(`link.${link.kind}`)}
                  </Link>
                )}
              </Td>
              <Td className="min-w-48 max-sm:col-span-2 max-sm:min-w-0 max-sm:py-0">
                {sides.length > 0 ? (
                  <AuditChange
                    seq={e.seq}
                    sides={sides}
                    labels={{
                      before: t('change.before'),
                      after: t('change.after'),
                      nothing: t('change.nothing'),
                      failed: t('change.failed', { message: '' }).trim(),
                      unreachable: t('change.unreachable'),
                      retry: t('change.retry'),
                      loading: t('change.loading'),
                    }}
                  />
                ) : (
                  <span className="text-xs text-slate-400">—</span>
                )}
              </Td>
              <Td className="text-xs text-slate-500 max-sm:py-0" title={e.userAgent ?? undefined}>
                <PhoneLabel>{t('columns.from')}</PhoneLabel>
                {e.ip ?? '—'}
                {e.requestId && (
                  <div className="font-mono whitespace-nowrap" title={t('requestId', { id: e.requestId })}>
                    {t('request', { id: e.requestId.slice(0, 8) })}
                  </div>
                )}
              </Td>
              <Td className="max-sm:py-0 max-sm:text-right">
                {e.outcome === 'success' ? (
                  <Badge tone="green">{t('outcome.success')}</Badge>
                ) : (
                  <Badge tone="red">{t('outcome.failure')}</Badge>
                )}
              </Td>
            </tr>
          );
        })}
      </tbody>
    </Table>
  );
}

/** A column's name above its value where the table is stacked (phones); the header says it elsewhere. */
function PhoneLabel({ children }: { children: ReactNode }) {
  return (
    <span className="block font-sans text-[11px] font-semibold uppercase tracking-wide text-slate-500 sm:hidden">{children}</span>
  );
}
