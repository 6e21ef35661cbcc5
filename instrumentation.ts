/**
 * Runs once when the server starts: opens the database (the embedded one is migrated here;
 * PostgreSQL only with MIGRATE_ON_START=1, see db/index.ts getDbHandle) and starts the background
 * job worker, which any number of instances can run side by side. With NEXT_MANUAL_SIG_HANDLE set
 * (the production server: scripts/standalone.mjs, the Dockerfile) it also owns SIGTERM/SIGINT:
 * a clean stop that lets the work in flight finish (lib/deploy/shutdown.ts).
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  // What Next.js and libraries print with console.* becomes one JSON line each, like the app's own
  // logs (lib/observability/console.ts); `next dev` keeps the terminal's plain lines.
  if (process.env.NODE_ENV === 'production') (await import('./lib/observability/console')).routeConsoleToLog();
  const { getDb, getDbHandle } = await import('./db');
  const handle = await getDbHandle();
  // Demo accounts (published password) beside real providers: refuse to serve at all.
  const { exitIfUnsafeToServe } = await import('./lib/deploy/guard');
  await exitIfUnsafeToServe(handle.db);
  const { installShutdownHandlers, onShutdown } = await import('./lib/deploy/shutdown');
  // Without it Next's own handler exits as soon as the HTTP server has closed, jobs or not.
  if (process.env.NEXT_MANUAL_SIG_HANDLE) installShutdownHandlers();
  if (process.env.JOBS_WORKER !== 'off') {
    const [{ startWorker }, { JOB_HANDLERS, sweep }] = await Promise.all([
      import('./lib/jobs/worker'),
      import('./lib/jobs/handlers'),
    ]);
    const worker = startWorker(getDb, JOB_HANDLERS, Number(process.env.JOBS_POLL_MS || 1000), { sweep });
    onShutdown({ stop: () => worker.stop() });
  }
  onShutdown({ close: () => handle.close() });
}
