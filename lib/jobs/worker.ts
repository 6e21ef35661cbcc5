import { randomUUID } from 'node:crypto';
import type { Db } from '@/db';
import type { Job } from '@/db/schema';
import { log } from '@/lib/log';
import { claimJobs, completeJob, failJob, releaseJobs } from '@/db/queries/jobs';

export type JobHandler = (job: Job, db: Db) => Promise<void>;

/** A job that should be tried again later without counting as an error in the logs. */
export class RetryLater extends Error {
  override name = 'RetryLater';
}

/**
 * Claims due jobs and runs each with its handler; returns how many ran. When `stopping` turns true
 * between two jobs, the ones claimed but not started are given back at once (not left to their
 * lease), so another instance runs them without waiting.
 */
export async function runDueJobs(
  db: Db,
  handlers: Record<string, JobHandler>,
  options: { workerId: string; limit?: number; leaseMs?: number; stopping?: () => boolean },
) {
  const claimed = await claimJobs(db, {
    workerId: options.workerId,
    kinds: Object.keys(handlers),
    limit: options.limit ?? 10,
    leaseMs: options.leaseMs,
  });
  let ran = 0;
  for (const job of claimed) {
    if (options.stopping?.()) {
      await releaseJobs(db, claimed.slice(ran), options.workerId);
      break;
    }
    ran += 1;
    try {
      await handlers[job.kind]!(job, db);
      await completeJob(db, job);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (!(error instanceof RetryLater)) log.error({ err: error, jobId: job.id, kind: job.kind }, 'job failed');
      await failJob(db, job, message);
    }
  }
  return ran;
}

/** Polls for due jobs until stopped. One poll at a time per process. */
export function startWorker(
  getDb: () => Promise<Db>,
  handlers: Record<string, JobHandler>,
  intervalMs = 1000,
  /** leaseMs: how long a claimed job is this worker's before another may take it (claimJobs' default: 60 s). */
  options: { sweep?: (db: Db) => Promise<void>; sweepEveryMs?: number; leaseMs?: number } = {},
) {
  let lastSweep = 0;
  const workerId = `worker-${process.pid}-${randomUUID().slice(0, 8)}`;
  let running: Promise<void> | null = null;
  let stopped = false;
  const tick = () => {
    if (running || stopped) return;
    running = poll().finally(() => (running = null));
  };
  const poll = async () => {
    try {
      const db = await getDb();
      if (options.sweep && Date.now() - lastSweep > (options.sweepEveryMs ?? 30_000)) {
        lastSweep = Date.now();
        await options.sweep(db);
      }
      // Drain what is due before waiting for the next tick.
      while (!stopped && (await runDueJobs(db, handlers, { workerId, leaseMs: options.leaseMs, stopping: () => stopped })) > 0) {}
    } catch (error) {
      log.error({ err: error }, 'job worker poll failed');
    }
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  tick();
  return {
    workerId,
    /** Stops polling; resolves once the job running now (if any) has ended and the rest are given back. */
    stop(): Promise<void> {
      stopped = true;
      clearInterval(timer);
      return running ?? Promise.resolve();
    },
  };
}
