import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '@/db';
import { insertJob } from '@/db/queries/jobs';
import { jobs } from '@/db/schema';
import { startWorker, type JobHandler } from '@/lib/jobs/worker';
import { freshPglite } from '@/test/db';
import { isShuttingDown, onShutdown, shutDown, trackWork } from './shutdown';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a clean stop', () => {
  let handle: DbHandle;
  beforeAll(async () => {
    handle = await freshPglite();
  });
  afterAll(() => handle.close());

  it('the worker finishes the job it started and gives back the ones it claimed but did not start', async () => {
    const ran: string[] = [];
    const slow: JobHandler = async (job) => {
      ran.push(String(job.payload.n));
      await sleep(300);
    };
    for (const n of [1, 2, 3]) await insertJob(handle.db, 'test.slow', { n });
    const worker = startWorker(async () => handle.db, { 'test.slow': slow }, 60_000);
    // All three are claimed in one poll; the first is running.
    await sleep(100);
    const before = await handle.db.select().from(jobs);
    expect(before.map((j) => j.status).sort()).toEqual(['running', 'running', 'running']);

    const started = Date.now();
    await worker.stop();
    expect(Date.now() - started).toBeGreaterThan(100); // it waited for the running job
    expect(ran).toEqual(['1']);
    const after = await handle.db.select().from(jobs).orderBy(jobs.id);
    expect(after.map((j) => ({ n: j.payload.n, status: j.status, attempts: j.attempts, lockedBy: j.lockedBy }))).toEqual([
      { n: 1, status: 'done', attempts: 1, lockedBy: worker.workerId },
      // Due now for any other worker, and the claim that never ran is not an attempt.
      { n: 2, status: 'queued', attempts: 0, lockedBy: null },
      { n: 3, status: 'queued', attempts: 0, lockedBy: null },
    ]);
    expect(after[1]!.runAt.getTime()).toBeLessThanOrEqual(Date.now());
  });

  it('shutDown stops taking work, waits for what is in flight within the bound, then closes', async () => {
    const closed: string[] = [];
    let stopped = false;
    onShutdown({
      stop: async () => {
        stopped = true;
      },
      close: async () => {
        closed.push('db');
      },
    });
    void trackWork(sleep(200));
    expect(isShuttingDown()).toBe(false);
    const started = Date.now();
    const clean = shutDown(5_000);
    expect(isShuttingDown()).toBe(true);
    expect(await clean).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect(stopped).toBe(true);
    expect(closed).toEqual(['db']);
  });

  it('shutDown gives up at the bound and says so', async () => {
    void trackWork(sleep(5_000));
    const started = Date.now();
    expect(await shutDown(300)).toBe(false);
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
