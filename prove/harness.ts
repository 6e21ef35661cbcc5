/**
 * The proof's shared ground (`npm run prove`, prove/run.ts): what a part is and reports, a fresh
 * PostgreSQL database, the provider sandbox and the job worker as separate processes, a dataset of
 * many orders shared by both worlds, and the seeded random numbers that make a failure rerunnable.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadDemoDataset, type DemoDataset } from '@/demo/schema';

export type Size = 'ci' | 'full';

/** One broken invariant: what, and how to run exactly this again. */
export interface Failure {
  what: string;
  seed: number;
  /** The steps that led there (operations, crash point, provider behaviour…), short. */
  steps?: string[];
}

/** What a part returns; the runner adds its name, time and the command that reproduces it. */
export interface PartOutcome {
  /** Cases run (rounds × operations, crash runs, deliveries, tamperings, inputs: the part says which). */
  cases: number;
  /** What a case is, for the table ("operations", "crash runs", "deliveries"…). */
  unit: string;
  failures: Failure[];
  /** Further figures for the table and the README: label → value, already formatted. */
  figures: Record<string, string | number>;
}

export interface PartContext {
  size: Size;
  /** The run's seed; a part derives every random choice from it (see `rng`). */
  seed: number;
  log(line: string): void;
}

export interface Part {
  /** Short name for `--part` (concurrency, crashes, instances, webhooks, audit, input). */
  name: string;
  title: string;
  /** Needs the production build (two `next start` processes). */
  needsBuild?: boolean;
  run(ctx: PartContext): Promise<PartOutcome>;
}

export interface PartReport extends PartOutcome {
  name: string;
  title: string;
  ms: number;
  seed: number;
  size: Size;
  error?: string;
}

/** The command that runs one part again with the seed that failed. */
export function reproduceCommand(part: string, seed: number, size: Size) {
  return `TEST_DATABASE_URL=${process.env.TEST_DATABASE_URL ?? 'postgres://…'} npm run prove -- --part ${part} --seed ${seed} --size ${size}`;
}

/** A small, fast, seedable generator (mulberry32): the same seed gives the same run. */
export function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
    chance: (p: number) => next() < p,
    shuffle<T>(items: T[]): T[] {
      for (let i = items.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [items[i], items[j]] = [items[j]!, items[i]!];
      }
      return items;
    },
  };
}
export type Rng = ReturnType<typeof rng>;

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Waits until `check` returns something truthy, or throws after `timeoutMs` naming `what`. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | null | undefined | false>,
  timeoutMs = 60_000,
  everyMs = 100,
) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A child process with its output kept (structured log lines are parsed by some parts). */
export interface Child {
  name: string;
  process: ChildProcess;
  /** Every line it printed on stdout and stderr, in order. */
  lines: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Ends it (SIGTERM, then SIGKILL after 5 s) and waits. */
  stop(): Promise<void>;
  /** A real crash: SIGKILL, no clean-up code runs. */
  kill(): Promise<void>;
}

const root = path.resolve(import.meta.dirname, '..');

/**
 * Starts `node --import tsx <file>` (or any command) from the repository root with `env` added to
 * this process's environment; resolves once a line matching `ready` is printed.
 */
