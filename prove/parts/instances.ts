/**
 * Part 3, two instances: two `next start` processes of the production build, each with the job
 * worker instrumentation.ts starts inside it, on one PostgreSQL database and one provider sandbox
 * (its own process, webhooks going to the first instance). Refunds are submitted through the real
 * `createRefundAction`, signed in as real agents, spread at random over both instances with many
 * in flight; some are double submissions — the same request key to both instances at once, as a
 * double click behind a load balancer looks.
 *
 * Once every refund is final it checks:
 * - no job ran twice: a trigger installed for the proof writes every claim of a job (moved to
 *   `running`, with the worker and attempt) and every end of one (moved out of `running`) to a side
 *   table; each job's claims and ends must alternate (a claim while another claim of the same job is
 *   un-finished is two workers running it), and its claims must equal its attempts. Both instances
 *   must have claimed jobs;
 * - no duplicate provider call: from the sandbox's request log, each refund's refund-creating
 *   request reached the provider once (Forage by the `metadata.refund_id` the app sends, Frontpayment
 *   by order, one refund per order here), each refund has one submission attempt, and the
 *   provider's ledger holds exactly the refunds the app recorded (Forage: the refund objects tagged
 *   with the refund's id; Frontpayment: one new refund per order);
 * - the audit chain is unbroken: the audit page's verifier (lib/audit/trail.ts) over the database;
 * - neither server printed an error-level log line or an unhandled error.
 *
 * No faults are injected here, so the Forage client has no reason to resend a request with the same
 * Idempotency-Key: any second refund request for a refund counts as a duplicate call.
 *
 * A case is one refund submitted (a double submission is one case sent twice). A failure names the
 * seed and the refunds, orders and instances involved, so `--seed` reruns it.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type postgres from 'postgres';
import type { Db } from '@/db';
import { auditEvents, jobs, orders, providerRefunds, refunds, submissions, webhookEvents } from '@/db/schema';
import { listOrderPayments } from '@/db/queries/orders';
import { seedDemo } from '@/demo/seed';
import { verifyAuditTrail } from '@/lib/audit/trail';
import { refundBlocker } from '@/lib/refunds/blockers';
import { getRefundableFigures } from '@/lib/refunds/figures';
import { isFinal } from '@/lib/refunds/lifecycle';
import type { CreateRefundInput } from '@/lib/refunds/schemas';
import { freshPostgres } from '@/test/db';
import { AppSession, proveBuildDir, serverActions, startAppServer } from '../app-client';
import {
  appEnv,
  proveDataset,
  rng,
  sandboxControl,
  sleep,
  startSandboxProcess,
  type Child,
  type Failure,
  type Part,
  type PartContext,
  type PartOutcome,
  type Rng,
  sandboxRequests,
} from '../harness';

const SIZES = {
  // ci: about 35 s here with both servers' start-up on an idle 2-core machine (80 s when it is loaded).
  // The settle timeouts only matter when a refund is stuck; they are generous so load is not a failure.
  ci: { refunds: 60, doubleShare: 0.15, inFlight: 16, datasetCopies: 3, settleTimeoutMs: 90_000 },
  // full: at least 500 refunds.
  full: { refunds: 520, doubleShare: 0.08, inFlight: 24, datasetCopies: 14, settleTimeoutMs: 300_000 },
} as const;

/**
 * Frontpayment has no refund objects: one refund per order at a time (lib/refunds/blockers.ts), and
 * its sandbox allows 240 requests a minute (frontpayment.md §1). So a share of the refunds, one per
 * order, goes there; the rest are Forage refunds, several per order.
 */
const FRONTPAYMENT_SHARE = 0.15;
const FORAGE_REFUNDS_PER_ORDER = 3;
/**
 * Small amounts, under both currencies' approval thresholds (demo/seed.ts DEFAULT_LIMITS: 100.00
 * USD, 2,000.00 NOK), so every refund is approved on creation and goes straight to the provider.
 * Two agents share the refunds: 520 × at most 1.50 USD stays under their 2 × 1,000.00 USD a day.
 */
const AMOUNT = { USD: [25, 150], NOK: [1_000, 5_000] } as const;
const AGENTS = ['agent@refund-desk.test', 'agent2@refund-desk.test'] as const;
const PASSWORD = 'refund-desk-demo';
const CREATE = 'lib/refunds/actions.ts#createRefundAction';

