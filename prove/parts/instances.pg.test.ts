import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimJobs, completeJob, failJob, insertJob } from '@/db/queries/jobs';
import { freshPostgres, TEST_DATABASE_URL, warnPostgresSkipped } from '@/test/db';
import { checkClaims, installClaimLog } from './instances';

/**
 * The instances part's claim log must see a job run by two workers, or its "0 jobs run twice"
 * proves nothing: here one worker's lease runs out while it still holds the job, and another
 * worker takes it, through the app's own claimJobs.
 */

warnPostgresSkipped('prove/parts/instances.pg.test.ts — the claim log detects a job run by two workers');

describe.skipIf(!TEST_DATABASE_URL)('the instances part’s claim log (PostgreSQL)', () => {
  let database: Awaited<ReturnType<typeof freshPostgres>>;
  beforeAll(async () => {
    database = await freshPostgres(2);
    await installClaimLog(database.superuser);
  });
  afterAll(() => database?.close());

  const pids = { A: 101, B: 202 };
  const check = async () => {
    const failures: string[] = [];
    const figures = await checkClaims(database.superuser, pids, (what) => failures.push(what));
    return { failures, figures };
  };

  it('counts claims, ends and retries without a double run, per instance', async () => {
    await insertJob(database.db, 'refund.poll', { refundId: 'one' }, { dedupeKey: 'one' });
    const [first] = await claimJobs(database.db, { workerId: 'worker-101-a' });
    await failJob(database.db, first!, 'later', new Date(Date.now() - 60_000));
    const [second] = await claimJobs(database.db, { workerId: 'worker-202-b' });
    await completeJob(database.db, second!);
    const { failures, figures } = await check();
    expect(failures).toEqual([]);
    expect(figures).toMatchObject({ 'job claims': 2, 'jobs run by A / B': '1 / 1', 'jobs run twice': 0 });
  });

  it('reports a job claimed by a second worker while the first one’s claim had not ended', async () => {
    await insertJob(database.db, 'refund.poll', { refundId: 'two' }, { dedupeKey: 'two' });
    const [held] = await claimJobs(database.db, { workerId: 'worker-101-a', leaseMs: 1 });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const [taken] = await claimJobs(database.db, { workerId: 'worker-202-b' });
    expect(taken?.id).toBe(held!.id);
    await completeJob(database.db, taken!);
    const { failures, figures } = await check();
    expect(figures['jobs run twice']).toBe(1);
    expect(failures.join('\n')).toMatch(/claimed by B while A's claim had not ended/);
  });
});
