import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '@/db';
import { jobs } from '@/db/schema';
import { freshPglite, freshPostgres, TEST_DATABASE_URL, warnPostgresSkipped } from '@/test/db';
import { claimJobs, completeJob, insertJob as enqueue, failJob } from '@/db/queries/jobs';
import { RetryLater, runDueJobs } from './worker';

describe('job queue on PGlite', () => {
  let handle: DbHandle;
  beforeAll(async () => {
    handle = await freshPglite();
  });
  afterAll(() => handle?.close());

  it('dedupes live jobs by key, and allows the key again once done', async () => {
    const first = await enqueue(handle.db, 'test.kind', { n: 1 }, { dedupeKey: 'k1' });
    expect(first).not.toBeNull();
    expect(await enqueue(handle.db, 'test.kind', { n: 2 }, { dedupeKey: 'k1' })).toBeNull();
    const [claimed] = await claimJobs(handle.db, { workerId: 'w', kinds: ['test.kind'] });
    expect(claimed?.payload).toEqual({ n: 1 });
    await completeJob(handle.db, claimed!);
    expect(await enqueue(handle.db, 'test.kind', { n: 3 }, { dedupeKey: 'k1' })).not.toBeNull();
  });

  it('does not hand out a job before its time, and hands out a job whose worker died', async () => {
    const future = await enqueue(handle.db, 'later', {}, { runAt: new Date(Date.now() + 60_000) });
    expect(await claimJobs(handle.db, { workerId: 'w', kinds: ['later'] })).toHaveLength(0);
    const now = new Date(Date.now() + 61_000);
    const [claimed] = await claimJobs(handle.db, { workerId: 'w1', kinds: ['later'], now, leaseMs: 1000 });
    expect(claimed?.id).toBe(future);
    // Still leased: nobody else gets it.
    expect(await claimJobs(handle.db, { workerId: 'w2', kinds: ['later'], now })).toHaveLength(0);
    // Lease ran out (worker crashed): due again, with its attempt counted.
    const [again] = await claimJobs(handle.db, { workerId: 'w2', kinds: ['later'], now: new Date(now.getTime() + 2000) });
    expect(again).toMatchObject({ id: future, attempts: 2, lockedBy: 'w2' });
  });

  it('retries a failed job with backoff and gives up after maxAttempts, visibly', async () => {
    const id = await enqueue(handle.db, 'flaky', {}, { maxAttempts: 2 });
    const handlers = {
      flaky: async () => {
        throw new RetryLater('not yet');
      },
    };
    expect(await runDueJobs(handle.db, handlers, { workerId: 'w' })).toBe(1);
    let [row] = await handle.db.select().from(jobs).where(eq(jobs.id, id!));
    expect(row).toMatchObject({ status: 'queued', attempts: 1, lastError: 'not yet' });
    expect(row!.runAt.getTime()).toBeGreaterThan(Date.now());
    const [claimed] = await claimJobs(handle.db, { workerId: 'w', kinds: ['flaky'], now: new Date(Date.now() + 3_600_000) });
    await failJob(handle.db, claimed!, 'still not');
    [row] = await handle.db.select().from(jobs).where(eq(jobs.id, id!));
    expect(row).toMatchObject({ status: 'failed', attempts: 2, lastError: 'still not' });
  });
});

warnPostgresSkipped('job claims racing across connections (FOR UPDATE SKIP LOCKED)');
describe.skipIf(!TEST_DATABASE_URL)('job queue on PostgreSQL', () => {
  let handle: Awaited<ReturnType<typeof freshPostgres>>;
  beforeAll(async () => {
    handle = await freshPostgres(12);
  });
  afterAll(() => handle?.close());

  it('ten workers claiming at once never take the same job twice', async () => {
    for (let i = 0; i < 60; i++) await enqueue(handle.db, 'race', { i });
    const claims = await Promise.all(
      Array.from({ length: 10 }, (_, w) =>
        handle.db.transaction((tx) => claimJobs(tx, { workerId: `w${w}`, kinds: ['race'], limit: 8 })),
      ),
    );
    const ids = claims.flat().map((j) => j.id);
    expect(ids.length).toBe(60);
    expect(new Set(ids).size).toBe(60);
    // Every worker that got jobs owns exactly those rows.
    for (const [w, claimed] of claims.entries()) for (const job of claimed) expect(job.lockedBy).toBe(`w${w}`);
  });
});