interface Server {
  label: 'A' | 'B';
  child: Child & { url: string; port: number };
  /** One signed-in session per agent. */
  sessions: AppSession[];
}

interface Planned {
  index: number;
  orderNumber: string;
  orderId: string;
  provider: 'forage' | 'frontpayment';
  providerRef: string;
  input: CreateRefundInput;
  agent: number;
  /** Instances it is sent to: one, or both at once (a double submission). */
  servers: ('A' | 'B')[];
}

interface Created extends Planned {
  refundId: string;
}

type ActionValue = { ok: true; data: { refundId: string; status: string; duplicate: boolean } } | { ok: false; error: string };

export const part: Part = {
  name: 'instances',
  title: 'Two instances: two next start processes with their workers on one database and one sandbox',
  needsBuild: true,
  run,
};

async function run(ctx: PartContext): Promise<PartOutcome> {
  const size = SIZES[ctx.size];
  const distDir = proveBuildDir();
  if (!distDir) throw new Error('no production build with server actions (.next-e2e or .next): build one first');
  const random = rng(ctx.seed);
  const failures: Failure[] = [];
  const fail = (what: string, steps?: string[]) => failures.push({ what, seed: ctx.seed, steps });
  const started = Date.now();

  const dataset = proveDataset(size.datasetCopies);
  // A small pool: the two servers hold up to 10 connections each, and PostgreSQL's default
  // max_connections (100) is shared with whatever else runs on the same server.
  const database = await freshPostgres(4);
  const children: Child[] = [];
  try {
    // The other parts' checkpoints must not be read as this database's.
    const checkpoints = mkdtempSync(path.join(tmpdir(), 'refund-desk-prove-instances-'));
    const env = { ...appEnv(database.url, 'http://127.0.0.1:9'), AUDIT_CHECKPOINT_DIR: checkpoints };
    Object.assign(process.env, env);
    await seedDemo(database.db, { dataset });
    await installClaimLog(database.superuser);
    const [slots] = await database.superuser<{ free: number }[]>`
      select current_setting('max_connections')::int - count(*)::int as free from pg_stat_activity`;
    ctx.log(`${slots?.free ?? '?'} free PostgreSQL connections before the servers start (they take up to 20)`);

    const sandbox = await startSandboxProcess({ dataset });
    children.push(sandbox);
    const serverEnv = { ...env, SANDBOX_URL: sandbox.url, JOBS_POLL_MS: '200' };
    // One after the other: two builds' start-ups at once on two cores only make both slower.
    const a = await startAppServer('app-A', distDir, serverEnv);
    children.push(a);
    const b = await startAppServer('app-B', distDir, serverEnv);
    children.push(b);
    await sandboxControl(sandbox.url, 'POST', 'config', { appUrl: a.url });
    ctx.log(`servers A ${a.url} (pid ${a.process.pid}), B ${b.url} (pid ${b.process.pid}); sandbox ${sandbox.url}`);

    const actions = serverActions(distDir);
    const servers: Server[] = [];
    for (const [label, child] of [
      ['A', a],
      ['B', b],
    ] as const) {
      const sessions = AGENTS.map(() => new AppSession(child.url, actions));
      for (const [i, session] of sessions.entries()) await session.signIn(AGENTS[i]!, PASSWORD);
      servers.push({ label, child, sessions });
    }
    const serverOf = (label: 'A' | 'B') => servers.find((s) => s.label === label)!;

    const plan = await planRefunds(database.db, random, size.refunds, size.doubleShare);
    if (plan.length < size.refunds) fail(`only ${plan.length} refunds fit the dataset, ${size.refunds} wanted`);
    const fpBaseline = new Map<string, number>();
    for (const p of plan.filter((p) => p.provider === 'frontpayment')) {
      fpBaseline.set(p.providerRef, (await frontpaymentOrder(sandbox.url, p.providerRef)).refunds.length);
    }
    ctx.log(
      `${plan.length} refunds planned on ${new Set(plan.map((p) => p.orderId)).size} orders (${plan.filter((p) => p.provider === 'frontpayment').length} Frontpayment), ${plan.filter((p) => p.servers.length === 2).length} sent to both instances at once`,
    );

    // Submit, `inFlight` at a time.
    const created: Created[] = [];
    const submitStarted = Date.now();
    let next = 0;
    const describe = (p: Planned) =>
      `refund #${p.index}: ${p.input.lines[0]!.amountMinor} minor units on ${p.orderNumber} (${p.provider}) as ${AGENTS[p.agent]} via ${p.servers.join(' and ')}`;
    const submitOne = async (p: Planned) => {
      const answers = await Promise.all(
        p.servers.map((label) => serverOf(label).sessions[p.agent]!.action<ActionValue>(CREATE, [p.input])),
      );
      const values = answers.map((answer) => answer.value);
      const refused = answers.findIndex((answer) => !answer.value?.ok);
      if (refused >= 0) {
        const answer = answers[refused]!;
        const label = p.servers[refused]!;
        const requestId = (answer.value as { requestId?: string } | null)?.requestId;
        fail(
          `a refund was not created on ${label}: HTTP ${answer.status} ${JSON.stringify(answer.value ?? answer.raw?.slice(0, 200))}`,
          [describe(p), ...(requestId ? serverLog(serverOf(label).child.lines, requestId) : [])],
        );
        return;
      }
      const data = values.map((v) => (v as Extract<ActionValue, { ok: true }>).data);
      const ids = new Set(data.map((d) => d.refundId));
      if (ids.size !== 1) fail(`one request key made ${ids.size} refunds (${[...ids].join(', ')})`, [describe(p)]);
      const firsts = data.filter((d) => !d.duplicate).length;
      if (firsts !== 1)
        fail(`${firsts} of ${data.length} answers for one request key said they created the refund`, [describe(p)]);
      const notApproved = data.find((d) => d.duplicate === false && d.status !== 'approved');
      if (notApproved) fail(`a refund under the approval threshold was created as ${notApproved.status}`, [describe(p)]);
      for (const refundId of ids) created.push({ ...p, refundId });
    };
    await Promise.all(
      Array.from({ length: size.inFlight }, async () => {
        while (next < plan.length) await submitOne(plan[next++]!);
      }),
    );
    const submitMs = Date.now() - submitStarted;
    ctx.log(`${created.length} refunds created in ${(submitMs / 1000).toFixed(1)} s; waiting for them to be final`);

    // Every refund final, or a failure naming the ones that are not.
    const ids = created.map((c) => c.refundId);
    const byId = new Map(created.map((c) => [c.refundId, c]));
    const until = Date.now() + size.settleTimeoutMs;
    let open: { id: string; status: string; statusReason: string | null }[] = [];
    for (;;) {
      const rows = ids.length
        ? await database.db
            .select({ id: refunds.id, status: refunds.status, statusReason: refunds.statusReason })
            .from(refunds)
            .where(inArray(refunds.id, ids))
        : [];
      open = rows.filter((r) => !isFinal(r.status));
      if (open.length === 0 || Date.now() > until) break;
      await sleep(500);
    }
    const settleMs = Date.now() - submitStarted;
    if (open.length > 0) {
      fail(
        `${open.length} refunds not final ${size.settleTimeoutMs / 1000} s after submission`,
        open.slice(0, 10).map((r) => `${describe(byId.get(r.id)!)} is ${r.status}${r.statusReason ? `: ${r.statusReason}` : ''}`),
      );
    }
    // Let the jobs that follow a final refund (webhook deliveries, last polls) finish before stopping.
    await quietJobs(database.db, 10_000);
    await Promise.all([a.stop(), b.stop()]);

    // 1. No job ran twice.
    const jobFigures = await checkClaims(database.superuser, { A: a.process.pid!, B: b.process.pid! }, fail);

    // 2. No duplicate provider call.
    const providerFigures = await checkProviderCalls(database.db, sandbox.url, created, fpBaseline, describe, fail);

    // 3. The audit chain unbroken, as the audit page verifies it.
    const trail = await verifyAuditTrail(database.db, { dir: checkpoints });
    const [{ events } = { events: 0 }] = await database.db.select({ events: sql<number>`count(*)::int` }).from(auditEvents);
    if (!trail.chain.ok) fail(`the audit chain is broken: ${JSON.stringify(trail.chain.firstBreak)}`);
    else if (!trail.ok)
      fail(
        `the audit trail check failed: ${trail.headline}`,
        trail.findings.map((f) => `${f.tone}: ${f.text}`),
      );

    // 4. Neither server printed an error.
    const errorLines = [a, b].flatMap((child, i) => errorLogLines(child.lines).map((line) => `${i === 0 ? 'A' : 'B'}: ${line}`));
    if (errorLines.length > 0) fail(`${errorLines.length} error lines in the servers' output`, errorLines.slice(0, 10));

    // The webhooks the sandbox sent to A, stored once each and processed by either worker.
    const [webhooks] = await database.db
      .select({ stored: sql<number>`count(*)::int`, processed: sql<number>`count(${webhookEvents.processedAt})::int` })
      .from(webhookEvents);
    const statuses = await database.db
      .select({ status: refunds.status, n: sql<number>`count(*)::int` })
      .from(refunds)
      .where(ids.length ? inArray(refunds.id, ids) : sql`false`)
      .groupBy(refunds.status);
    return {
      cases: plan.length,
      unit: 'refunds',
      failures,
      figures: {
        refunds: created.length,
        'double submissions': plan.filter((p) => p.servers.length === 2).length,
        'sent via A / B': `${plan.filter((p) => p.servers.includes('A')).length} / ${plan.filter((p) => p.servers.includes('B')).length}`,
        final: statuses.map((s) => `${s.n} ${s.status}`).join(', '),
        'all final in': `${(settleMs / 1000).toFixed(1)} s`,
        ...jobFigures,
        ...providerFigures,
        'webhooks stored / processed': `${webhooks?.stored ?? 0} / ${webhooks?.processed ?? 0}`,
        'audit events verified': trail.chain.ok ? trail.chain.verified : `broken (of ${events})`,
        'server error lines': errorLines.length,
        'whole part': `${((Date.now() - started) / 1000).toFixed(1)} s`,
      },
    };
  } finally {
    for (const child of children.reverse()) await child.stop();
    await database.close();
  }
}

