import { sql } from 'drizzle-orm';
import { queryRows, type DbOrTx } from '@/db';

/**
 * What the metrics endpoint reads from the database at each scrape (lib/observability/db-gauges.ts).
 * Cost: one grouped count over `refunds` joined to `orders` (a scan of the refunds table: tens of
 * milliseconds per hundred thousand refunds, so scrape every 30–60 s, not every second); the rest
 * use refunds_status_idx (status, created_at) and jobs_claim_idx (status, run_at) and touch only
 * the rows counted: refunds waiting for approval or in outcome_unknown, jobs queued or running.
 */
export async function metricsSnapshot(db: DbOrTx) {
  const [refunds, jobs, waiting] = await Promise.all([
    queryRows<{ provider: string; status: string; n: number }>(
      db,
      sql`select o.provider::text as provider, r.status::text as status, count(*)::int as n
          from refunds r join orders o on o.id = r.order_id group by 1, 2`,
    ),
    // The oldest due job's age is how long work has waited for a worker (now − run_at).
    queryRows<{ kind: string; status: string; n: number; oldestDue: string | number | null }>(
      db,
      sql`select kind, status::text as status, count(*)::int as n,
                 extract(epoch from now() - min(run_at) filter (where status = 'queued' and run_at <= now()))::float8 as "oldestDue"
          from jobs where status in ('queued', 'running') group by 1, 2`,
    ),
    // Age from the request for approvals; from the last change for outcome_unknown (when it became unknown).
    queryRows<{ status: string; n: number; oldest: string | number | null }>(
      db,
      sql`select status::text as status, count(*)::int as n,
                 extract(epoch from now() - min(case when status = 'outcome_unknown' then updated_at else created_at end))::float8 as oldest
          from refunds where status in ('pending_approval', 'outcome_unknown') group by 1`,
    ),
  ]);
  return { refunds, jobs, waiting };
}
