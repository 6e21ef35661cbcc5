/**
 * Crashes: the job worker's process is killed with SIGKILL at six points of a refund's life, while
 * the provider sandbox behaves in one of six ways, and a fresh worker then recovers. Afterwards
 * every refund must be final or `outcome_unknown` with a reason, no refund may have reached its
 * provider twice, Frontpayment (no idempotency key) must never have been sent a refund again
 * automatically, and an unknown outcome the provider's data can settle must be settled
 * (PRODUCT.md §3).
 *
 * One crash run = one refund on an order nobody else touches:
 *   1. the refund is created (approved, its `refund.submit` job queued) and the sandbox armed;
 *   2. a worker process starts; it dies at the point — by its own hand at a named hook
 *      (lib/jobs/crash-points.ts: after the claim, after the submission row, while applying a
 *      webhook, while reconciling), or by our SIGKILL once the sandbox's request log shows the
 *      refund call (in flight: the sandbox holds it and applies it after the kill; accepted: the
 *      sandbox has applied it and holds the answer);
 *   3. a clean worker starts and runs until the refund settles; then the checks.
 *
 * Provider behaviours, armed on the refund call (the first one that reaches the sandbox, or, at
 * the in-flight, accepted and reconciling points, the one after the point's own call): accepted;
 * rejected (Forage: the refund fails at the EBT network; Frontpayment: over its per-request
 * threshold); 5xx before processing; 5xx after processing; an answer held past the client's
 * timeout after processing; the connection dropped after processing. Forage's client retries
 * with the same Idempotency-Key, so a Forage fault fires on 1 or all 4 of its tries (seeded).
 *
 * Lanes run side by side, each with its own database, sandbox process and webhook receiver, so
 * no run sees another's faults. Waiting is shortened three ways: leases and stuck-submission
 * recovery through the worker's env knobs (prove/worker-process.ts), the client timeout through
 * PROVIDER_TIMEOUT_MS, and this run's queued jobs brought forward (the backoff's clock, not its
 * logic, is what the proof skips).
 */
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { and, eq, gt, inArray, isNull, sql } from 'drizzle-orm';
import type { Db } from '@/db';
import { jobs, orderLines, orders, refunds, submissions, webhookEvents } from '@/db/schema';
import { seedDemo } from '@/demo/seed';
import { SYSTEM_CONTEXT } from '@/lib/audit';
import { getProviderClient } from '@/lib/providers';
import { createRefund } from '@/lib/refunds/service';
import { ingestWebhook } from '@/lib/webhooks/ingest';
import { freshPostgres } from '@/test/db';
import { refundInput, userId } from '@/test/refunds';
import {
  appEnv,
  freePort,
  proveDataset,
  rng,
  sandboxControl,
  scratchDir,
  sleep,
  startSandboxProcess,
  startWorkerProcess,
  waitFor,
  type Child,
  type Failure,
  type Part,
  type PartContext,
  sandboxRequests,
} from '../harness';

export const POINTS = [
  'after_claim',
  'after_submission_row',
  'in_flight',
  'accepted_uncommitted',
  'webhook',
  'reconcile',
] as const;
export const BEHAVIOURS = ['accepted', 'rejected', 'error_before', 'error_after', 'hang_after', 'drop_after'] as const;
const PROVIDERS = ['forage', 'frontpayment'] as const;
type Point = (typeof POINTS)[number];
type Behaviour = (typeof BEHAVIOURS)[number];
type ProviderName = (typeof PROVIDERS)[number];

/** The named hook each app-side point uses (lib/jobs/crash-points.ts). */
const HOOKS: Partial<Record<Point, string>> = {
  after_claim: 'submit.after_claim',
  after_submission_row: 'submit.after_submission_row',
  webhook: 'webhook.applying',
  reconcile: 'reconcile.before_commit',
};

const CLIENT_TIMEOUT_MS = 800;
/** Past the client's timeout: the answer of a `hang_after` never arrives in time. */
const HOLD_MS = 2_500;
/** How long the sandbox holds an in-flight call before applying it; the worker is dead by then. */
const IN_FLIGHT_MS = 1_500;
/** The Forage client's tries per call (its maxRetries 3 + 1). */
const FORAGE_TRIES = 4;
/** How long a worker gets to reach its crash point (generous: the proof shares two cores). */
const CRASH_WAIT_MS = 25_000;
/** How long the restarted worker gets to settle the refund. */
const SETTLE_WAIT_MS = 60_000;

