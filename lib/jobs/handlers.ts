import 'server-only';
import { lt } from 'drizzle-orm';
import { revokedSessions } from '@/db/schema';
import { expirePendingApprovals } from '@/lib/approvals/service';
import { SYSTEM_CONTEXT } from '@/lib/audit';
import { refreshOrder } from '@/lib/orders/import';
import { getProviderClient } from '@/lib/providers';
import { POLL_REFUND_JOB, RECONCILE_REFUND_JOB, submitApprovedRefund } from '@/lib/refunds/pipeline';
import { pollRefund, reconcileRefund, recoverStuckSubmissions } from '@/lib/refunds/reconcile';
import { SUBMIT_REFUND_JOB } from '@/lib/refunds/service';
import { PROCESS_WEBHOOK_JOB, processWebhookEvent } from '@/lib/webhooks/ingest';
import type { Db } from '@/db';
import type { JobHandler } from './worker';

/** Every kind of background job and what runs it. */
export const JOB_HANDLERS: Record<string, JobHandler> = {
  [PROCESS_WEBHOOK_JOB]: async (job, db) => {
    await processWebhookEvent(db, String(job.payload.webhookEventId), { attempt: job.attempts });
  },
  'order.refresh': async (job, db) => {
    await refreshOrder(db, getProviderClient, SYSTEM_CONTEXT, String(job.payload.orderId));
  },
  [SUBMIT_REFUND_JOB]: async (job, db) => {
    await submitApprovedRefund(db, String(job.payload.refundId), getProviderClient);
  },
  [POLL_REFUND_JOB]: (job, db) => pollRefund(db, String(job.payload.refundId), getProviderClient),
  [RECONCILE_REFUND_JOB]: (job, db) => reconcileRefund(db, String(job.payload.refundId), getProviderClient),
};

/** Periodic housekeeping run by every worker: safe to run on many instances at once. */
export async function sweep(db: Db) {
  await recoverStuckSubmissions(db);
  await expirePendingApprovals(db);
  // A revoked session's cookie has expired by now; the row guards nothing any more.
  await db.delete(revokedSessions).where(lt(revokedSessions.expiresAt, new Date()));
}
