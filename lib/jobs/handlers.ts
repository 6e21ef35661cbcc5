import 'server-only';
import type { Db } from '@/db';
import { deleteExpiredSessions } from '@/db/queries/sessions';
import { flushRefusals } from '@/lib/security/refusals';
import { expirePendingApprovals } from '@/lib/approvals/service';
import { SYSTEM_CONTEXT, writeAuditCheckpoint } from '@/lib/audit';
import { refreshOrder } from '@/lib/orders/import';
import { getProviderClient } from '@/lib/providers';
import { submitApprovedRefund } from '@/lib/refunds/pipeline';
import { pollRefund, reconcileRefund, recoverStuckSubmissions, requeueUnfollowedRefunds } from '@/lib/refunds/reconcile';
import { log } from '@/lib/log';
import { processWebhookEvent } from '@/lib/webhooks/ingest';
import type { JobKind } from './kinds';
import type { JobHandler } from './worker';

const id = (value: unknown) => String(value);

/** What runs each kind of background job (the kinds and their payloads are in ./kinds.ts). */
export const JOB_HANDLERS: Record<JobKind, JobHandler> = {
  'webhook.process': async (job, db) => {
    await processWebhookEvent(db, id(job.payload.webhookEventId), getProviderClient, { attempt: job.attempts });
  },
  'order.refresh': async (job, db) => {
    await refreshOrder(db, getProviderClient, SYSTEM_CONTEXT, id(job.payload.orderId));
  },
  'refund.submit': async (job, db) => {
    await submitApprovedRefund(db, id(job.payload.refundId), getProviderClient);
  },
  'refund.poll': (job, db) => pollRefund(db, id(job.payload.refundId), getProviderClient),
  'refund.reconcile': (job, db) => reconcileRefund(db, id(job.payload.refundId), getProviderClient),
};

/**
 * Periodic housekeeping run by every worker: safe to run on many instances at once.
 * `recoverSubmittingAfterMs` (default 60 s) is how long a refund sits in `submitting` before it
 * counts as left there by a crash; only the crash proof shortens it.
 */
export async function sweep(db: Db, options: { recoverSubmittingAfterMs?: number } = {}) {
  await recoverStuckSubmissions(db, options.recoverSubmittingAfterMs);
  await requeueUnfollowedRefunds(db);
  await expirePendingApprovals(db);
  // Sessions past their absolute end: their cookies are dead with or without the row.
  await deleteExpiredSessions(db, new Date());
  // Refused requests added up in memory since the last sweep (lib/security/refusals.ts).
  await flushRefusals(db);
  // A signed checkpoint of the audit chain's head, outside the database, when the chain has grown
  // (lib/audit/checkpoints.ts). It refuses, and logs why, when the chain does not verify against the
  // previous one; a failure here must not stop the jobs this tick runs next.
  await writeAuditCheckpoint(db).catch((error: unknown) => log.error({ err: error }, 'audit checkpoint failed'));
}
