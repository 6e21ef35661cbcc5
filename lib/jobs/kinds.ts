import type { DbOrTx } from '@/db';
import { insertJob, jobRow, type EnqueueOptions } from '@/db/queries/jobs';

/**
 * Every kind of background job, with its payload and how it is queued: the one place a job kind
 * is named. The handlers that run them are in lib/jobs/handlers.ts, keyed by these names.
 */
export const JOB_KINDS = {
  /** Send an approved refund (the action also kicks it right after commit; this is the fallback). */
  submitRefund: 'refund.submit',
  /** Follow a refund the provider accepted until the money has moved. */
  pollRefund: 'refund.poll',
  /** Settle an attempt whose outcome is unknown. */
  reconcileRefund: 'refund.reconcile',
  /** Apply one stored webhook delivery. */
  processWebhook: 'webhook.process',
  /** Read an order again from its provider (a callback said it changed). */
  refreshOrder: 'order.refresh',
} as const;

export type JobKind = (typeof JOB_KINDS)[keyof typeof JOB_KINDS];

interface Payloads {
  'refund.submit': { refundId: string };
  'refund.poll': { refundId: string };
  'refund.reconcile': { refundId: string };
  'webhook.process': { webhookEventId: string };
  'order.refresh': { orderId: string };
}

/** The defaults of each kind: a dedupe key (at most one live job per subject), when and how often. */
const DEFAULTS: { [K in JobKind]: (payload: Payloads[K]) => EnqueueOptions } = {
  'refund.submit': (p) => ({ dedupeKey: `submit:${p.refundId}` }),
  'refund.poll': (p) => ({ dedupeKey: `poll:${p.refundId}`, runAt: new Date(Date.now() + 2_000), maxAttempts: 60 }),
  'refund.reconcile': (p) => ({ dedupeKey: `reconcile:${p.refundId}`, runAt: new Date(Date.now() + 5_000), maxAttempts: 40 }),
  'webhook.process': (p) => ({ dedupeKey: `webhook:${p.webhookEventId}` }),
  'order.refresh': (p) => ({ dedupeKey: `order-refresh:${p.orderId}` }),
};

/** Queues a job inside the caller's transaction, so it commits (or not) with the change that needs it. */
export function enqueueJob<K extends JobKind>(db: DbOrTx, kind: K, payload: Payloads[K], options: EnqueueOptions = {}) {
  return insertJob(db, kind, { ...payload }, { ...DEFAULTS[kind](payload), ...options });
}

/** The row enqueueJob would insert, for a statement that inserts it itself (db/queries/webhooks.ts). */
export function jobFor<K extends JobKind>(kind: K, payload: Payloads[K], options: EnqueueOptions = {}) {
  return jobRow(kind, { ...payload }, { ...DEFAULTS[kind](payload), ...options });
}
