import type { Metadata } from 'next';
import Link from 'next/link';
import { Suspense } from 'react';
import { redirect } from 'next/navigation';
import { getDb } from '@/db';
import { DEADLINE_SOON_DAYS, getOverview, OLDEST_IN_FLIGHT, OVERVIEW_DAYS } from '@/db/queries/overview';
import { NearDeadline } from '@/components/overview/near-deadline';
import { OldestInFlight, formatAge } from '@/components/overview/oldest-in-flight';
import { RefundedTotals } from '@/components/overview/refunded-totals';
import { RefundsPerDay } from '@/components/overview/refunds-per-day';
import { StatusCounts } from '@/components/overview/status-counts';
import { TopReasons } from '@/components/overview/top-reasons';
import { Card, EmptyState, PageHeader, Stat } from '@/components/ui/card';
import { PageSkeleton } from '@/components/ui/page-skeleton';
import { can, homeFor } from '@/lib/auth/permissions';
import { requirePagePermission } from '@/lib/auth/session';

export const metadata: Metadata = { title: 'Overview' };

const percent = new Intl.NumberFormat('en-US', { style: 'percent', maximumFractionDigits: 1 });
const utcDay = (date: Date) => date.toISOString().slice(0, 10);
const utcDate = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });

export default async function OverviewPage() {
  const user = await requirePagePermission();
  if (!can(user.role, 'overview.read')) redirect(homeFor(user.role));
  // Checked above, outside the boundary, so an agent is redirected rather than shown a skeleton.
  return (
    <Suspense fallback={<PageSkeleton label="Loading the overview…" blocks={['h-24', 'h-80', 'h-48']} />}>
      <Overview />
    </Suspense>
  );
}

async function Overview() {
  const overview = await getOverview(await getDb());
  const { windows, failureRate, pendingApprovals } = overview;
  const windowFrom = utcDay(windows.windowStart);
  const windowTo = utcDay(windows.todayStart);

  return (
    <>
      <PageHeader
        title="Overview"
        description={`Refund activity across providers. Days are UTC; the week starts on Monday ${utcDate.format(windows.weekStart)}.`}
      />

      <Card className="mb-4">
        <dl className="grid grid-cols-1 gap-4 p-4 sm:grid-cols-2 xl:grid-cols-4">
          <RefundedTotals label="Refunded today" totals={overview.refundedToday} testId="overview-refunded-today" />
          <RefundedTotals label="Refunded this week" totals={overview.refundedThisWeek} testId="overview-refunded-week" />
          <Stat
            label="Awaiting approval"
            testId="overview-pending"
            value={
              <Link href="/approvals" className="text-brand-700 hover:underline">
                {pendingApprovals.count} {pendingApprovals.count === 1 ? 'request' : 'requests'}
              </Link>
            }
            hint={
              pendingApprovals.oldestCreatedAt
                ? `Oldest waiting ${formatAge(overview.now.getTime() - pendingApprovals.oldestCreatedAt.getTime())}`
                : 'Nothing waiting'
            }
          />
          <Stat
            label={`Failure rate, ${OVERVIEW_DAYS} days`}
            testId="overview-failure-rate"
            value={failureRate.ratio === null ? '—' : percent.format(failureRate.ratio)}
            hint={
              failureRate.ratio === null
                ? 'No refund finished in this time'
                : `${failureRate.failed} failed · ${failureRate.settled} refunded`
            }
          />
        </dl>
      </Card>

      <div className="mb-4 grid gap-4 lg:grid-cols-3">
        <div className="lg:col-span-2" data-testid="overview-chart">
          <Card title={`Refunds settled per day, last ${OVERVIEW_DAYS} days`} className="h-full">
            <RefundsPerDay days={overview.days} />
          </Card>
        </div>
        <div data-testid="overview-top-reasons">
          <Card title={`Top reasons, last ${OVERVIEW_DAYS} days`} className="h-full">
            <TopReasons reasons={overview.topReasons} from={windowFrom} to={windowTo} />
          </Card>
        </div>
      </div>

      <div className="grid gap-4">
        <div data-testid="overview-near-deadline">
          <Card title={`Requests waiting while the refund deadline runs out (next ${DEADLINE_SOON_DAYS} days)`}>
            {overview.nearDeadline.length === 0 ? (
              <EmptyState title="No waiting request is near its order's refund deadline" />
            ) : (
              <NearDeadline rows={overview.nearDeadline} now={overview.now} />
            )}
          </Card>
        </div>
        <div data-testid="overview-oldest">
          <Card
            title="Oldest refunds waiting on a provider"
            actions={
              overview.inFlightCount > OLDEST_IN_FLIGHT && (
                <Link
                  href="/refunds?status=processing,outcome_unknown&sort=created_asc"
                  className="text-xs font-medium text-brand-700 hover:underline"
                >
                  All {overview.inFlightCount}
                </Link>
              )
            }
          >
            {overview.oldestInFlight.length === 0 ? (
              <EmptyState title="Nothing processing or with an unknown outcome">
                Every refund sent to a provider has a final answer.
              </EmptyState>
            ) : (
              <OldestInFlight rows={overview.oldestInFlight} />
            )}
          </Card>
        </div>
        <Card title="Refunds by status, all time">
          <StatusCounts counts={overview.statusCounts} />
        </Card>
      </div>
    </>
  );
}
