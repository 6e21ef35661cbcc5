import type { Metadata } from 'next';
import { getLocale, getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { getDb } from '@/db';
import { listAuditEvents, listAuditFacets } from '@/db/queries/audit';
import { AuditFilters } from '@/components/audit/audit-filters';
import { AuditTable } from '@/components/audit/audit-table';
import { VerifyChainButton } from '@/components/audit/verify-chain-button';
import { ButtonLink, DownloadLink } from '@/components/ui/button';
import { Card, EmptyState, PageHeader } from '@/components/ui/card';
import { actorContext, recordAudit } from '@/lib/audit';
import { auditQuery, isAuditFiltered, parseAuditSearch, rawAuditValues, type AuditFilter } from '@/lib/audit/filters-schema';
import { auditWords, filterErrorInWords } from '@/lib/audit/words';
import { can } from '@/lib/auth/permissions';
import { requirePagePermission } from '@/lib/auth/session';
import { getRequestMeta } from '@/lib/request';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('audit'))('title') };
}

const PAGE_SIZE = 50;

export default async function AuditPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await requirePagePermission('audit.read');
  const raw = await searchParams;
  const parsed = parseAuditSearch(raw);
  const db = await getDb();
  const facets = await listAuditFacets(db);
  const canExport = can(user.role, 'export.csv');
  const [t, locale] = await Promise.all([getTranslations('audit'), getLocale()]);

  const header = (filter: AuditFilter | null) => (
    <PageHeader
      title={t('title')}
      description={t('description')}
      actions={
        <>
          <ButtonLink href="/audit/refusals">{t('refusals')}</ButtonLink>
          {can(user.role, 'audit.verify') && <VerifyChainButton label={t('verify')} pendingLabel={t('verifying')} />}
          {canExport && filter && (
            <DownloadLink href={withQuery('/api/audit/export', auditQuery(filter))} data-testid="audit-export">
              {t('export')}
            </DownloadLink>
          )}
        </>
      }
    />
  );

  if (!parsed.ok) {
    const words = auditWords(locale);
    const fieldErrors = Object.fromEntries(
      Object.entries(parsed.fieldErrors).map(([key, messages]) => [key, messages?.map((m) => filterErrorInWords(words, m))]),
    ) as typeof parsed.fieldErrors;
    // Nothing is listed (and so nothing read) until the filter says what was meant.
    return (
      <>
        {header(null)}
        <Card className="mb-4">
          <AuditFilters
            values={rawAuditValues(raw)}
            fieldErrors={fieldErrors}
            actions={facets.actions}
            entityTypes={facets.entityTypes}
            actors={facets.actors}
            locale={locale}
          />
        </Card>
        <Card>
          <div role="alert" className="px-6 py-10 text-center" data-testid="audit-filter-error">
            <p className="text-sm font-medium text-red-800">{t('invalidFilters')}</p>
            <ul className="mt-1 text-sm text-slate-600">
              {Object.entries(fieldErrors).map(([key, messages]) => (
                <li key={key}>{messages?.[0]}</li>
              ))}
            </ul>
            <Link className="mt-2 inline-block text-sm text-brand-700 underline" href="/audit">
              {t('clearFilters')}
            </Link>
          </div>
        </Card>
      </>
    );
  }

  const { filter, before } = parsed;
  const { rows, nextBeforeSeq } = await listAuditEvents(db, { ...filter, beforeSeq: before, limit: PAGE_SIZE });
  // Reading the audit log is itself audited (PCI DSS 10.2.1.3), with what was asked for and shown.
  await recordAudit(db, actorContext(user, await getRequestMeta()), {
    action: 'audit.read',
    entityType: 'audit_log',
    after: {
      filters: filter,
      before: before ?? null,
      events: rows.length,
      seqRange: rows.length ? [rows.at(-1)!.seq, rows[0]!.seq] : null,
    },
  });
  const filtered = isAuditFiltered(filter);

  return (
    <>
      {header(filter)}
      <Card className="mb-4">
        <AuditFilters
          values={filter}
          actions={facets.actions}
          entityTypes={facets.entityTypes}
          actors={facets.actors}
          locale={locale}
        />
      </Card>
      <Card>
        {rows.length === 0 ? (
          <EmptyState title={filtered ? t('emptyFiltered') : before ? t('emptyOlder') : t('empty')}>
            {filtered && (
              <Link className="text-brand-700 underline" href="/audit">
                {t('clearFilters')}
              </Link>
            )}
          </EmptyState>
        ) : (
          <AuditTable events={rows} locale={locale} canOpenUsers={can(user.role, 'users.manage')} />
        )}
        {(before || nextBeforeSeq) && (
          <nav aria-label={t('pages')} className="flex justify-between border-t border-slate-200 px-4 py-2.5">
            {before ? <ButtonLink href={withQuery('/audit', auditQuery(filter))}>{t('newest')}</ButtonLink> : <span />}
            {nextBeforeSeq && (
              <ButtonLink href={withQuery('/audit', auditQuery(filter, nextBeforeSeq))} data-testid="audit-older">
                {t('older')}
              </ButtonLink>
            )}
          </nav>
        )}
      </Card>
    </>
  );
}

function withQuery(path: string, query: URLSearchParams) {
  return query.size ? `${path}?${query}` : path;
}