const WORKER_KNOBS = {
  JOBS_POLL_MS: '50',
  JOBS_SWEEP_MS: '300',
  JOBS_LEASE_MS: '1000',
  RECOVER_SUBMITTING_AFTER_MS: '1000',
  PROVIDER_TIMEOUT_MS: String(CLIENT_TIMEOUT_MS),
  // One job at a time per worker: a small pool, on a PostgreSQL server other proofs share.
  WORKER_DB_MAX: '3',
};

const FINAL = new Set(['succeeded', 'partially_succeeded', 'failed']);

interface Case {
  point: Point;
  behaviour: Behaviour;
  provider: ProviderName;
  /** Seeds the order, line and amount, and how many Forage tries a fault takes. */
  seed: number;
}

interface Lane {
  index: number;
  db: Db;
  dbUrl: string;
  sandbox: Child & { url: string };
  receiver: Server;
  agentId: string;
  /** Orders not used yet, per provider (order numbers). */
  pool: Record<ProviderName, string[]>;
  close(): Promise<void>;
}

interface RunResult {
  reached: boolean;
  status: string;
  failures: string[];
  steps: string[];
}

/** The cases of a size: full crosses everything; ci covers every point and behaviour, both providers. */
export function crashCases(size: 'ci' | 'full', seed: number): Case[] {
  const cases: Case[] = [];
  if (size === 'full') {
    // Every point × every behaviour × three seeds; the provider alternates, so each pair meets
    // both providers across the seeds (all 216 pairs with providers doubled took too long here).
    [seed, seed + 1, seed + 2].forEach((s, k) =>
      POINTS.forEach((point, i) =>
        BEHAVIOURS.forEach((behaviour, j) => cases.push({ point, behaviour, provider: PROVIDERS[(i + j + k) % 2]!, seed: s })),
      ),
    );
    return cases;
  }
  // One Latin square row: each point meets one behaviour and each behaviour one point, providers
  // alternating; which pairs rotates with the seed. Frontpayment always gets the in-flight point,
  // the one that shows a refund sent twice when the submission row is not written first.
  const shift = seed % BEHAVIOURS.length;
  POINTS.forEach((point, i) => {
    cases.push({ point, provider: PROVIDERS[(i + 1) % 2]!, behaviour: BEHAVIOURS[(i + shift) % 6]!, seed: seed + i });
  });
  return cases;
}

/** Orders of the dataset that can take a refund, per provider (the app judges; unusable ones are skipped). */
function orderPool(dataset: ReturnType<typeof proveDataset>, provider: ProviderName) {
  const open = new Set(['succeeded', 'PAID', 'PARTIAL REFUNDED', 'CAPTURED', 'CHARGED']);
  return dataset.orders
    .filter((o) => o.provider === provider && open.has(o.providerStatus) && !o.sandboxOnly)
    .map((o) => o.orderNumber);
}

async function openLane(index: number, copies: number, log: (line: string) => void): Promise<Lane> {
  const dataset = proveDataset(copies);
  const handle = await freshPostgres(3);
  await seedDemo(handle.db, { dataset });
  const webhookPort = await freePort();
  const receiver = webhookReceiver(handle.db);
  await new Promise<void>((resolve) => receiver.listen(webhookPort, '127.0.0.1', resolve));
  const sandbox = await startSandboxProcess({
    dataset,
    appUrl: `http://127.0.0.1:${webhookPort}`,
    // Frontpayment documents no callback for a refund; with this on, a settled refund sends one,
    // so the webhook point has a delivery to die in on both providers.
    env: { SANDBOX_FP_REFUND_CALLBACKS: 'true', SANDBOX_SETTLE_MS: '700' },
  });
  log(`lane ${index}: database ${handle.url.split('/').pop()}, sandbox ${sandbox.url}, webhooks :${webhookPort}`);
  return {
    index,
    db: handle.db,
    dbUrl: handle.url,
    sandbox,
    receiver,
    agentId: await userId(handle.db),
    pool: { forage: orderPool(dataset, 'forage'), frontpayment: orderPool(dataset, 'frontpayment') },
    async close() {
      await sandbox.stop();
      await new Promise<void>((resolve) => receiver.close(() => resolve()));
      await handle.close();
    },
  };
}

