import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { getDb } from '@/db';
import { listRefundHistory } from '@/db/queries/refund-history';
import { listUsers } from '@/db/queries/users';
import { RefundsTable, type SortHeader } from '@/components/refunds/refunds-table';
import { HistoryFilters } from '@/components/refunds/history-filters';
import { ButtonLink, DownloadLink } from '@/components/ui/button';
import { Card, EmptyState, PageHeader } from '@/components/ui/card';
import { can } from '@/lib/auth/permissions';
import { requirePagePermission } from '@/lib/auth/session';
import { historyQuery, isFiltered, parseHistorySearch, type HistorySort } from '@/lib/refunds/history-schema';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('history'))('title') };
}

const PAGE_SIZE = 25;

export default async function RefundsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await requirePagePermission('refunds.read');
  const t = await getTranslations('history');
  const { params, amounts, rangeError } = parseHistorySearch(await searchParams);
  const db = await getDb();
  const [{ rows, nextCursor }, people] = await Promise.all([listRefundHistory(db, params, { limit: PAGE_SIZE }), listUsers(db)]);

  // Every link keeps the filter; only the cursor (and for the headers, the sort) changes.
  const view = { ...params, cursor: undefined };
  const href = (path: string, changes: { sort?: HistorySort; cursor?: string } = {}) => {
    const query = historyQuery({ ...view, ...changes });
    return `${path}${query.size ? `?${query}` : ''}`;
  };
  const header = (desc: HistorySort, asc: HistorySort): SortHeader => ({
    href: href('/refunds', { sort: params.sort === desc ? asc : desc }),
    direction: params.sort === desc ? 'descending' : params.sort === asc ? 'ascending' : 'none',
  });
  const filtered = isFiltered(params);
  const canExport = can(user.role, 'export.csv');

  return (
    <>
      <PageHeader
        title={t('title')}
        description={t('description')}
        actions={
          canExport && (
            <DownloadLink href={href('/api/refunds/export')} data-testid="history-export">
              {t('export')}
            </DownloadLink>
          )
        }
      />
      <Card className="mb-4">
        <HistoryFilters
          params={params}
          amounts={amounts}
          rangeError={Boolean(rangeError)}
          people={[...people].sort((a, b) => a.name.localeCompare(b.name))}
        />
      </Card>
      <Card>
        {rows.length === 0 ? (
          <EmptyState title={filtered ? t('emptyFiltered') : params.cursor ? t('emptyNoMore') : t('empty')}>
            {filtered ? (
              <Link className="text-brand-700 underline" href="/refunds">
                {t('clearFilters')}
              </Link>
            ) : (
              !params.cursor && t('emptyBody')
            )}
          </EmptyState>
        ) : (
          <RefundsTable
            rows={rows}
            showReasons
            testId="history-table"
            sort={{ requested: header('created_desc', 'created_asc'), amount: header('amount_desc', 'amount_asc') }}
          />
        )}
        {(params.cursor || nextCursor) && (
          <nav aria-label={t('pages')} className="flex justify-between border-t border-slate-200 px-4 py-2.5">
            {params.cursor ? <ButtonLink href={href('/refunds')}>{t('firstPage')}</ButtonLink> : <span />}
            {nextCursor && <ButtonLink href={href('/refunds', { cursor: nextCursor })}>{t('nextPage')}</ButtonLink>}
          </nav>
        )}
      </Card>
    </>
  );
}