/**
 * Picks `count` refunds from the seeded orders that can take one now (no blocker, money left):
 * Frontpayment orders one refund each, Forage orders up to FORAGE_REFUNDS_PER_ORDER, each a small
 * amount on one line, within what is left on the line and on the order.
 */
async function planRefunds(db: Db, random: Rng, count: number, doubleShare: number): Promise<Planned[]> {
  const rows = await db.select().from(orders).orderBy(orders.orderNumber);
  const slots: { order: (typeof rows)[number]; lines: { id: string; left: number }[]; left: number }[] = [];
  for (const order of rows) {
    if (await refundBlocker(db, order)) continue;
    // A Frontpayment order paid in several captures or charges needs the agent to choose one
    // (the form's paymentRef); the proof keeps to orders where the app has no choice to ask for.
    if (order.provider === 'frontpayment' && (await listOrderPayments(db, order.id)).length !== 1) continue;
    const figures = await getRefundableFigures(db, order.id);
    const lines = figures.lines.filter((l) => l.refundableMinor > 0).map((l) => ({ id: l.orderLineId, left: l.refundableMinor }));
    if (lines.length === 0 || figures.refundableMinor <= 0) continue;
    slots.push({ order, lines, left: figures.refundableMinor });
  }
  const forage = random.shuffle(slots.filter((s) => s.order.provider === 'forage'));
  const frontpayment = random.shuffle(slots.filter((s) => s.order.provider === 'frontpayment'));
  const used = new Map<string, number>();
  const planned: Planned[] = [];
  let forageAt = 0;
  while (planned.length < count) {
    const wantFp = random.chance(FRONTPAYMENT_SHARE) && frontpayment.length > 0;
    let slot: (typeof slots)[number] | undefined;
    if (wantFp) slot = frontpayment.pop();
    else {
      // Round-robin over the Forage orders, so refunds on one order are spread out in time.
      for (let tries = 0; tries < forage.length && !slot; tries++) {
        const candidate = forage[forageAt++ % forage.length]!;
        if ((used.get(candidate.order.id) ?? 0) < FORAGE_REFUNDS_PER_ORDER) slot = candidate;
      }
      slot ??= frontpayment.pop();
    }
    if (!slot) break;
    const [min, max] = AMOUNT[slot.order.currency as keyof typeof AMOUNT] ?? AMOUNT.USD;
    const amount = Math.min(random.int(min, max), slot.left);
    const line = slot.lines.find((l) => l.left >= amount);
    used.set(slot.order.id, (used.get(slot.order.id) ?? 0) + 1);
    if (!line || amount <= 0) continue;
    line.left -= amount;
    slot.left -= amount;
    planned.push({
      index: planned.length,
      orderNumber: slot.order.orderNumber,
      orderId: slot.order.id,
      provider: slot.order.provider,
      providerRef: slot.order.providerRef,
      agent: random.int(0, AGENTS.length - 1),
      servers: random.chance(doubleShare) ? random.shuffle(['A', 'B']) : [random.pick(['A', 'B'] as const)],
      input: {
        orderId: slot.order.id,
        requestKey: randomUUID(),
        lines: [{ orderLineId: line.id, quantity: 0, amountMinor: amount, reason: 'damaged' }],
        confirmedTotalMinor: amount,
      },
    });
  }
  return planned;
}

