import 'server-only';
import type { DbOrTx } from '@/db';
import { metricsSnapshot } from '@/db/queries/metrics';
import { PROVIDERS, refundStatusEnum } from '@/db/schema/enums';
import { metrics } from './metrics';

const seconds = (value: unknown) => Math.max(0, Number(value ?? 0));

/** Sets the gauges read from the database, all from one snapshot (its cost: db/queries/metrics.ts). */
export async function collectDatabaseGauges(db: DbOrTx): Promise<void> {
  const { refunds, jobs, waiting } = await metricsSnapshot(db);
  const { gauges } = metrics();

  gauges.refunds.reset();
  // Every provider × status, zeros included: an alert on a series never sees it vanish.
  for (const provider of PROVIDERS) for (const status of refundStatusEnum.enumValues) gauges.refunds.set({ provider, status }, 0);
  for (const row of refunds) gauges.refunds.set({ provider: row.provider, status: row.status }, row.n);

  gauges.jobs.reset();
  let oldestDue = 0;
  for (const row of jobs) {
    gauges.jobs.set({ kind: row.kind, status: row.status }, row.n);
    oldestDue = Math.max(oldestDue, seconds(row.oldestDue));
  }
  gauges.jobsOldestDue.set(oldestDue);

  const byStatus = new Map(waiting.map((row) => [row.status, row]));
  const unknown = byStatus.get('outcome_unknown');
  const approvals = byStatus.get('pending_approval');
  gauges.outcomeUnknown.set(unknown?.n ?? 0);
  gauges.outcomeUnknownOldest.set(seconds(unknown?.oldest));
  gauges.approvalsWaiting.set(approvals?.n ?? 0);
  gauges.approvalsOldest.set(seconds(approvals?.oldest));
}
