import diagnosticsChannel from 'node:diagnostics_channel';
import type { Server } from 'node:http';
import { log } from '@/lib/log';

/**
 * A clean stop of one instance (README "Run it in production", "Stopping an instance"). On SIGTERM
 * or SIGINT: it takes no new work (the HTTP server stops accepting connections, as Next's own
 * handler would; the job worker stops claiming and gives back the jobs it had claimed but not
 * started; approved refunds are left to the queued job instead of being sent from this instance),
 * lets the requests and work already running finish within SHUTDOWN_GRACE_MS, and exits: 0 when
 * everything finished, 1 when the bound cut something off. What was cut off is recoverable by the
 * other instances: its job's lease runs out, and a refund left in `submitting` is recovered after a
 * minute (lib/refunds/reconcile.ts recoverStuckSubmissions).
 *
 * The state lives on globalThis because Next bundles instrumentation.ts and the server actions
 * separately: a module-level variable would exist once per bundle.
 */
interface ShutdownState {
  stopping: boolean;
  /** Work started from a request that outlives it (an approved refund sent right after commit). */
  work: Set<Promise<unknown>>;
  /** What stops taking work and resolves when what it had started has ended (the job worker). */
  stoppers: (() => Promise<void>)[];
  /** Runs last, after the work ended or the bound passed (closing the database). */
  closers: (() => Promise<void>)[];
  /** The HTTP servers of this process, as seen by their requests (watchHttpServers). */
  servers: Set<Server>;
  watching: boolean;
}

const globalForShutdown = globalThis as unknown as { __refundDeskShutdown?: ShutdownState };

function state(): ShutdownState {
  return (globalForShutdown.__refundDeskShutdown ??= {
    stopping: false,
    work: new Set(),
    stoppers: [],
    closers: [],
    servers: new Set(),
    watching: false,
  });
}

export const DEFAULT_SHUTDOWN_GRACE_MS = 20_000;

/** How long in-flight work may take after SIGTERM: SHUTDOWN_GRACE_MS, default 20 s. */
export function shutdownGraceMs() {
  const value = Number(process.env.SHUTDOWN_GRACE_MS);
  return Number.isFinite(value) && value >= 0 && process.env.SHUTDOWN_GRACE_MS ? value : DEFAULT_SHUTDOWN_GRACE_MS;
}

/** True once this instance has been told to stop: it starts nothing new (and readiness says no). */
export function isShuttingDown() {
  return state().stopping;
}

/** Keeps `promise` in the count of work a shutdown waits for, until it settles. */
export function trackWork<T>(promise: Promise<T>): Promise<T> {
  const { work } = state();
  work.add(promise);
  void promise.then(
    () => work.delete(promise),
    () => work.delete(promise),
  );
  return promise;
}

export function onShutdown(handlers: { stop?: () => Promise<void>; close?: () => Promise<void> }) {
  if (handlers.stop) state().stoppers.push(handlers.stop);
  if (handlers.close) state().closers.push(handlers.close);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/**
 * Learns the process's HTTP servers from Node's own `http.server.request.start` diagnostics channel
 * (the server that Next's start-up creates is not handed to the app), so a shutdown can stop them
 * accepting connections.
 */
export function watchHttpServers() {
  const s = state();
  if (s.watching) return;
  s.watching = true;
  diagnosticsChannel.subscribe('http.server.request.start', (message) => {
    const { server } = message as { server?: Server };
    if (server) s.servers.add(server);
  });
}

/** Stops accepting connections; resolves once the open ones have ended (idle keep-alives are closed). */
function closeHttpServer(server: Server) {
  return new Promise<void>((resolve) => {
    const idle = setInterval(() => server.closeIdleConnections(), 100);
    server.close(() => {
      clearInterval(idle);
      resolve();
    });
    server.closeIdleConnections();
  });
}

/**
 * Stops taking work, waits up to `graceMs` for the requests and work in flight, then runs the
 * closers (each given a few seconds). Resolves to whether everything finished in time.
 */
export async function shutDown(graceMs = shutdownGraceMs()): Promise<boolean> {
  const s = state();
  s.stopping = true;
  const deadline = Date.now() + graceMs;
  const finished = Promise.allSettled([...s.stoppers.map((stop) => stop()), ...[...s.servers].map(closeHttpServer)]);
  let drained = await Promise.race([finished.then(() => true), sleep(graceMs).then(() => false)]);
  // Work from requests may still be starting while the rest stops: wait until none is left.
  while (drained && s.work.size > 0) {
    const left = deadline - Date.now();
    if (left <= 0) drained = false;
    else await Promise.race([Promise.allSettled([...s.work]), sleep(left)]);
  }
  const unfinished = s.work.size;
  if (!drained || unfinished > 0) {
    log.warn(
      { graceMs, unfinishedRequestWork: unfinished },
      'shutdown: requests or work still running at the end of the grace period; the other instances recover what was cut off',
    );
  }
  for (const close of s.closers) await Promise.race([close().catch(() => undefined), sleep(5_000)]);
  return drained && unfinished === 0;
}

/**
 * Handles SIGTERM and SIGINT in the server process (instrumentation.ts). Next's own handler closes
 * the HTTP server and exits at once, without waiting for the job worker, so the production server
 * runs with NEXT_MANUAL_SIG_HANDLE=true (scripts/standalone.mjs, the Dockerfile) and this handler
 * owns the exit. A second signal exits at once.
 */
export function installShutdownHandlers() {
  watchHttpServers();
  let started = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (started) {
      log.warn({ signal }, 'shutdown: second signal, exiting now');
      process.exit(1);
    }
    started = true;
    const graceMs = shutdownGraceMs();
    log.info({ signal, graceMs }, 'shutdown: taking no new work, waiting for the work in flight');
    const since = Date.now();
    void shutDown(graceMs).then(
      (clean) => {
        log.info(
          { ms: Date.now() - since, clean },
          clean ? 'shutdown: all work finished, exiting' : 'shutdown: exiting with work cut off',
        );
        process.exit(clean ? 0 : 1);
      },
      (error: unknown) => {
        log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