export async function startChild(
  name: string,
  command: string[],
  env: Record<string, string>,
  ready: RegExp,
  options: { timeoutMs?: number; echo?: boolean } = {},
): Promise<Child> {
  const child = spawn(command[0]!, command.slice(1), {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let onLine: ((line: string) => void) | null = null;
  for (const stream of [child.stdout!, child.stderr!]) {
    let buffer = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      buffer += chunk;
      let index: number;
      while ((index = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, index);
        buffer = buffer.slice(index + 1);
        lines.push(line);
        if (options.echo || process.env.PROVE_ECHO === '1') console.log(`  [${name}] ${line}`);
        onLine?.(line);
      }
    });
  }
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  let gone = false;
  void exited.then(() => (gone = true));
  const handle: Child = {
    name,
    process: child,
    lines,
    exited,
    async stop() {
      if (gone) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
    async kill() {
      if (gone) return;
      child.kill('SIGKILL');
      await exited;
    },
  };
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      void handle.kill();
      reject(new Error(`${name} did not start within ${options.timeoutMs ?? 60_000} ms:\n${lines.slice(-20).join('\n')}`));
    }, options.timeoutMs ?? 60_000);
    if (lines.some((line) => ready.test(line))) {
      clearTimeout(timer);
      resolve();
      return;
    }
    onLine = (line) => {
      if (ready.test(line)) {
        clearTimeout(timer);
        onLine = null;
        resolve();
      }
    };
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${code ?? signal}) before it was ready:\n${lines.slice(-20).join('\n')}`));
    });
  });
  return handle;
}

/** `node --import tsx <file>`: TypeScript with the repo's `@/` paths, as its own process. */
export function tsxCommand(file: string, options: { serverCode?: boolean } = {}) {
  // App server code imports 'server-only', which only resolves under the react-server condition.
  return [process.execPath, ...(options.serverCode ? ['--conditions=react-server'] : []), '--import', 'tsx', file];
}

/** The environment the app code needs, in this process and in every child (a throwaway audit key). */
export function appEnv(databaseUrl: string, sandboxUrl: string): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl,
    MIGRATION_DATABASE_URL: '',
    PROVIDERS: 'sandbox',
    SANDBOX_URL: sandboxUrl,
    AUDIT_HMAC_KEY: process.env.AUDIT_HMAC_KEY || 'prove-only-audit-key-not-for-production-0123456789',
    AUTH_SECRET: process.env.AUTH_SECRET || 'prove-only-auth-secret-not-for-production-0123456789',
    // Checkpoints belong to one chain: each part's database gets its own folder, or a part would
    // read another database's checkpoints as its own (and refuse to write more).
    AUDIT_CHECKPOINT_DIR: path.join(
      scratchDir(),
      'audit-checkpoints',
      new URL(databaseUrl).pathname.replace(/\W/g, '') || 'default',
    ),
    LOG_LEVEL: process.env.LOG_LEVEL || 'warn',
  };
}

let scratch: string | null = null;
/** One temporary folder per prove run (datasets, checkpoints). */
export function scratchDir() {
  return (scratch ??= mkdtempSync(path.join(tmpdir(), 'refund-desk-prove-')));
}

/**
 * The provider sandbox as its own process (sandbox/main.ts) on a free port, loaded with `dataset`
 * (the same orders the app database is seeded with), calling webhooks to `appUrl` when given.
 */
export async function startSandboxProcess(
  options: { dataset?: DemoDataset; appUrl?: string; env?: Record<string, string> } = {},
): Promise<Child & { url: string }> {
  const port = await freePort();
  const env: Record<string, string> = { SANDBOX_PORT: String(port), SANDBOX_HOST: '127.0.0.1', ...options.env };
  if (options.dataset) {
    const file = path.join(scratchDir(), `dataset-${port}.json`);
    writeFileSync(file, JSON.stringify(options.dataset));
    env.SANDBOX_DATASET = file;
  }
  if (options.appUrl) env.SANDBOX_APP_URL = options.appUrl;
  const child = await startChild(`sandbox:${port}`, tsxCommand('sandbox/main.ts'), env, /listening on/);
  return Object.assign(child, { url: `http://127.0.0.1:${port}` });
}

/**
 * The app's job worker as its own process (prove/worker-process.ts: the real `startWorker` with
 * the real handlers and sweep), on `databaseUrl`, sending to the sandbox at `sandboxUrl`.
 */
export function startWorkerProcess(name: string, env: Record<string, string>) {
  return startChild(name, tsxCommand('prove/worker-process.ts', { serverCode: true }), env, /\[worker\] ready/);
}

/** Calls the sandbox's control API (sandbox/server.ts): faults, settlement, state, the request log. */
export async function sandboxControl<T = unknown>(sandboxUrl: string, method: string, route: string, body?: unknown): Promise<T> {
  const response = await fetch(`${sandboxUrl}/__control/${route}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`sandbox ${method} ${route}: ${response.status} ${text}`);
  return (text ? JSON.parse(text) : null) as T;
}

/** One request the sandbox received (its request log, sandbox/server.ts `requests`). */
export interface SandboxRequest {
  provider: string;
  operation: string;
  method: string;
  path: string;
  body: string;
  at: string;
}

/** Every provider request the sandbox received, in order: what "sent once" is counted against. */
export async function sandboxRequests(sandboxUrl: string): Promise<SandboxRequest[]> {
  return (await sandboxControl<{ requests: SandboxRequest[] }>(sandboxUrl, 'GET', 'requests')).requests;
}

/**
 * The demo orders, `copies` times over, each copy with its own references and order numbers, so a
 * run has as many independent orders as it needs. The app seed and the sandbox load the same one.
 * Orders that exist only at the provider, and past refunds, are kept as the demo has them.
 */
export function proveDataset(copies: number): DemoDataset {
  const demo = loadDemoDataset();
  const orders: DemoDataset['orders'] = [];
  for (let copy = 0; copy < copies; copy++) {
    demo.orders.forEach((order, index) => {
      if (copy === 0) {
        orders.push(order);
        return;
      }
      const tag = (ref: string) =>
        order.provider === 'frontpayment'
          ? `${ref}${String(copy).padStart(4, '0')}`
          : `${ref.slice(0, 6)}${copy.toString(36).padStart(4, '0')}`;
      const payments = new Map(order.payments.map((p) => [p.ref, tag(p.ref)]));
      orders.push({
        ...structuredClone(order),
        providerRef: tag(order.providerRef),
        orderNumber: `RD-${200000 + copy * 100 + index}`,
        payments: order.payments.map((p) => ({ ...p, ref: payments.get(p.ref)! })),
        refunds: order.refunds.map((r) => ({
          ...structuredClone(r),
          ref: r.ref ? tag(r.ref) : null,
          allocations: r.allocations.map((a) => ({ ...a, paymentRef: payments.get(a.paymentRef) ?? a.paymentRef })),
        })),
      });
    });
  }
  return { ...demo, orders };
}
