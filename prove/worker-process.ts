/**
 * The app's job worker alone in a process, as `next start` runs it (instrumentation.ts): the real
 * `startWorker`, the real handlers and the real sweep, on DATABASE_URL. The proof kills it with
 * SIGKILL and starts it again (prove/harness.ts `startWorkerProcess`).
 *
 * JOBS_POLL_MS and JOBS_SWEEP_MS set how often it polls and sweeps (default 100 ms and 1 s here).
 */
import { openDb } from '@/db';
import { JOB_HANDLERS, sweep } from '@/lib/jobs/handlers';
import { startWorker } from '@/lib/jobs/worker';

const url = process.env.DATABASE_URL;
if (!url) throw new Error('DATABASE_URL is not set');
const handle = await openDb({ url, max: 10, migrate: false });
const worker = startWorker(async () => handle.db, JOB_HANDLERS, Number(process.env.JOBS_POLL_MS || 100), {
  sweep,
  sweepEveryMs: Number(process.env.JOBS_SWEEP_MS || 1000),
});
console.log(`[worker] ready ${worker.workerId}`);
const keepAlive = setInterval(() => {}, 60_000);
process.on('SIGTERM', () => {
  worker.stop();
  clearInterval(keepAlive);
  void handle.close().then(() => process.exit(0));
});
