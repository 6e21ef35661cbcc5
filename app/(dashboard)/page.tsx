import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { getDb } from '@/db';
import { refundCountsByStatus, refundedSince } from '@/db/queries/overview';
import { listRefunds } from '@/db/queries/refunds';
import { REFUND_STATUS } from '@/components/orders/refund-status-badge';
import { RefundsTable } from '@/components/orders/refunds-table';
import { Card, EmptyState, PageHeader, Stat } from '@/components/ui/card';
import { can, homeFor } from '@/lib/auth/permissions';
import { requirePagePermission } from '@/lib/auth/session';
import { PROVIDER_LABELS } from '@/lib/format';
import { formatMoney } from '@/lib/money';

export const metadata: Metadata = { title: 'Overview' };

function startOfUtcDay(now: Date) {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}

export default async function OverviewPage() {
  const user = await requirePagePermission();
  if (!can(user.role, 'overview.read')) redirect(homeFor(user.role));
  const db = await getDb();
  const today = startOfUtcDay(new Date());
  const weekStart = new Date(today.getTime() - ((today.getUTCDay() + 6) % 7) * 86_400_000);
  const [todayRows, weekRows, counts, latest] = await Promise.all([
    refundedSince(db, today),
    refundedSince(db, weekStart),
    refundCountsByStatus(db),
    listRefunds(db, { limit: 10 }),
  ]);
  const countOf = (status: keyof typeof REFUND_STATUS) => counts.find((c) => c.status === status)?.refunds ?? 0;
  const sums = (rows: typeof todayRows) =>
    rows.length
      ? rows.map((r) => `${formatMoney(r.amountMinor, r.currency)} ${PROVIDER_LABELS[r.provider]}`).join(' · ')
      : 'Nothing yet';

  return (
    <>
      <PageHeader title="Overview" description="Refund activity across providers (UTC days)." />
      <Card className="mb-4">
        <dl className="grid grid-cols-2 gap-4 p-4 md:grid-cols-4">
          <Stat label="Refunded today" value={sums(todayRows)} />
          <Stat label="Refunded this week" value={sums(weekRows)} />
          <Stat label="Awaiting approval" value={countOf('pending_approval')} />
          <Stat label="In flight or unknown" value={countOf('processing') + countOf('submitting') + countOf('outcome_unknown')} />
        </dl>
      </Card>
      <Card title="Latest refunds">
        {latest.length === 0 ? <EmptyState title="No refunds yet" /> : <RefundsTable rows={latest} />}
      </Card>
    </>
  );
}
