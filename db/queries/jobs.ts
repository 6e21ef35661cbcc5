import { and, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '@/db';
import { jobs, type Job } from '@/db/schema';
import { timestamp } from '@/db/sql';

export interface EnqueueOptions {
  runAt?: Date;
  /** At most one queued or running job per key; a second enqueue is a no-op. */
  dedupeKey?: string;
  maxAttempts?: number;
}

/** The row a job is inserted as: its kind, payload and the options' values (or the defaults). */
export function jobRow(kind: string, payload: Record<string, unknown>, options: EnqueueOptions = {}) {
  return {
    kind,
    payload,
    runAt: options.runAt ?? new Date(),
    dedupeKey: options.dedupeKey ?? null,
    maxAttempts: options.maxAttempts ?? 10,
  };
}
export type JobRow = ReturnType<typeof jobRow>;

/** Adds a job, inside the caller's transaction when given one, so it commits with the change. Use lib/jobs/kinds.ts `enqueueJob`. */
export async function insertJob(db: DbOrTx, kind: string, payload: Record<string, unknown>, options: EnqueueOptions = {}) {
  const [row] = await db
    .insert(jobs)
    .values(jobRow(kind, payload, options))
    .onConflictDoNothing()
    .returning({ id: jobs.id });
  return row?.id ?? null;
}

/**
 * Claims up to `limit` due jobs for one worker. `FOR UPDATE SKIP LOCKED` lets any number of app
 * instances poll the same table without two of them taking the same job; a job whose lease ran out
 * (its worker died) is due again.
 */
export async function claimJobs(
  db: DbOrTx,
  options: { workerId: string; kinds?: string[]; limit?: number; leaseMs?: number; now?: Date },
): Promise<Job[]> {
  const now = options.now ?? new Date();
  const leaseUntil = new Date(now.getTime() + (options.leaseMs ?? 60_000));
  // Parenthesised as a whole: drizzle's and() does not wrap raw SQL, and OR binds looser than AND.
  const due = sql`((${jobs.status} = 'queued' and ${jobs.runAt} <= ${timestamp(now)})
    or (${jobs.status} = 'running' and ${jobs.lockedUntil} < ${timestamp(now)}))`;
  const kindFilter = options.kinds?.length ? inArray(jobs.kind, options.kinds) : undefined;
  const candidates = db
    .select({ id: jobs.id })
    .from(jobs)
    .where(kindFilter ? and(due, kindFilter) : due)
    .orderBy(jobs.runAt, jobs.id)
    .limit(options.limit ?? 10)
    .for('update', { skipLocked: true });
  return db
    .update(jobs)
    .set({ status: 'running', lockedBy: options.workerId, lockedUntil: leaseUntil, attempts: sql`${jobs.attempts} + 1` })
    .where(inArray(jobs.id, candidates))
    .returning();
}

export async function completeJob(db: DbOrTx, job: Pick<Job, 'id' | 'lockedBy'>) {
  await db
    .update(jobs)
    .set({ status: 'done', lockedUntil: null, lastError: null })
    .where(and(eq(jobs.id, job.id), eq(jobs.status, 'running'), job.lockedBy ? eq(jobs.lockedBy, job.lockedBy) : undefined));
}

/**
 * Gives back jobs a worker claimed but never started (it is stopping): queued again, due now, and
 * the claim's attempt not counted, so another worker takes them at its next poll instead of after
 * the lease.
 */
export async function releaseJobs(db: DbOrTx, claimed: Pick<Job, 'id'>[], workerId: string) {
  if (claimed.length === 0) return;
  await db
    .update(jobs)
    .set({ status: 'queued', lockedBy: null, lockedUntil: null, attempts: sql`${jobs.attempts} - 1` })
    .where(
      and(
        inArray(
          jobs.id,
          claimed.map((job) => job.id),
        ),
        eq(jobs.status, 'running'),
        eq(jobs.lockedBy, workerId),
      ),
    );
}

/** Exponential backoff (5 s, 10 s, 20 s … capped at 10 min); `failed` after the last attempt. */
export function retryDelayMs(attempts: number) {
  return Math.min(5_000 * 2 ** Math.max(attempts - 1, 0), 600_000);
}

export async function failJob(
  db: DbOrTx,
  job: Pick<Job, 'id' | 'attempts' | 'maxAttempts' | 'lockedBy'>,
  error: string,
  now = new Date(),
) {
  const final = job.attempts >= job.maxAttempts;
  await db
    .update(jobs)
    .set({
      status: final ? 'failed' : 'queued',
      runAt: new Date(now.getTime() + retryDelayMs(job.attempts)),
      lockedUntil: null,
      lastError: error.slice(0, 2000),
    })
    .where(and(eq(jobs.id, job.id), eq(jobs.status, 'running')));
}
