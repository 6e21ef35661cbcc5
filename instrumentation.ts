/**
 * Runs once when the server starts: opens the database (applying migrations) and starts the
 * background job worker, which any number of instances can run side by side.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { getDb, getDbHandle } = await import('./db');
  const { db } = await getDbHandle();
  // Demo accounts (published password) beside real providers: refuse to serve at all.
  const { exitIfUnsafeToServe } = await import('./lib/deploy/guard');
  await exitIfUnsafeToServe(db);
  if (process.env.JOBS_WORKER === 'off') return;
  const [{ startWorker }, { JOB_HANDLERS, sweep }] = await Promise.all([
    import('./lib/jobs/worker'),
    import('./lib/jobs/handlers'),
  ]);
  startWorker(getDb, JOB_HANDLERS, Number(process.env.JOBS_POLL_MS || 1000), { sweep });
}