/**
 * The app's webhook endpoint minus the HTTP framework (lib/webhooks/route.ts): the provider
 * client verifies and parses the delivery, `ingestWebhook` stores it and queues `webhook.process`
 * for the worker. Here rather than the route because the route's database is the process's one
 * and every lane has its own.
 */
function webhookReceiver(db: Db) {
  return createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      void (async () => {
        const url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`);
        const provider = url.pathname.split('/').pop() ?? '';
        const headers = new Headers();
        for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string') headers.set(name, value);
        const client = getProviderClient(provider);
        const verified = client.verifyWebhook({ rawBody: body, headers, url });
        if (!verified.ok) {
          res.writeHead(401).end(verified.reason);
          return;
        }
        await ingestWebhook(db, client.parseWebhook({ rawBody: body, url }), { requestId: null, ip: '127.0.0.1' });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"received":true}');
      })().catch((error: unknown) => {
        res.writeHead(500).end(String(error));
      });
    });
  });
}

interface ForageRefund {
  ref: string;
  amount: string;
  status: string;
}
interface FpRefund {
  state: 'pending' | 'applied' | 'dropped';
  totalMinor: number;
}

/** What the sandbox holds for an order: its refunds, and the refund calls made for it. */
async function ledger(lane: Lane, provider: ProviderName, ref: string) {
  const requests = (await sandboxRequests(lane.sandbox.url)).filter(
    (r) => r.provider === provider && r.operation === 'refund' && r.method === 'POST' && r.path.includes(ref),
  );
  if (provider === 'forage') {
    const { refunds: list } = await sandboxControl<{ refunds: ForageRefund[] }>(
      lane.sandbox.url,
      'GET',
      `forage/orders/${ref}/refunds`,
    );
    return {
      requests: requests.length,
      ids: list.map((r) => r.ref),
      refunds: list.map((r) => ({
        id: r.ref,
        minor: Math.round(Number(r.amount) * 100),
        moved: r.status === 'succeeded',
        pending: r.status !== 'succeeded' && r.status !== 'failed',
      })),
    };
  }
  const order = await sandboxControl<{ refunds: FpRefund[] }>(lane.sandbox.url, 'GET', `frontpayment/orders/${ref}`);
  return {
    requests: requests.length,
    ids: order.refunds.map((_, i) => String(i)),
    refunds: order.refunds.map((r, i) => ({
      id: String(i),
      minor: r.totalMinor,
      moved: r.state === 'applied',
      pending: r.state === 'pending',
    })),
  };
}

/** Makes a refund on the next usable order of the lane's pool: one line, an amount the seed picks. */
async function makeRefund(lane: Lane, provider: ProviderName, random: ReturnType<typeof rng>) {
  for (;;) {
    const orderNumber = lane.pool[provider].shift();
    if (!orderNumber) throw new Error(`lane ${lane.index} ran out of ${provider} orders`);
    const [order] = await lane.db.select().from(orders).where(eq(orders.orderNumber, orderNumber));
    if (!order) continue;
    const lines = await lane.db.select().from(orderLines).where(eq(orderLines.orderId, order.id));
    const line = random.pick(lines);
    // Forage refunds whole units by product; Frontpayment takes any amount up to the line's gross.
    const amount =
      provider === 'forage' ? line.unitPriceMinor : random.int(100, Math.max(100, Math.min(line.unitPriceMinor, 50_000)));
    try {
      const input = await refundInput(lane.db, orderNumber, [{ line: line.providerLineId, amount }]);
      const created = await createRefund(lane.db, { id: lane.agentId }, SYSTEM_CONTEXT, input);
      if (created.status !== 'approved') continue;
      return { refundId: created.refundId, order, orderNumber, line: line.providerLineId, amount };
    } catch {
      // Refused by the app (nothing left to refund on that line, order not refundable…): next order.
      continue;
    }
  }
}

async function armSandbox(lane: Lane, c: Case, random: ReturnType<typeof rng>, steps: string[]) {
  const url = lane.sandbox.url;
  const tries = c.provider === 'forage' ? random.pick([1, FORAGE_TRIES]) : 1;
  const rules: Record<string, unknown>[] = [];
  const rule = (mode: string, extra: Record<string, unknown> = {}) => ({
    provider: c.provider,
    operation: 'refund',
    mode,
    ...extra,
  });
  // The point's own call first (the fault book takes the first rule that matches).
  if (c.point === 'in_flight') rules.push(rule('latency', { latencyMs: IN_FLIGHT_MS, times: 1 }));
  if (c.point === 'accepted_uncommitted') rules.push(rule('hang_after', { latencyMs: HOLD_MS * 4, times: 1 }));
  // An unknown outcome to reconcile: applied, and every try's connection dropped.
  if (c.point === 'reconcile') rules.push(rule('drop_after', { times: c.provider === 'forage' ? FORAGE_TRIES : 1 }));
  if (c.behaviour === 'rejected') {
    if (c.provider === 'forage') await sandboxControl(url, 'POST', 'forage/next-outcome', { outcome: 'failed' });
    else await sandboxControl(url, 'POST', 'config', { frontpayment: { perRequestThresholdMinor: 1 } });
  } else if (c.behaviour === 'hang_after') {
    rules.push(rule('hang_after', { latencyMs: HOLD_MS, times: tries }));
  } else if (c.behaviour !== 'accepted') {
    rules.push(rule(c.behaviour, { times: tries }));
  }
  if (rules.length) await sandboxControl(url, 'POST', 'faults', { rules });
  steps.push(
    `sandbox: ${rules.map((r) => `${String(r.mode)}×${String(r.times)}`).join(', ') || 'no faults'}${c.behaviour === 'rejected' ? ', provider set to reject' : ''}`,
  );
}

async function disarmSandbox(lane: Lane, defaults: { perRequestThresholdMinor: number }) {
  await sandboxControl(lane.sandbox.url, 'DELETE', 'faults');
  await sandboxControl(lane.sandbox.url, 'POST', 'config', { frontpayment: defaults });
}

/** Brings this refund's queued jobs (and every webhook delivery's) forward: the backoff's clock, skipped. */
async function fastForward(db: Db, refundId: string) {
  await db
    .update(jobs)
    .set({ runAt: new Date() })
    .where(
      and(
        eq(jobs.status, 'queued'),
        gt(jobs.runAt, new Date()),
        sql`(${jobs.payload}->>'refundId' = ${refundId} or ${jobs.kind} in ('webhook.process', 'order.refresh'))`,
      ),
    );
}

/** Deliveries for the order stored in the inbox and not applied (yet). */
async function unappliedDeliveries(db: Db, orderRef: string) {
  const rows = await db
    .select({ id: webhookEvents.id })
    .from(webhookEvents)
    .where(and(eq(webhookEvents.orderRef, orderRef), isNull(webhookEvents.processedAt)));
  return rows.length;
}

/** A settled run leaves no job of its refund due soon, so a later run's crash hook only meets its own refund. */
async function park(db: Db, refundId: string) {
  await db
    .update(jobs)
    .set({ runAt: new Date(Date.now() + 24 * 3600_000) })
    .where(and(inArray(jobs.status, ['queued']), sql`${jobs.payload}->>'refundId' = ${refundId}`));
}

/** A worker process loaded and connected but not yet working (prove/worker-process.ts WORKER_GO_FILE). */
interface Warm {
  child: Child;
  go(): void;
}

let warmed = 0;
async function warmWorker(lane: Lane, crashAt: string | null): Promise<Warm> {
  const goFile = path.join(scratchDir(), `go-${lane.index}-${++warmed}`);
  const child = await startWorkerProcess(`worker-${lane.index}${crashAt ? `-dies-at-${crashAt}` : ''}`, {
    ...appEnv(lane.dbUrl, lane.sandbox.url),
    ...WORKER_KNOBS,
    WORKER_GO_FILE: goFile,
    ...(crashAt ? { RD_TEST_HOOKS: '1', RD_CRASH_AT: crashAt } : {}),
  });
  return { child, go: () => writeFileSync(goFile, '') };
}

/** Swallows a warm-up that failed until it is awaited, so it is reported by the run that needs it. */
function warmLater(lane: Lane, crashAt: string | null) {
  const warm = warmWorker(lane, crashAt);
  warm.catch(() => {});
  return warm;
}

async function crashRun(
  lane: Lane,
  c: Case,
  fpDefaults: { perRequestThresholdMinor: number },
  workers: { crashing: Promise<Warm>; clean: Promise<Warm>; crashed(): void },
): Promise<RunResult> {
  const random = rng(
    c.seed * 7919 + POINTS.indexOf(c.point) * 31 + BEHAVIOURS.indexOf(c.behaviour) * 3 + PROVIDERS.indexOf(c.provider),
  );
  const steps: string[] = [`${c.provider}, crash ${c.point}, provider ${c.behaviour}, case seed ${c.seed}`];
  const failures: string[] = [];
  await disarmSandbox(lane, fpDefaults);
  const made = await makeRefund(lane, c.provider, random);
  const ref = made.order.providerRef;
  steps.push(`refund ${made.refundId} of ${made.amount} on ${made.orderNumber} (${ref}) line ${made.line}`);
  const before = await ledger(lane, c.provider, ref);
  await armSandbox(lane, c, random, steps);

  const hook = HOOKS[c.point];
  const warm = await workers.crashing;
  const crashing = warm.child;
  const t0 = Date.now();
  const at = () => `+${((Date.now() - t0) / 1000).toFixed(1)} s`;
  warm.go();
  let reached = false;
  try {
    if (hook) {
      let ended: Awaited<Child['exited']> | null = null;
      void crashing.exited.then((exit) => (ended = exit));
      let nudged = false;
      for (const until = Date.now() + CRASH_WAIT_MS; !ended && Date.now() < until;) {
        // A reconcile job waits 5 s before its first run; the crash needs it now.
        await fastForward(lane.db, made.refundId);
        if (c.point === 'webhook' && c.provider === 'frontpayment' && !nudged && Date.now() - t0 > 4_000) {
          // Frontpayment calls back only when it changed something; where this behaviour left the
          // order as it was (refused, or a 5xx before processing) its callback for the order's
          // (unchanged) status is the delivery the worker dies in.
          nudged = true;
          const { status } = await sandboxControl<{ status: string }>(lane.sandbox.url, 'GET', `frontpayment/orders/${ref}`);
          await sandboxControl(lane.sandbox.url, 'POST', `frontpayment/orders/${ref}/status`, { status });
          steps.push(`no callback yet: Frontpayment calls back for the order's status ${status} (${at()})`);
        }
        await sleep(100);
      }
      ended = ended as Awaited<Child['exited']> | null;
      reached = ended?.signal === 'SIGKILL';
      if (ended && !reached) failures.push(`the crashing worker exited with ${ended.code ?? ended.signal}, not at ${hook}`);
    } else {
      const sent = await waitFor(
        'the refund call at the sandbox',
        async () => (await ledger(lane, c.provider, ref)).requests > before.requests,
        CRASH_WAIT_MS,
        20,
      ).catch(() => false);
      // Accepted: give the sandbox a moment to apply it before the answer it holds is lost.
      if (sent && c.point === 'accepted_uncommitted') await sleep(150);
      reached = Boolean(sent);
    }
  } finally {
    await crashing.kill();
    workers.crashed();
  }
  if (!reached) failures.push(`the worker did not reach the crash point ${c.point} within ${CRASH_WAIT_MS / 1000} s`);
  steps.push(
    reached
      ? `worker killed at ${c.point} (${at()})`
      : `point ${c.point} not reached in time; worker killed anyway (${at()}); its last lines: ${crashing.lines.slice(-5).join(' | ')}`,
  );

  const cleanWarm = await workers.clean;
  const clean = cleanWarm.child;
  cleanWarm.go();
  steps.push(`clean worker ready (${at()})`);
  const started = Date.now();
  let status = '';
  try {
    await waitFor(
      `refund ${made.refundId} to settle`,
      async () => {
        await fastForward(lane.db, made.refundId);
        const [row] = await lane.db.select().from(refunds).where(eq(refunds.id, made.refundId));
        status = row!.status;
        if ((await unappliedDeliveries(lane.db, ref)) > 0) return false;
        if (FINAL.has(status)) return true;
        if (status !== 'outcome_unknown') return false;
        if (c.provider === 'forage') return false;
        // Frontpayment: settled only by its figures. A refund it holds must be concluded; one it
        // never got stays unknown for good (no timer decides, frontpayment.md errata 7).
        const now = await ledger(lane, c.provider, ref);
        const fresh = now.refunds.filter((r) => !before.ids.includes(r.id));
        return fresh.length === 0 && Date.now() - started > 4_000;
      },
      SETTLE_WAIT_MS,
      150,
    );
  } catch (error) {
    failures.push(`refund not settled ${SETTLE_WAIT_MS / 1000} s after restart: still ${status} (${(error as Error).message})`);
  }
  steps.push(`settled as ${status} (${at()})`);
  await clean.stop();
  await park(lane.db, made.refundId);
  await disarmSandbox(lane, fpDefaults);

  const [row] = await lane.db.select().from(refunds).where(eq(refunds.id, made.refundId));
  const after = await ledger(lane, c.provider, ref);
  const fresh = after.refunds.filter((r) => !before.ids.includes(r.id));
  const sentMinor = fresh.reduce((sum, r) => sum + r.minor, 0);
  const movedMinor = fresh.filter((r) => r.moved).reduce((sum, r) => sum + r.minor, 0);
  const pendingMinor = fresh.filter((r) => r.pending).reduce((sum, r) => sum + r.minor, 0);
  const attempts = await lane.db.select().from(submissions).where(eq(submissions.refundId, made.refundId));
  steps.push(
    `ended ${row!.status}; provider holds ${fresh.length} refund(s), ${sentMinor} sent, ${movedMinor} moved; ${after.requests - before.requests} refund call(s); ${attempts.length} attempt row(s)`,
  );
  status = row!.status;

  if (!FINAL.has(status) && !(status === 'outcome_unknown' && row!.statusReason)) {
    failures.push(
      `refund ended ${status}${status === 'outcome_unknown' ? ' without a reason' : ''}, neither final nor unknown with a reason`,
    );
  }
  const unapplied = await unappliedDeliveries(lane.db, ref);
  if (unapplied > 0) failures.push(`${unapplied} webhook deliveries for the order were never applied`);
  if (sentMinor > made.amount) failures.push(`sent twice: the provider holds ${sentMinor} for a refund of ${made.amount}`);
  if (c.provider === 'frontpayment' && after.requests - before.requests > 1) {
    failures.push(
      `Frontpayment was sent this refund ${after.requests - before.requests} times (no idempotency key: never re-sent)`,
    );
  }
  if (after.requests - before.requests > attempts.length * (c.provider === 'forage' ? FORAGE_TRIES : 1)) {
    failures.push(
      `a refund call went out with no submission row written before it (${after.requests - before.requests} calls, ${attempts.length} rows)`,
    );
  }
  if (status === 'succeeded' && movedMinor !== made.amount)
    failures.push(`succeeded, but the provider moved ${movedMinor} of ${made.amount}`);
  if (status === 'failed' && movedMinor + pendingMinor > 0)
    failures.push(`failed, but the provider holds ${movedMinor + pendingMinor} for it (money moved or moving)`);
  if (status === 'outcome_unknown') {
    if (c.provider === 'forage') failures.push('still outcome_unknown, though Forage can be asked by idempotency key or listing');
    else if (movedMinor + pendingMinor > 0)
      failures.push(`still outcome_unknown, though Frontpayment shows ${movedMinor + pendingMinor} refunded for it`);
  }
  return { reached, status, failures, steps };
}

