import type { Metadata } from 'next';
import { getLocale, getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { Suspense } from 'react';
import { redirect } from 'next/navigation';
import { getDb } from '@/db';
import { DEADLINE_SOON_DAYS, getOverview, OLDEST_IN_FLIGHT, OVERVIEW_DAYS } from '@/db/queries/overview';
import { NearDeadline } from '@/components/overview/near-deadline';
import { OldestInFlight, formatAge } from '@/components/overview/oldest-in-flight';
import { RefundedTotals } from '@/components/overview/refunded-totals';
import { dayLabel, RefundsPerDay } from '@/components/overview/refunds-per-day';
import { StatusCounts } from '@/components/overview/status-counts';
import { TopReasons } from '@/components/overview/top-reasons';
import { Card, EmptyState, PageHeader, Stat } from '@/components/ui/card';
import { PageSkeleton } from '@/components/ui/page-skeleton';
import { INTL_LOCALE } from '@/i18n/locales';
import { can, homeFor } from '@/lib/auth/permissions';
import { requirePagePermission } from '@/lib/auth/session';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('overview'))('title') };
}

const utcDay = (date: Date) => date.toISOString().slice(0, 10);

export default async function OverviewPage() {
  const user = await requirePagePermission();
  if (!can(user.role, 'overview.read')) redirect(homeFor(user.role));
  // Checked above, outside the boundary, so an agent is redirected rather than shown a skeleton.
  const t = await getTranslations('overview');
  return (
    <Suspense fallback={<PageSkeleton label={t('loading')} blocks={['h-24', 'h-80', 'h-48']} />}>
      <Overview />
    </Suspense>
  );
}

async function Overview() {
  const [overview, t, locale] = await Promise.all([getOverview(await getDb()), getTranslations('overview'), getLocale()]);
  const percent = new Intl.NumberFormat(INTL_LOCALE[locale], { style: 'percent', maximumFractionDigits: 1 });
  const { windows, failureRate, pendingApprovals } = overview;
  const windowFrom = utcDay(windows.windowStart);
  const windowTo = utcDay(windows.todayStart);

  return (
    <>
      <PageHeader title={t('title')} description={t('description', { weekStart: dayLabel(utcDay(windows.weekStart), locale) })} />

      <Card className="mb-4">
        <dl className="grid grid-cols-1 gap-4 p-4 sm:grid-cols-2 xl:grid-cols-4">
          <RefundedTotals label={t('refundedToday')} totals={overview.refundedToday} testId="overview-refunded-today" />
          <RefundedTotals label={t('refundedWeek')} totals={overview.refundedThisWeek} testId="overview-refunded-week" />
          <Stat
            label={t('pending')}
            testId="overview-pending"
            value={
              <Link href="/approvals" className="text-brand-700 hover:underline">
                {t('requestCount', { count: pendingApprovals.count })}
              </Link>
            }
            hint={
              pendingApprovals.oldestCreatedAt
                ? t('oldestWaiting', { age: formatAge(overview.now.getTime() - pendingApprovals.oldestCreatedAt.getTime(), t) })
                : t('nothingWaiting')
            }
          />
          <Stat
            label={t('failureRate', { days: OVERVIEW_DAYS })}
            testId="overview-failure-rate"
            value={failureRate.ratio === null ? '—' : percent.format(failureRate.ratio)}
            hint={
              failureRate.ratio === null
                ? t('noneFinished')
                : t('failedSettled', { failed: failureRate.failed, settled: failureRate.settled })
            }
          />
        </dl>
      </Card>

      <div className="mb-4 grid gap-4 lg:grid-cols-3">
        <div className="lg:col-span-2" data-testid="overview-chart">
          <Card title={t('chartTitle', { days: OVERVIEW_DAYS })} className="h-full">
            <RefundsPerDay days={overview.days} locale={locale} />
          </Card>
        </div>
        <div data-testid="overview-top-reasons">
          <Card title={t('topReasonsTitle', { days: OVERVIEW_DAYS })} className="h-full">
            <TopReasons reasons={overview.topReasons} from={windowFrom} to={windowTo} days={OVERVIEW_DAYS} />
          </Card>
        </div>
      </div>

      <div className="grid gap-4">
        <div data-testid="overview-near-deadline">
          <Card title={t('nearDeadlineTitle', { days: DEADLINE_SOON_DAYS })}>
            {overview.nearDeadline.length === 0 ? (
              <EmptyState title={t('nearDeadlineEmpty')} />
            ) : (
              <NearDeadline rows={overview.nearDeadline} now={overview.now} />
            )}
          </Card>
        </div>
        <div data-testid="overview-oldest">
          <Card
            title={t('oldestTitle')}
            actions={
              overview.inFlightCount > OLDEST_IN_FLIGHT && (
                <Link
                  href="/refunds?status=processing,outcome_unknown&sort=created_asc"
                  className="text-xs font-medium text-brand-700 hover:underline"
                >
                  {t('allInFlight', { count: overview.inFlightCount })}
                </Link>
              )
            }
          >
            {overview.oldestInFlight.length === 0 ? (
              <EmptyState title={t('oldestEmpty')}>{t('oldestEmptyBody')}</EmptyState>
            ) : (
              <OldestInFlight rows={overview.oldestInFlight} />
            )}
          </Card>
        </div>
        <Card title={t('statusTitle')}>
          <StatusCounts counts={overview.statusCounts} />
        </Card>
      </div>
    </>
  );
}
