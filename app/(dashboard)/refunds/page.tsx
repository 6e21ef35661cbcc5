import type { Metadata } from 'next';
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

export const metadata: Metadata = { title: 'Refunds' };

const PAGE_SIZE = 25;

export default async function RefundsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await requirePagePermission('refunds.read');
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
        title="Refunds"
        description="Every refund across orders. The filters live in the address, so a view can be bookmarked and shared."
        actions={
          canExport && (
            <DownloadLink href={href('/api/refunds/export')} data-testid="history-export">
              Export CSV
            </DownloadLink>
          )
        }
      />
      <Card className="mb-4">
        <HistoryFilters
          params={params}
          amounts={amounts}
          rangeError={rangeError}
          people={[...people].sort((a, b) => a.name.localeCompare(b.name))}
        />
      </Card>
      <Card>
        {rows.length === 0 ? (
          <EmptyState title={filtered ? 'No refunds match these filters' : params.cursor ? 'No more refunds' : 'No refunds yet'}>
            {filtered ? (
              <Link className="text-brand-700 underline" href="/refunds">
                Clear the filters
              </Link>
            ) : (
              !params.cursor && 'Refunds appear here once an agent requests one from an order page.'
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
          <nav aria-label="Pages" className="flex justify-between border-t border-slate-200 px-4 py-2.5">
            {params.cursor ? <ButtonLink href={href('/refunds')}>First page</ButtonLink> : <span />}
            {nextCursor && <ButtonLink href={href('/refunds', { cursor: nextCursor })}>Next page</ButtonLink>}
          </nav>
        )}
      </Card>
    </>
  );
}