/**
 * A side table and a trigger, for the proof only: every claim of a job (moved to `running`, or its
 * lease taken over while running) and every end of a claim (moved out of `running`), in commit
 * order of the row locks, with the worker that held it. Installed with the superuser, so the app's
 * own role needs no rights on it (security definer).
 */
export async function installClaimLog(superuser: postgres.Sql) {
  await superuser.unsafe(`
    create table prove_job_claims (
      seq bigserial primary key,
      job_id bigint not null,
      kind text not null,
      event text not null,
      worker text,
      attempts int not null,
      lease_until timestamptz,
      at timestamptz not null default clock_timestamp()
    );
    create function prove_log_job_claim() returns trigger language plpgsql security definer as $$
    begin
      if new.status = 'running' and (old.status <> 'running' or new.attempts <> old.attempts) then
        insert into prove_job_claims (job_id, kind, event, worker, attempts, lease_until)
          values (new.id, new.kind, 'claim', new.locked_by, new.attempts, new.locked_until);
      elsif old.status = 'running' and new.status <> 'running' then
        insert into prove_job_claims (job_id, kind, event, worker, attempts)
          values (new.id, new.kind, 'end:' || new.status, old.locked_by, new.attempts);
      end if;
      return null;
    end $$;
    create trigger prove_job_claims after update on jobs for each row execute function prove_log_job_claim();
  `);
}

