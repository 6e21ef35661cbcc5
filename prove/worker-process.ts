/**
 * The app's job worker alone in a process, as `next start` runs it (instrumentation.ts): the real
 * `startWorker`, the real handlers and the real sweep, on DATABASE_URL. The proof kills it with
 * SIGKILL and starts it again (prove/harness.ts `startWorkerProcess`).
 *
 * JOBS_POLL_MS and JOBS_SWEEP_MS set how often it polls and sweeps (default 100 ms and 1 s here).
 * JOBS_LEASE_MS (how long a claimed job stays this worker's) and RECOVER_SUBMITTING_AFTER_MS (how
 * long a refund sits in `submitting` before the sweep treats it as left by a crash) default to the
 * app's 60 s; the crash proof shortens both so a restart recovers in seconds, not minutes.
 * RD_TEST_HOOKS=1 with RD_CRASH_AT=<point> makes it die at that point (lib/jobs/crash-points.ts).
 * WORKER_GO_FILE: it loads and connects, says ready, and starts working only once that file exists,
 * so the proof can start the next worker while the current one runs (a start costs seconds).
 */
import { existsSync } from 'node:fs';
import { openDb } from '@/db';
import { JOB_HANDLERS, sweep } from '@/lib/jobs/handlers';
import { startWorker } from '@/lib/jobs/worker';

const url = process.env.DATABASE_URL;
if (!url) throw new Error('DATABASE_URL is not set');
const optionalMs = (name: string) => (process.env[name] ? Number(process.env[name]) : undefined);
const recoverSubmittingAfterMs = optionalMs('RECOVER_SUBMITTING_AFTER_MS');
// WORKER_DB_MAX: its connection pool (default 10); the crash proof runs several at once on a shared server.
const handle = await openDb({ url, max: Number(process.env.WORKER_DB_MAX || 10), migrate: false });
console.log(`[worker] ready${process.env.RD_CRASH_AT ? ` (dies at ${process.env.RD_CRASH_AT})` : ''}`);
const goFile = process.env.WORKER_GO_FILE;
if (goFile) {
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      if (!existsSync(goFile)) return;
      clearInterval(timer);
      resolve();
    }, 10);
  });
}
const worker = startWorker(async () => handle.db, JOB_HANDLERS, Number(process.env.JOBS_POLL_MS || 100), {
  sweep: (db) => sweep(db, { recoverSubmittingAfterMs }),
  sweepEveryMs: Number(process.env.JOBS_SWEEP_MS || 1000),
  leaseMs: optionalMs('JOBS_LEASE_MS'),
});
console.log(`[worker] started ${worker.workerId}`);
const keepAlive = setInterval(() => {}, 60_000);
process.on('SIGTERM', () => {
  worker.stop();
  clearInterval(keepAlive);
  void handle.close().then(() => process.exit(0));
});