export const part: Part = {
  name: 'crashes',
  title: 'Crashes: SIGKILL of the job worker at 6 points × 6 provider behaviours, then restart and reconciliation',
  async run(ctx: PartContext) {
    const cases = crashCases(ctx.size, ctx.seed);
    const laneCount = ctx.size === 'full' ? 3 : 2;
    const perLane = Math.ceil(cases.length / laneCount);
    // Per lane and provider: each run takes a fresh order (≈ 20 Forage, 10 Frontpayment per copy).
    const copies = Math.ceil(perLane / 2 / 8) + 1;
    const lanes: Lane[] = [];
    const failures: Failure[] = [];
    const reachedBy: Record<string, number> = {};
    const outcomes: Record<string, number> = {};
    try {
      const setUp = Date.now();
      lanes.push(...(await Promise.all(Array.from({ length: laneCount }, (_, i) => openLane(i, copies, ctx.log)))));
      ctx.log(`lanes ready in ${((Date.now() - setUp) / 1000).toFixed(1)} s`);
      // The prove process's own app code (createRefund's audit, webhook verification) needs the env.
      Object.assign(process.env, appEnv(lanes[0]!.dbUrl, lanes[0]!.sandbox.url));
      const fpDefaults = {
        perRequestThresholdMinor: (
          await sandboxControl<{ frontpayment: { perRequestThresholdMinor: number } }>(lanes[0]!.sandbox.url, 'GET', 'config')
        ).frontpayment.perRequestThresholdMinor,
      };
      let done = 0;
      await Promise.all(
        lanes.map(async (lane) => {
          const mine = cases.filter((_, i) => i % laneCount === lane.index);
          const hookOf = (c: Case | undefined) => (c ? (HOOKS[c.point] ?? null) : null);
          let nextCrashing = mine.length ? warmLater(lane, hookOf(mine[0])) : null;
          for (let k = 0; k < mine.length; k++) {
            const c = mine[k]!;
            let result: RunResult;
            const runStarted = Date.now();
            const crashing = nextCrashing!;
            nextCrashing = null;
            // The clean worker warms up while the crashing one runs; the next run's crashing
            // worker while this one recovers.
            const clean = warmLater(lane, null);
            const crashed = () => {
              if (k + 1 < mine.length) nextCrashing = warmLater(lane, hookOf(mine[k + 1]));
            };
            try {
              result = await crashRun(lane, c, fpDefaults, { crashing, clean, crashed });
            } catch (error) {
              result = {
                reached: false,
                status: 'error',
                failures: [`the run did not finish: ${(error as Error).message}`],
                steps: [`${c.provider}, crash ${c.point}, provider ${c.behaviour}, case seed ${c.seed}`],
              };
              // Whatever was started for this run is not needed any more.
              await Promise.allSettled([crashing, clean].map(async (w) => (await w).child.kill()));
              if (!nextCrashing && k + 1 < mine.length) nextCrashing = warmLater(lane, hookOf(mine[k + 1]));
            }
            done += 1;
            if (result.reached) reachedBy[c.point] = (reachedBy[c.point] ?? 0) + 1;
            outcomes[result.status] = (outcomes[result.status] ?? 0) + 1;
            for (const what of result.failures) failures.push({ what, seed: ctx.seed, steps: result.steps });
            ctx.log(
              `${String(done).padStart(3)}/${cases.length} ${result.failures.length ? '✖' : '✔'} ${c.provider.padEnd(12)} ${c.point.padEnd(20)} ${c.behaviour.padEnd(12)} → ${result.status}${result.reached ? '' : ' (point not reached)'}, ${((Date.now() - runStarted) / 1000).toFixed(1)} s`,
            );
            for (const what of result.failures) ctx.log(`      ✖ ${what}`);
            if (result.failures.length || process.env.PROVE_STEPS === '1')
              for (const step of result.steps) ctx.log(`      ${step}`);
          }
        }),
      );
    } finally {
      for (const lane of lanes) await lane.close().catch(() => {});
    }
    const reachedTotal = Object.values(reachedBy).reduce((a, b) => a + b, 0);
    return {
      cases: cases.length,
      unit: 'crash runs',
      failures,
      figures: {
        points: POINTS.length,
        behaviours: BEHAVIOURS.length,
        'kills at the named point': `${reachedTotal}/${cases.length}`,
        ...Object.fromEntries(POINTS.map((p) => [`at ${p}`, reachedBy[p] ?? 0])),
        outcomes: Object.entries(outcomes)
          .map(([s, n]) => `${s} ${n}`)
          .join(', '),
      },
    };
  },
};