/** Waits until no job is running or due (later retries and polls may stay queued), up to `timeoutMs`. */
async function quietJobs(db: Db, timeoutMs: number) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const [row] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(jobs)
      .where(sql`${jobs.status} = 'running' or (${jobs.status} = 'queued' and ${jobs.runAt} <= now())`);
    if ((row?.n ?? 0) === 0) return;
    await sleep(250);
  }
}

/**
 * Each job's claims and ends must alternate, claim first, and it must not be left running; its
 * claims must equal its attempts. Returns how the claims split between the instances.
 */
export async function checkClaims(
  superuser: postgres.Sql,
  pids: Record<'A' | 'B', number>,
  fail: (what: string, steps?: string[]) => void,
): Promise<Record<string, string | number>> {
  type Claim = { seq: string; job_id: string; kind: string; event: string; worker: string | null; attempts: number; at: Date };
  const log: Claim[] = await superuser<Claim[]>`
    select seq, job_id, kind, event, worker, attempts, at from prove_job_claims order by seq`;
  const jobRows = await superuser<{ id: string; kind: string; status: string; attempts: number; locked_by: string | null }[]>`
    select id, kind, status, attempts, locked_by from jobs`;
  const instanceOf = (worker: string | null) => {
    const pid = Number(/^worker-(\d+)-/.exec(worker ?? '')?.[1]);
    return pid === pids.A ? 'A' : pid === pids.B ? 'B' : `other (${worker})`;
  };
  const byJob = new Map<string, Claim[]>();
  for (const row of log) byJob.set(row.job_id, [...(byJob.get(row.job_id) ?? []), row]);
  let doubleRuns = 0;
  for (const [jobId, events] of byJob) {
    let holder: Claim | null = null;
    for (const event of events) {
      if (event.event === 'claim') {
        if (holder) {
          doubleRuns += 1;
          fail(
            `job ${jobId} (${event.kind}) was claimed by ${instanceOf(event.worker)} while ${instanceOf(holder.worker)}'s claim had not ended`,
            [
              `claim at ${holder.at.toISOString()} by ${holder.worker} (attempt ${holder.attempts})`,
              `claim at ${event.at.toISOString()} by ${event.worker} (attempt ${event.attempts})`,
            ],
          );
        }
        holder = event;
      } else {
        if (!holder) fail(`job ${jobId} (${event.kind}) ended (${event.event}) without a claim`);
        holder = null;
      }
    }
  }
  let claimsNotAttempts = 0;
  for (const job of jobRows) {
    const claims = (byJob.get(job.id) ?? []).filter((e) => e.event === 'claim').length;
    if (claims !== job.attempts) {
      claimsNotAttempts += 1;
      fail(`job ${job.id} (${job.kind}) has ${job.attempts} attempts but ${claims} claims were seen`);
    }
    if (job.status === 'running')
      fail(`job ${job.id} (${job.kind}) was left running by ${job.locked_by} after both instances stopped`);
  }
  const claims = log.filter((e) => e.event === 'claim');
  const split = new Map<string, number>();
  for (const claim of claims) split.set(instanceOf(claim.worker), (split.get(instanceOf(claim.worker)) ?? 0) + 1);
  const jobsBy = (label: string) => new Set(claims.filter((c) => instanceOf(c.worker) === label).map((c) => c.job_id)).size;
  for (const label of ['A', 'B'] as const) if (!split.get(label)) fail(`instance ${label}'s worker claimed no job`);
  const others = [...split.keys()].filter((k) => k !== 'A' && k !== 'B');
  if (others.length) fail(`claims by workers of neither instance: ${others.join(', ')}`);
  const workers = new Set(claims.map((c) => c.worker)).size;
  return {
    jobs: jobRows.length,
    'job claims': claims.length,
    'jobs run by A / B': `${jobsBy('A')} / ${jobsBy('B')}`,
    workers,
    'jobs run twice': doubleRuns,
    'claims ≠ attempts': claimsNotAttempts,
  };
}

function frontpaymentOrder(sandboxUrl: string, uuid: string) {
  return sandboxControl<{ refunds: { state: string; totalMinor: number }[] }>(sandboxUrl, 'GET', `frontpayment/orders/${uuid}`);
}

/**
 * Each refund reached its provider once and the provider holds exactly what the app recorded: from
 * the sandbox's request log, the app's submission attempts and the provider's ledger.
 */
async function checkProviderCalls(
  db: Db,
  sandboxUrl: string,
  created: Created[],
  fpBaseline: Map<string, number>,
  describe: (p: Planned) => string,
  fail: (what: string, steps?: string[]) => void,
): Promise<Record<string, string | number>> {
  const requests = await sandboxRequests(sandboxUrl);
  const refundCalls = requests.filter((r) => r.operation === 'refund');
  const ids = created.map((c) => c.refundId);
  const attempts = new Map<string, number>();
  const recorded = new Map<string, string[]>();
  const statusOf = new Map<string, string>();
  if (ids.length) {
    for (const row of await db
      .select({ refundId: submissions.refundId, n: sql<number>`count(*)::int` })
      .from(submissions)
      .where(inArray(submissions.refundId, ids))
      .groupBy(submissions.refundId))
      attempts.set(row.refundId, row.n);
    for (const row of await db
      .select({ refundId: providerRefunds.refundId, ref: providerRefunds.providerRefundRef })
      .from(providerRefunds)
      .where(and(inArray(providerRefunds.refundId, ids), eq(providerRefunds.provider, 'forage'))))
      recorded.set(row.refundId, [...(recorded.get(row.refundId) ?? []), row.ref ?? '']);
    for (const row of await db.select({ id: refunds.id, status: refunds.status }).from(refunds).where(inArray(refunds.id, ids)))
      statusOf.set(row.id, row.status);
  }

  // Forage: the app tags every refund request with its refund's id.
  const forageCalls = new Map<string, number>();
  let untagged = 0;
  for (const call of refundCalls.filter((r) => r.provider === 'forage')) {
    const id = (JSON.parse(call.body || '{}') as { metadata?: { refund_id?: string } }).metadata?.refund_id;
    if (!id) untagged += 1;
    else forageCalls.set(id, (forageCalls.get(id) ?? 0) + 1);
  }
  if (untagged) fail(`${untagged} Forage refund requests carried no refund id`);
  // Frontpayment: one refund per order in this part, so calls are counted per order.
  const fpCalls = new Map<string, number>();
  for (const call of refundCalls.filter((r) => r.provider === 'frontpayment')) {
    // POST /api/v1/connect/{orders|reservations}/refund/{uuid} (frontpayment.md §3).
    const uuid = decodeURIComponent(/\/refund\/([^/]+)$/.exec(call.path)?.[1] ?? call.path);
    fpCalls.set(uuid, (fpCalls.get(uuid) ?? 0) + 1);
  }

  let duplicates = 0;
  let ledgerMismatches = 0;
  const known = new Set(ids);
  for (const id of forageCalls.keys())
    if (!known.has(id)) fail(`a Forage refund request for a refund this run did not create: ${id}`);
  const fpOrders = new Set<string>();
  for (const c of created) {
    const tried = attempts.get(c.refundId) ?? 0;
    if (tried !== 1)
      fail(`${tried} submission attempts (expected 1)`, [describe(c), `refund ${c.refundId} is ${statusOf.get(c.refundId)}`]);
    if (c.provider === 'forage') {
      const calls = forageCalls.get(c.refundId) ?? 0;
      if (calls !== tried) {
        duplicates += Math.max(0, calls - 1);
        fail(`${calls} refund requests reached Forage for one refund (${tried} attempts)`, [describe(c), `refund ${c.refundId}`]);
      }
    } else fpOrders.add(c.providerRef);
  }
  for (const uuid of fpOrders) {
    const mine = created.filter((c) => c.providerRef === uuid);
    const calls = fpCalls.get(uuid) ?? 0;
    if (calls !== mine.length) {
      duplicates += Math.max(0, calls - mine.length);
      fail(
        `${calls} refund requests reached Frontpayment for order ${uuid}, which has ${mine.length} refund(s)`,
        mine.map(describe),
      );
    }
    const ledger = await frontpaymentOrder(sandboxUrl, uuid);
    const added = ledger.refunds.length - (fpBaseline.get(uuid) ?? 0);
    const accepted = mine.filter((c) => ['succeeded', 'processing'].includes(statusOf.get(c.refundId) ?? '')).length;
    if (added !== accepted) {
      ledgerMismatches += 1;
      fail(`Frontpayment holds ${added} new refunds on order ${uuid}; the app recorded ${accepted}`, mine.map(describe));
    }
  }
  // Forage's ledger: the refund objects tagged with each refund's id are exactly the ones the app stored.
  const forageOrders = new Set(created.filter((c) => c.provider === 'forage').map((c) => c.providerRef));
  let ledgerObjects = 0;
  for (const ref of forageOrders) {
    const { refunds: list } = await sandboxControl<{ refunds: { ref: string; metadata: Record<string, string> }[] }>(
      sandboxUrl,
      'GET',
      `forage/orders/${ref}/refunds`,
    );
    for (const c of created.filter((c) => c.providerRef === ref)) {
      const held = list.filter((r) => r.metadata?.refund_id === c.refundId).map((r) => r.ref);
      ledgerObjects += held.length;
      const mine = recorded.get(c.refundId) ?? [];
      if (held.length !== mine.length || held.some((r) => !mine.includes(r))) {
        ledgerMismatches += 1;
        fail(
          `Forage holds ${held.length} refund objects for one refund (${held.join(', ') || 'none'}); the app recorded ${mine.join(', ') || 'none'}`,
          [describe(c), `refund ${c.refundId} is ${statusOf.get(c.refundId)}`],
        );
      }
    }
  }
  return {
    'provider requests': requests.length,
    'refund requests (Forage / Frontpayment)': `${[...forageCalls.values()].reduce((s, n) => s + n, 0)} / ${[...fpCalls.values()].reduce((s, n) => s + n, 0)}`,
    'duplicate provider calls': duplicates,
    'ledger mismatches': ledgerMismatches,
    'Forage refund objects': ledgerObjects,
  };
}

/** What a server logged under a request id (the generic error's reference), shortened. */
function serverLog(lines: string[], requestId: string) {
  return lines
    .filter((line) => line.includes(requestId))
    .map((line) => {
      try {
        const entry = JSON.parse(line) as { msg?: string; err?: { message?: string } };
        return `server log: ${entry.msg ?? ''} ${entry.err?.message?.split('\n').at(-1) ?? ''}`.slice(0, 300);
      } catch {
        return `server log: ${line.slice(0, 300)}`;
      }
    });
}

/** Error-level structured logs (pino level ≥ 50) and anything that looks like an unhandled error. */
function errorLogLines(lines: string[]) {
  return lines.filter((line) => {
    if (line.startsWith('{')) {
      try {
        return ((JSON.parse(line) as { level?: number }).level ?? 0) >= 50;
      } catch {
        return false;
      }
    }
    return /unhandled|uncaught|⨯|\bError\b/i.test(line);
  });
}
