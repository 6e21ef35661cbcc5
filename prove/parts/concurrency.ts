/**
 * Proof part 1, concurrency (`npm run prove -- --part concurrency`): rounds of 64 operations started
 * together, each on its own pool connection, against the real services, with the real job worker
 * and the provider sandbox as separate processes. The mix: refunds of the same line of one order;
 * one fresh agent's burst across many orders near their per-refund and daily limits; double
 * submissions with one request key; two managers approving and rejecting one request (and the
 * requester trying to approve it); withdrawals racing approvals and the sender; provider webhooks
 * racing polls. Each round is checked where that is cheap; at the end, once the worker has brought
 * every refund to rest, the whole run is checked against the sandbox's own ledger and sums that do
 * not use the app's figures.
 *
 * A failure names the seed and the round's operations. The random draws repeat with the seed; the
 * interleavings do not (that is the point), so a rerun explores the same mix, not the same timing.
 */
import { createServer, type Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import { eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '@/db';
import { getLimits, startOfUtcDay } from '@/db/queries/policy';
import { getOrderFigures } from '@/db/queries/refundable';
import { insertRefundLimits } from '@/db/queries/settings';
import { insertUsers } from '@/db/queries/users';
import {
  approvals,
  auditEvents,
  orderLines,
  orders,
  providerRefunds,
  refundLines,
  refunds,
  submissions,
  users,
  type RefundStatus,
} from '@/db/schema';
import { RELEASED_REFUND_STATUSES } from '@/db/schema/enums';
import type { DemoDataset } from '@/demo/schema';
import { seedDemo } from '@/demo/seed';
import { approveRefund, cancelRefund, linesDigest, rejectRefund } from '@/lib/approvals/service';
import type { AuditContext } from '@/lib/audit';
import { SafeError } from '@/lib/errors';
import { RetryLater } from '@/lib/jobs/worker';
import { getProviderClient } from '@/lib/providers';
import { canMove, isFinal, REFUND_STATUSES } from '@/lib/refunds/lifecycle';
import type { ClientFor } from '@/lib/refunds/pipeline';
import { pollRefund } from '@/lib/refunds/reconcile';
import { createRefund, type CreatedRefund } from '@/lib/refunds/service';
import type { CreateRefundInput } from '@/lib/refunds/schemas';
import { ingestWebhook, processWebhookEvent } from '@/lib/webhooks/ingest';
import { freshPostgres } from '@/test/db';
import {
  appEnv,
  freePort,
  proveDataset,
  rng as makeRng,
  sandboxControl,
  sleep,
  startSandboxProcess,
  startWorkerProcess,
  type Failure,
  type Part,
  type PartContext,
  type Rng,
} from '../harness';

/** 64 operations a round (the issue's figure); `ci` stays within 40 s on two cores. */
const SIZES = {
  ci: { rounds: 4, agents: 16, settleWaitMs: 60_000 },
  full: { rounds: 1000, agents: 200, settleWaitMs: 300_000 },
} as const;
const OPS_PER_ROUND = 64;
const POOL = 32;

interface Actor {
  id: string;
  role: 'agent' | 'manager';
  label: string;
}
interface PoolLine {
  id: string;
  providerLineId: string;
  unitPriceMinor: number;
}
interface PoolOrder {
  id: string;
  number: string;
  provider: 'forage' | 'frontpayment';
  providerRef: string;
  currency: string;
  lines: PoolLine[];
}
interface Tracked {
  refundId: string;
  requestedBy: Actor;
  amountMinor: number;
  currency: string;
}
/** A webhook the sandbox sent, held back so that a round can race its delivery against a poll. */
interface Delivery {
  provider: 'forage' | 'frontpayment';
  rawBody: string;
  headers: Headers;
  url: URL;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };
interface Op {
  step: string;
  run(): Promise<unknown>;
}
interface Scenario {
  kind: string;
  ops: Op[];
  /** The broken invariant in words, or null; gets the outcomes of `ops`, in order. */
  check(outcomes: Outcome[]): string | null;
  /** What the next rounds learn from it (pending requests to decide, approved refunds to withdraw). */
  after?(outcomes: Outcome[]): void;
}

const money = (minor: number, currency: string) => `${(minor / 100).toFixed(2)} ${currency}`;
const codeOf = (error: unknown) => (error instanceof SafeError ? error.code : null);
/** A SafeError by its code; anything else by its innermost cause (drizzle wraps the driver's). */
function describe(error: unknown): string {
  if (error instanceof SafeError) return `SafeError(${error.code})`;
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: unknown }).cause;
  if (cause instanceof Error) return `${error.message.split('\n')[0]!.slice(0, 120)} ← ${describe(cause)}`;
  return `${error.name}: ${error.message.split('\n')[0]!.slice(0, 200)}`;
}

/** Errors the services may answer with in a race; anything else is a failure of its own. */
const EXPECTED_CODES = new Set(['over_refund', 'order_not_refundable', 'already_decided', 'own_request', 'too_late', 'expired']);

export const part: Part = {
  name: 'concurrency',
  title: 'Concurrency: 64 operations at once, round after round',
  run,
};

async function run(ctx: PartContext) {
  const size = SIZES[ctx.size];
  const started = Date.now();
  const random = makeRng(ctx.seed);
  const failures: Failure[] = [];
  const fail = (what: string, steps?: string[]) => failures.push({ what, seed: ctx.seed, steps });

  // PROVE_CONCURRENCY_ROUNDS runs another number of rounds (a quick look at full-size figures).
  const rounds = Number(process.env.PROVE_CONCURRENCY_ROUNDS) || size.rounds;
  // A round spends about five orders' money; one copy of the demo holds 27 refundable orders.
  const copies = Math.max(3, Math.ceil(rounds / 5));
  const dataset = proveDataset(copies);
  // Fewer connections than operations: the server is shared (max_connections 100, the worker
  // holds 10), so some of the 64 wait for a connection, as requests would wait for the app's pool.
  const handle = await freshPostgres(POOL);
  const db = handle.db;
  const deliveries: Delivery[] = [];
  const receiver = await startReceiver(deliveries);
  let sandbox: Awaited<ReturnType<typeof startSandboxProcess>> | null = null;
  let worker: Awaited<ReturnType<typeof startWorkerProcess>> | null = null;
  try {
    await seedDemo(db, { dataset });
    sandbox = await startSandboxProcess({
      dataset,
      appUrl: receiver.url,
      // Settled quickly so rounds see processing → succeeded; no provider-side weekly cap, which
      // would hold refunds for the provider's own approval and is not what this part measures.
      env: { SANDBOX_SETTLE_MS: '300', SANDBOX_FP_WEEKLY_THRESHOLD_MINOR: String(1e12) },
    });
    const env = appEnv(handle.url, sandbox.url);
    Object.assign(process.env, env);
    // The sweep also writes an audit checkpoint, which verifies the chain's new part: every 5 s, not
    // every 1 s, so the worker spends its time on the jobs this part makes.
    worker = await startWorkerProcess('worker', { ...env, JOBS_POLL_MS: '50', JOBS_SWEEP_MS: '5000' });
    const clientFor: ClientFor = (provider) => getProviderClient(provider);

    const world = await buildWorld(db, size.agents);
    ctx.log(
      `${world.pool.length} refundable orders (${copies} copies of the demo), ${world.agents.length} agents, ${world.managers.length} managers; seeded in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );

    const counts = new Map<string, number>();
    const count = (label: string, by = 1) => counts.set(label, (counts.get(label) ?? 0) + by);
    const roundsStarted = Date.now();
    let opsRun = 0;
    let drawMs = 0;
    for (let round = 1; round <= rounds; round++) {
      const drawStarted = Date.now();
      const scenarios = await drawRound(db, random, world, deliveries, round);
      drawMs += Date.now() - drawStarted;
      const ops = scenarios.flatMap((s) => s.ops);
      const outcomes = await Promise.all(
        ops.map((op) =>
          op.run().then(
            (value): Outcome => ({ ok: true, value }),
            (error: unknown): Outcome => ({ ok: false, error }),
          ),
        ),
      );
      opsRun += ops.length;
      await letWorkerCatchUp(db);
      const composition = `round ${round}: ${scenarios.map((s) => `${s.kind}×${s.ops.length}`).join(', ')}`;
      let offset = 0;
      for (const scenario of scenarios) {
        const own = outcomes.slice(offset, offset + scenario.ops.length);
        offset += scenario.ops.length;
        count(`ops:${scenario.kind}`, own.length);
        for (const outcome of own) {
          if (outcome.ok) count('ok');
          else if (outcome.error instanceof RetryLater) count('retry later');
          else if (EXPECTED_CODES.has(codeOf(outcome.error) ?? '')) count(`refused:${codeOf(outcome.error)}`);
        }
        const steps = [composition, ...scenario.ops.map((op, i) => `${op.step} → ${show(own[i]!)}`)];
        const unexpected = own.find(
          (o) => !o.ok && !(o.error instanceof RetryLater) && !EXPECTED_CODES.has(codeOf(o.error) ?? ''),
        );
        if (unexpected && !unexpected.ok)
          fail(`round ${round}, ${scenario.kind}: unexpected error ${describe(unexpected.error)}`, steps);
        const broken = scenario.check(own);
        if (broken) fail(`round ${round}, ${scenario.kind}: ${broken}`, steps);
        scenario.after?.(own);
      }
      if (round % 50 === 0 || round === rounds)
        ctx.log(
          `round ${round}/${rounds}: ${opsRun.toLocaleString('en-US')} operations, ${((Date.now() - roundsStarted) / 1000).toFixed(1)} s`,
        );
    }
    const roundsMs = Date.now() - roundsStarted;

    // Whatever the sandbox sent and no round raced is delivered now, as the route would.
    for (const delivery of deliveries.splice(0)) await deliver(db, delivery, clientFor).catch(() => {});
    const waitStarted = Date.now();
    const resting = await waitForRest(db, size.settleWaitMs, deliveries, clientFor);
    const waitMs = Date.now() - waitStarted;
    if (!resting.ok) fail(`after ${size.settleWaitMs / 1000} s, refunds still moving: ${resting.moving}`);

    const checked = await checkWorld(db, sandbox.url, dataset, world);
    for (const broken of checked.failures) fail(broken.what, broken.steps);

    const statusFigures = Object.entries(checked.statuses)
      .sort(([, a], [, b]) => b - a)
      .map(([status, n]) => `${status} ${n}`)
      .join(', ');
    return {
      cases: opsRun,
      unit: 'operations',
      failures,
      figures: {
        rounds,
        'ops/round': OPS_PER_ROUND,
        refunds: checked.refundCount,
        statuses: statusFigures,
        'refused (over-refund)': counts.get('refused:over_refund') ?? 0,
        'refused (already decided / own / too late)':
          (counts.get('refused:already_decided') ?? 0) +
          (counts.get('refused:own_request') ?? 0) +
          (counts.get('refused:too_late') ?? 0),
        'webhook↔poll races': counts.get('ops:webhook-vs-poll') ?? 0,
        'provider refunds in the sandbox ledger': checked.ledgerRefunds,
        'over-refunds': checked.overRefunds,
        'duplicate provider refunds': checked.duplicates,
        'limit overruns without approval': checked.limitOverruns,
        'self-approvals': checked.selfApprovals,
        'illegal statuses or moves': checked.illegal,
        'rounds time': `${(roundsMs / 1000).toFixed(1)} s (drawing ${(drawMs / 1000).toFixed(1)} s)`,
        'settle wait': `${(waitMs / 1000).toFixed(1)} s`,
      },
    };
  } finally {
    await worker?.stop();
    await sandbox?.stop();
    await new Promise<void>((resolve) => receiver.server.close(() => resolve()));
    await handle.close();
  }
}

function show(outcome: Outcome) {
  if (!outcome.ok) return describe(outcome.error);
  const value = outcome.value as (Partial<CreatedRefund> & { status?: string }) | undefined;
  if (value && typeof value === 'object' && 'status' in value)
    return `${value.status}${value.duplicate ? ' (same refund)' : ''} ${value.refundId?.slice(0, 8) ?? ''}`.trim();
  return 'ok';
}

/** Stands where the app's webhook route would: keeps each delivery for a round to race. */
async function startReceiver(into: Delivery[]): Promise<{ server: Server; url: string }> {
  const port = await freePort();
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
      const provider = url.pathname.includes('frontpayment') ? 'frontpayment' : 'forage';
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string') headers.set(name, value);
      into.push({ provider, rawBody: body, headers, url });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"received":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${port}` };
}

/** What the webhook route and the worker's webhook job do with one delivery: verify, record, apply. */
async function deliver(db: Db, delivery: Delivery, clientFor: ClientFor) {
  const client = getProviderClient(delivery.provider);
  const verified = client.verifyWebhook({ rawBody: delivery.rawBody, headers: delivery.headers, url: delivery.url });
  if (!verified.ok) throw new Error(`the sandbox's webhook did not verify: ${verified.reason}`);
  const event = client.parseWebhook({ rawBody: delivery.rawBody, url: delivery.url });
  const ingested = await ingestWebhook(db, event, { requestId: null, ip: '127.0.0.1' });
  if (ingested.duplicate) return 'duplicate';
  await processWebhookEvent(db, ingested.id, clientFor, { attempt: 1 });
  return 'applied';
}

interface World {
  pool: PoolOrder[];
  agents: Actor[];
  managers: Actor[];
  pending: Tracked[];
  approved: Tracked[];
  /** Each limit burst gets an agent of its own, with tight limits drawn for it. */
  limitAgents: { actor: Actor; thresholdMinor: number; perRefundMinor: number; perDayMinor: number }[];
  /** Refunds the seed loaded (the demo's history). */
  seeded: Set<string>;
}

async function buildWorld(db: Db, agentCount: number): Promise<World> {
  // One password hash for everyone: nobody signs in here, and hashing is deliberately slow.
  const [demo] = await db.select({ hash: users.passwordHash }).from(users).limit(1);
  const make = (role: 'agent' | 'manager', n: number) =>
    Array.from({ length: n }, (_, i) => ({
      email: `prove-${role}-${i}@refund-desk.test`,
      name: `Prove ${role} ${i}`,
      role,
      passwordHash: demo?.hash ?? null,
    }));
  const agentRows = await insertUsers(db, make('agent', agentCount));
  const managerRows = await insertUsers(db, make('manager', 6));
  const agents = agentRows.map((r, i): Actor => ({ id: r.id, role: 'agent', label: `agent-${i}` }));
  const managers = managerRows.map((r, i): Actor => ({ id: r.id, role: 'manager', label: `manager-${i}` }));

  const now = Date.now();
  const orderRows = await db.select().from(orders);
  const lineRows = await db.select().from(orderLines);
  const linesOf = new Map<string, PoolLine[]>();
  for (const l of lineRows) {
    if (l.paidMinor <= 0) continue;
    const list = linesOf.get(l.orderId) ?? [];
    list.push({ id: l.id, providerLineId: l.providerLineId, unitPriceMinor: l.unitPriceMinor });
    linesOf.set(l.orderId, list);
  }
  const pool = orderRows
    .filter(
      (o) =>
        (o.status === 'paid' || o.status === 'partially_refunded') &&
        (o.kind === 'forage' || o.kind === 'regular' || o.kind === 'invoiced') &&
        o.lineIdsKnown &&
        (!o.refundDeadline || o.refundDeadline.getTime() > now + 86_400_000) &&
        linesOf.has(o.id),
    )
    .map((o): PoolOrder => ({
      id: o.id,
      number: o.orderNumber,
      provider: o.provider as PoolOrder['provider'],
      providerRef: o.providerRef,
      currency: o.currency,
      lines: linesOf.get(o.id)!,
    }));
  const seeded = new Set((await db.select({ id: refunds.id }).from(refunds)).map((r) => r.id));
  return { pool, agents, managers, pending: [], approved: [], limitAgents: [], seeded };
}

/** Orders taken by a scenario this round: two scenarios never share one, so each check is exact. */
type Taken = Set<string>;

async function takeOrder(db: Db, random: Rng, world: World, taken: Taken, want: (o: PoolOrder) => boolean) {
  for (let tries = 0; tries < 12; tries++) {
    const candidates = world.pool.filter((o) => !taken.has(o.id) && want(o));
    if (candidates.length === 0) return null;
    const order = random.pick(candidates);
    const figures = await getOrderFigures(db, order.id);
    const lines = figures.lines
      .filter((l) => l.refundableMinor > 0)
      .map((l) => ({ ...order.lines.find((p) => p.id === l.orderLineId)!, refundableMinor: l.refundableMinor }))
      .filter((l) => l.id);
    if (lines.length === 0) {
      // Spent: it leaves the pool, unless something still holds money that may come back.
      if (figures.lines.every((l) => l.reservedMinor === 0)) world.pool.splice(world.pool.indexOf(order), 1);
      continue;
    }
    taken.add(order.id);
    return { order, lines };
  }
  return null;
}

function inputFor(order: PoolOrder, line: PoolLine, amountMinor: number, requestKey = randomUUID()): CreateRefundInput {
  const whole = amountMinor % line.unitPriceMinor === 0 ? amountMinor / line.unitPriceMinor : 0;
  return {
    orderId: order.id,
    requestKey,
    lines: [{ orderLineId: line.id, quantity: whole, amountMinor, reason: 'damaged' }],
    confirmedTotalMinor: amountMinor,
  };
}

const auditOf = (actor: Actor): AuditContext => ({
  actorId: actor.id,
  actorRole: actor.role,
  actorEmail: null,
  ip: '127.0.0.1',
  userAgent: 'prove/concurrency',
  requestId: randomUUID(),
});

function createOp(db: Db, actor: Actor, order: PoolOrder, line: PoolLine, input: CreateRefundInput): Op {
  return {
    step: `create ${order.number} line ${line.providerLineId} ${money(input.confirmedTotalMinor, order.currency)} by ${actor.label} key ${input.requestKey.slice(0, 8)}`,
    run: () => createRefund(db, { id: actor.id }, auditOf(actor), input),
  };
}

const created = (o: Outcome) => (o.ok ? (o.value as CreatedRefund) : null);

/** After a create: pending ones wait for a manager in later rounds, approved ones may be withdrawn. */
function remember(world: World, actor: Actor, amountMinor: number, currency: string, outcome: Outcome) {
  const c = created(outcome);
  if (!c || c.duplicate) return;
  const tracked = { refundId: c.refundId, requestedBy: actor, amountMinor, currency };
  if (c.status === 'pending_approval') world.pending.push(tracked);
  if (c.status === 'approved') world.approved.push(tracked);
}

/** Several people refund the same line of one order at once; together they ask for more than is left. */
async function sameLine(db: Db, random: Rng, world: World, taken: Taken, k: number): Promise<Scenario | null> {
  const got = await takeOrder(db, random, world, taken, (o) => o.provider === 'forage' || random.chance(0.3));
  if (!got) return null;
  const { order } = got;
  const line = random.pick(got.lines);
  const left = line.refundableMinor;
  const cap = order.currency === 'NOK' ? 1_500_00 : 400_00;
  const asks = Array.from({ length: k }, () => {
    const actor = random.chance(0.25) ? random.pick(world.managers) : random.pick(world.agents);
    const amount = Math.max(1, Math.min(cap, random.int(1, Math.max(1, Math.ceil((left * 2) / Math.max(2, k - 1))))));
    return { actor, input: inputFor(order, line, amount) };
  });
  return {
    kind: 'same-line',
    ops: asks.map((a) => createOp(db, a.actor, order, line, a.input)),
    check(outcomes) {
      const granted = outcomes.reduce((sum, o, i) => sum + (created(o) ? asks[i]!.input.confirmedTotalMinor : 0), 0);
      if (granted > left)
        return `over-refund: ${money(granted, order.currency)} granted on ${order.number} line ${line.providerLineId}, ${money(left, order.currency)} was left`;
      return null;
    },
    after(outcomes) {
      outcomes.forEach((o, i) => remember(world, asks[i]!.actor, asks[i]!.input.confirmedTotalMinor, order.currency, o));
    },
  };
}

/** One fresh agent's burst across many orders, with amounts around their own tight limits. */
async function limitBurst(db: Db, random: Rng, world: World, taken: Taken, k: number): Promise<Scenario | null> {
  const picks: { order: PoolOrder; line: PoolLine & { refundableMinor: number } }[] = [];
  for (let i = 0; i < k; i++) {
    const got = await takeOrder(db, random, world, taken, (o) => o.provider === 'forage');
    if (!got) break;
    picks.push({ order: got.order, line: random.pick(got.lines) });
  }
  if (picks.length < 2) return null;
  const [row] = await insertUsers(db, [
    {
      email: `prove-limits-${randomUUID().slice(0, 8)}@refund-desk.test`,
      name: 'Prove limits',
      role: 'agent',
      passwordHash: null,
    },
  ]);
  const actor: Actor = { id: row!.id, role: 'agent', label: `limit-agent-${world.limitAgents.length}` };
  const thresholdMinor = random.int(3_00, 8_00);
  const perRefundMinor = thresholdMinor + random.int(0, 4_00);
  const perDayMinor = random.int(2, 4) * thresholdMinor + random.int(0, 3_00);
  await insertRefundLimits(db, [
    { userId: actor.id, currency: 'USD', approvalThresholdMinor: thresholdMinor, perRefundMinor, perDayMinor },
  ]);
  world.limitAgents.push({ actor, thresholdMinor, perRefundMinor, perDayMinor });
  const asks = picks.map(({ order, line }) => {
    const near = random.pick([
      thresholdMinor,
      thresholdMinor + 1,
      perRefundMinor,
      perRefundMinor + 1,
      random.int(1_00, thresholdMinor),
    ]);
    const amount = Math.max(1, Math.min(near, line.refundableMinor));
    return { order, line, input: inputFor(order, line, amount) };
  });
  return {
    kind: 'limit-burst',
    ops: asks.map((a) => createOp(db, actor, a.order, a.line, a.input)),
    check(outcomes) {
      let approvedSum = 0;
      for (const [i, o] of outcomes.entries()) {
        const c = created(o);
        if (c?.status !== 'approved') continue;
        const amount = asks[i]!.input.confirmedTotalMinor;
        approvedSum += amount;
        if (amount > thresholdMinor || amount > perRefundMinor)
          return `${money(amount, 'USD')} approved without a manager above the threshold ${money(thresholdMinor, 'USD')} / per-refund ${money(perRefundMinor, 'USD')}`;
      }
      if (approvedSum > perDayMinor)
        return `limit overrun: ${money(approvedSum, 'USD')} approved without a manager for ${actor.label}, whose daily limit is ${money(perDayMinor, 'USD')}`;
      return null;
    },
    after(outcomes) {
      outcomes.forEach((o, i) => remember(world, actor, asks[i]!.input.confirmedTotalMinor, 'USD', o));
    },
  };
}

/** The same request (one request key) sent two to four times at once: one refund, or one refusal. */
async function doubleSubmit(db: Db, random: Rng, world: World, taken: Taken, k: number): Promise<Scenario | null> {
  const got = await takeOrder(db, random, world, taken, () => true);
  if (!got) return null;
  const { order } = got;
  const line = random.pick(got.lines);
  const actor = random.pick(world.agents);
  const amount = random.int(1, Math.min(line.refundableMinor, order.currency === 'NOK' ? 1_000_00 : 50_00));
  const input = inputFor(order, line, amount);
  return {
    kind: 'double-submit',
    ops: Array.from({ length: k }, () => createOp(db, actor, order, line, input)),
    check(outcomes) {
      const ids = new Set(outcomes.map((o) => created(o)?.refundId).filter(Boolean));
      const firsts = outcomes.filter((o) => created(o) && !created(o)!.duplicate).length;
      if (ids.size > 1) return `one request key made ${ids.size} refunds`;
      if (firsts > 1) return `${firsts} answers claim to have made the refund; the others must say it already existed`;
      if (ids.size === 1 && outcomes.some((o) => !o.ok)) return 'one request key was both accepted and refused';
      return null;
    },
    after(outcomes) {
      const first = outcomes.find((o) => created(o) && !created(o)!.duplicate);
      if (first) remember(world, actor, amount, order.currency, first);
    },
  };
}

function managersOtherThan(random: Rng, world: World, requester: Actor, n: number) {
  return random.shuffle(world.managers.filter((m) => m.id !== requester.id)).slice(0, n);
}

/** Two managers decide one request at once, one approving and one rejecting; maybe the requester too. */
async function decideRace(db: Db, random: Rng, world: World): Promise<Scenario | null> {
  if (world.pending.length === 0) return null;
  const target = world.pending.splice(random.int(0, world.pending.length - 1), 1)[0]!;
  const digest = await linesDigest(db, target.refundId);
  const [approver, rejecter] = managersOtherThan(random, world, target.requestedBy, 2);
  const input = { refundId: target.refundId, linesDigest: digest };
  const ops: Op[] = [
    {
      step: `approve ${target.refundId.slice(0, 8)} by ${approver!.label}`,
      run: () => approveRefund(db, approver!, auditOf(approver!), input),
    },
    {
      step: `reject ${target.refundId.slice(0, 8)} by ${rejecter!.label}`,
      run: () => rejectRefund(db, rejecter!, auditOf(rejecter!), { ...input, comment: 'prove: rejected in a race' }),
    },
  ];
  const selfTry = random.chance(0.5);
  if (selfTry)
    ops.push({
      step: `approve ${target.refundId.slice(0, 8)} by its own requester ${target.requestedBy.label}`,
      run: () => approveRefund(db, target.requestedBy, auditOf(target.requestedBy), input),
    });
  return {
    kind: 'approve-vs-reject',
    ops,
    check(outcomes) {
      const decided = outcomes.slice(0, 2).filter((o) => o.ok).length;
      if (decided > 1) return 'both the approval and the rejection of one request went through';
      if (selfTry && outcomes[2]!.ok) return `self-approval: ${target.requestedBy.label} approved their own request`;
      return null;
    },
    after(outcomes) {
      if (outcomes[0]!.ok) world.approved.push(target);
    },
  };
}

/** The requester withdraws a request while a manager approves it, or while the sender takes it. */
async function withdrawRace(db: Db, random: Rng, world: World): Promise<Scenario | null> {
  const fromPending = world.pending.length > 0 && (world.approved.length === 0 || random.chance(0.5));
  const list = fromPending ? world.pending : world.approved;
  if (list.length === 0) return null;
  const target = list.splice(random.int(0, list.length - 1), 1)[0]!;
  const withdraw: Op = {
    step: `withdraw ${target.refundId.slice(0, 8)} by ${target.requestedBy.label}`,
    run: () => cancelRefund(db, target.requestedBy, auditOf(target.requestedBy), target.refundId),
  };
  if (!fromPending) {
    // Against the worker, which is sending approved refunds as they come.
    return { kind: 'withdraw-vs-sender', ops: [withdraw], check: () => null };
  }
  const digest = await linesDigest(db, target.refundId);
  const [approver] = managersOtherThan(random, world, target.requestedBy, 1);
  return {
    kind: 'withdraw-vs-approve',
    ops: [
      withdraw,
      {
        step: `approve ${target.refundId.slice(0, 8)} by ${approver!.label}`,
        run: () => approveRefund(db, approver!, auditOf(approver!), { refundId: target.refundId, linesDigest: digest }),
      },
    ],
    // Both may go through (approved, then withdrawn before it was sent); a withdrawal after the
    // refund was sent is caught at the end, against the submissions and the provider's ledger.
    check: () => null,
  };
}

/** A provider webhook delivered while a poll reads the same refund (and, sometimes, delivered twice). */
function webhookVsPoll(db: Db, random: Rng, deliveries: Delivery[], clientFor: ClientFor): Scenario | null {
  if (deliveries.length === 0) return null;
  const delivery = deliveries.splice(random.int(0, deliveries.length - 1), 1)[0]!;
  let refundRef: string | null = null;
  try {
    refundRef = (JSON.parse(delivery.rawBody) as { data?: { refund_ref?: string } }).data?.refund_ref ?? null;
  } catch {
    refundRef = null;
  }
  const poll: Op = {
    step: `poll the refund of provider refund ${refundRef}`,
    run: async () => {
      if (!refundRef) return 'nothing to poll';
      const [part] = await db
        .select({ refundId: providerRefunds.refundId })
        .from(providerRefunds)
        .where(eq(providerRefunds.providerRefundRef, refundRef));
      if (!part) return 'not known yet';
      await pollRefund(db, part.refundId, clientFor);
      return 'polled';
    },
  };
  const hook = (n: number): Op => ({
    step: `deliver ${delivery.provider} webhook for ${refundRef} (${n})`,
    run: () => deliver(db, delivery, clientFor),
  });
  const ops = random.chance(0.3) ? [hook(1), poll, hook(2)] : [hook(1), poll];
  return { kind: 'webhook-vs-poll', ops, check: () => null };
}

async function drawRound(db: Db, random: Rng, world: World, deliveries: Delivery[], round: number): Promise<Scenario[]> {
  const clientFor: ClientFor = (provider) => getProviderClient(provider);
  const taken: Taken = new Set();
  const scenarios: Scenario[] = [];
  let room = OPS_PER_ROUND;
  let misses = 0;
  while (room > 0 && misses < 20) {
    const roll = random.next();
    let next: Scenario | null = null;
    if (roll < 0.25) next = await sameLine(db, random, world, taken, Math.min(room, random.int(3, 10)));
    else if (roll < 0.4 && room >= 6) next = await limitBurst(db, random, world, taken, Math.min(room, random.int(6, 12)));
    else if (roll < 0.55) next = await doubleSubmit(db, random, world, taken, Math.min(room, random.int(2, 4)));
    else if (roll < 0.7 && room >= 3) next = await decideRace(db, random, world);
    else if (roll < 0.8 && room >= 2) next = await withdrawRace(db, random, world);
    else if (room >= 3) next = webhookVsPoll(db, random, deliveries, clientFor);
    if (!next || next.ops.length > room) {
      misses += 1;
      continue;
    }
    scenarios.push(next);
    room -= next.ops.length;
  }
  // Whatever is left is filled with same-line contests, so every round is exactly 64 at once.
  while (room > 0) {
    const filler = await sameLine(db, random, world, taken, room);
    if (!filler) throw new Error(`round ${round}: the dataset ran out of refundable orders; give the size more copies`);
    scenarios.push(filler);
    room -= filler.ops.length;
  }
  return scenarios;
}

/**
 * Between rounds, the worker sends what the round approved. One worker sends one refund at a time
 * (a few a second here), so without a pause a long run outruns it and ends with thousands queued;
 * the next round starts once at most one round's worth is waiting, or after 15 s.
 */
async function letWorkerCatchUp(db: Db) {
  const until = Date.now() + 15_000;
  while (Date.now() < until) {
    const [row] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(refunds)
      .where(eq(refunds.status, 'approved'));
    if ((row?.n ?? 0) <= OPS_PER_ROUND / 2) return;
    await sleep(200);
  }
}

/**
 * Until no refund is left with the worker or the provider (approved, submitting, processing). The
 * worker sends and polls; its poll job backs off (5 s, 10 s, 20 s …), so once the sandbox has
 * settled everything, refunds still `processing` after a few seconds are polled here too, with the
 * same code the job runs, rather than waiting out the backoff.
 */
async function waitForRest(db: Db, timeoutMs: number, deliveries: Delivery[], clientFor: ClientFor) {
  const started = Date.now();
  const until = started + timeoutMs;
  const moving = ['approved', 'submitting', 'processing'] as RefundStatus[];
  for (;;) {
    for (const delivery of deliveries.splice(0)) await deliver(db, delivery, clientFor).catch(() => {});
    if (Date.now() - started > 3_000) {
      const processing = await db.select({ id: refunds.id }).from(refunds).where(eq(refunds.status, 'processing'));
      for (const { id } of processing) await pollRefund(db, id, clientFor).catch(() => {});
    }
    const rows = await db
      .select({ status: refunds.status, n: sql<number>`count(*)::int` })
      .from(refunds)
      .where(inArray(refunds.status, moving))
      .groupBy(refunds.status);
    if (rows.length === 0) return { ok: true as const };
    if (Date.now() > until) return { ok: false as const, moving: rows.map((r) => `${r.status} ${r.n}`).join(', ') };
    await sleep(250);
  }
}

/** Forage's created time, Pacific with microseconds ("…T12:55:38.123456-08:00"), to the millisecond. */
const forageTime = (created: string) => new Date(created.replace(/(\.\d{3})\d+/, '$1'));

interface ForageLedgerRefund {
  ref: string;
  created: string;
  payment: string;
  amount: string;
  status: string;
  metadata: Record<string, string> | null;
}
interface FrontpaymentView {
  paidMinor: number;
  refundedMinor: number;
  pendingMinor: number;
  lines: { id: number; grossMinor: number; committedMinor: number }[];
  refunds: { state: 'pending' | 'applied' | 'dropped'; totalMinor: number }[];
}

/** The whole run against the sandbox's ledger and sums that do not use the app's own figures. */
async function checkWorld(db: Db, sandboxUrl: string, dataset: DemoDataset, world: World) {
  const failures: { what: string; steps?: string[] }[] = [];
  const allRefunds = await db.select().from(refunds);
  const byId = new Map(allRefunds.map((r) => [r.id, r]));
  // The demo's past refunds are history the seed loaded, not made by this run.
  const runRefunds = allRefunds.filter((r) => !world.seeded.has(r.id));
  const statuses: Record<string, number> = {};
  for (const r of runRefunds) statuses[r.status] = (statuses[r.status] ?? 0) + 1;

  // 1. Over-refunds, from the provider's ledger: per Forage payment and per Frontpayment line.
  let overRefunds = 0;
  let duplicates = 0;
  let ledgerRefunds = 0;
  const touched = new Set(runRefunds.map((r) => r.orderId));
  const orderRows = await db
    .select()
    .from(orders)
    .where(inArray(orders.id, [...touched]));
  const datasetByRef = new Map(dataset.orders.map((o) => [o.providerRef, o]));
  const appRefundsOfOrder = new Map<string, typeof runRefunds>();
  for (const r of runRefunds) appRefundsOfOrder.set(r.orderId, [...(appRefundsOfOrder.get(r.orderId) ?? []), r]);
  const firstSubmission = new Map(
    (
      await db
        .select({ refundId: submissions.refundId, at: sql<string>`min(${submissions.createdAt})::text` })
        .from(submissions)
        .groupBy(submissions.refundId)
    ).map((s) => [s.refundId, new Date(s.at)]),
  );
  const submitted = new Set(firstSubmission.keys());
  const partRows = await db.select().from(providerRefunds);

  for (const order of orderRows) {
    const demo = datasetByRef.get(order.providerRef);
    if (!demo) continue;
    const own = appRefundsOfOrder.get(order.id) ?? [];
    if (order.provider === 'forage') {
      const { refunds: ledger } = await sandboxControl<{ refunds: ForageLedgerRefund[] }>(
        sandboxUrl,
        'GET',
        `forage/orders/${order.providerRef}/refunds`,
      );
      const cents = (r: ForageLedgerRefund) => Math.round(Number(r.amount) * 100);
      const live = ledger.filter((r) => r.status !== 'failed');
      for (const payment of demo.payments) {
        const out = live.filter((r) => r.payment === payment.ref).reduce((s, r) => s + cents(r), 0);
        if (out > payment.amount) {
          overRefunds += 1;
          failures.push({
            what: `over-refund at the provider: ${money(out, 'USD')} refunded from payment ${payment.ref} of ${order.orderNumber}, which took ${money(payment.amount, 'USD')}`,
          });
        }
      }
      const mine = ledger.filter((r) => r.metadata?.refund_id);
      ledgerRefunds += mine.length;
      const seen = new Map<string, number>();
      for (const r of mine) {
        const key = `${r.metadata!.refund_id}|${r.payment}`;
        seen.set(key, (seen.get(key) ?? 0) + 1);
        const app = byId.get(r.metadata!.refund_id!);
        const writtenAt = app && firstSubmission.get(app.id);
        if (!app)
          failures.push({ what: `the provider holds refund ${r.ref} for an unknown app refund ${r.metadata!.refund_id}` });
        else if (!writtenAt)
          failures.push({
            what: `the provider holds refund ${r.ref} for app refund ${app.id}, which never wrote a submission (status ${app.status})`,
          });
        // The submission row is written before the call (the rule a crash relies on): never after
        // the provider made the refund.
        else if (writtenAt > forageTime(r.created))
          failures.push({
            what: `the provider made refund ${r.ref} at ${r.created}, before app refund ${app.id} wrote its submission down (${writtenAt.toISOString()})`,
          });
      }
      for (const [key, n] of seen) {
        if (n > 1) {
          duplicates += n - 1;
          failures.push({ what: `duplicate provider refunds: ${n} Forage refunds for app refund and payment ${key}` });
        }
      }
      for (const app of own) {
        const atProvider = live.filter((r) => r.metadata?.refund_id === app.id).reduce((s, r) => s + cents(r), 0);
        if (atProvider > app.amountMinor) {
          overRefunds += 1;
          failures.push({
            what: `over-refund: the provider paid out ${money(atProvider, 'USD')} for app refund ${app.id} of ${money(app.amountMinor, 'USD')}`,
          });
        }
        const partsOf = partRows.filter((p) => p.refundId === app.id && p.providerRefundRef);
        const refs = new Set(partsOf.map((p) => p.providerRefundRef));
        if (refs.size !== partsOf.length) {
          duplicates += 1;
          failures.push({ what: `app refund ${app.id} records one provider refund twice` });
        }
        if (app.status === 'succeeded' && atProvider !== app.amountMinor)
          failures.push({
            what: `app refund ${app.id} says succeeded for ${money(app.amountMinor, 'USD')}, the provider shows ${money(atProvider, 'USD')}`,
          });
      }
    } else {
      const view = await sandboxControl<FrontpaymentView>(sandboxUrl, 'GET', `frontpayment/orders/${order.providerRef}`);
      if (view.refundedMinor + view.pendingMinor > view.paidMinor) {
        overRefunds += 1;
        failures.push({
          what: `over-refund at the provider: ${order.orderNumber} holds ${money(view.refundedMinor + view.pendingMinor, 'NOK')} of refunds on ${money(view.paidMinor, 'NOK')} paid`,
        });
      }
      for (const line of view.lines) {
        if (line.committedMinor > line.grossMinor) {
          overRefunds += 1;
          failures.push({
            what: `over-refund at the provider: ${order.orderNumber} line ${line.id} has ${money(line.committedMinor, 'NOK')} refunded of ${money(line.grossMinor, 'NOK')}`,
          });
        }
      }
      // The sandbox's Frontpayment refunds carry no id of ours: count and sum those made in this
      // run (after the demo's past ones) against the app refunds that were written down as sent.
      const past = demo.refunds.length;
      const made = view.refunds.slice(past).filter((r) => r.state !== 'dropped');
      ledgerRefunds += made.length;
      const sent = own.filter((r) => submitted.has(r.id));
      const sentSum = sent.reduce((s, r) => s + r.amountMinor, 0);
      const madeSum = made.reduce((s, r) => s + r.totalMinor, 0);
      if (made.length > sent.length || madeSum > sentSum) {
        duplicates += Math.max(1, made.length - sent.length);
        failures.push({
          what: `duplicate provider refunds on ${order.orderNumber}: the provider made ${made.length} (${money(madeSum, 'NOK')}) for ${sent.length} sent (${money(sentSum, 'NOK')})`,
        });
      }
    }
  }

  // 1b. The app's own reservations, summed per line without its figures code.
  const held = await db
    .select({
      orderLineId: refundLines.orderLineId,
      total: sql<number>`sum(${refundLines.amountMinor})::bigint`.mapWith(Number),
      paid: sql<number>`max(${orderLines.paidMinor} - ${orderLines.externallyRefundedMinor})::bigint`.mapWith(Number),
    })
    .from(refundLines)
    .innerJoin(refunds, eq(refunds.id, refundLines.refundId))
    .innerJoin(orderLines, eq(orderLines.id, refundLines.orderLineId))
    .where(
      sql`${refunds.status} not in (${sql.join(
        RELEASED_REFUND_STATUSES.map((s) => sql`${s}`),
        sql`, `,
      )})`,
    )
    .groupBy(refundLines.orderLineId);
  for (const line of held) {
    if (line.total > line.paid) {
      overRefunds += 1;
      failures.push({
        what: `over-refund in the app: line ${line.orderLineId} holds ${line.total} of ${line.paid} paid (minor units)`,
      });
    }
  }

  // 2. Statuses and moves: every status is one of the lifecycle's, every recorded move an allowed one.
  let illegal = 0;
  const events = await db
    .select({
      entityId: auditEvents.entityId,
      action: auditEvents.action,
      before: auditEvents.before,
      after: auditEvents.after,
      seq: auditEvents.seq,
    })
    .from(auditEvents)
    .where(eq(auditEvents.entityType, 'refund'))
    .orderBy(auditEvents.seq);
  const initial = new Map<string, RefundStatus>();
  const managerApproved = new Set<string>();
  const current = new Map<string, RefundStatus>();
  for (const e of events) {
    const after = (e.after ?? {}) as { status?: RefundStatus };
    const before = (e.before ?? {}) as { status?: RefundStatus };
    if (!e.entityId || !after.status) continue;
    if (e.action === 'refund.requested') {
      initial.set(e.entityId, after.status);
      current.set(e.entityId, after.status);
      continue;
    }
    // Provider refunds have statuses of their own (pending … succeeded), audited on the refund.
    if (!before.status || e.action.startsWith('provider_refund.')) continue;
    const was = current.get(e.entityId);
    if ((was && was !== before.status) || !canMove(before.status, after.status)) {
      illegal += 1;
      failures.push({
        what: `illegal move recorded for refund ${e.entityId}: ${was ?? '?'} / ${before.status} → ${after.status} (${e.action}, seq ${e.seq})`,
      });
    }
    if (before.status === 'pending_approval' && after.status === 'approved') managerApproved.add(e.entityId);
    current.set(e.entityId, after.status);
  }
  for (const r of runRefunds) {
    if (!REFUND_STATUSES.includes(r.status) || r.status === 'requested') {
      illegal += 1;
      failures.push({ what: `refund ${r.id} is in status ${r.status}, which no refund may rest in` });
    }
    if (current.has(r.id) && current.get(r.id) !== r.status) {
      illegal += 1;
      failures.push({ what: `refund ${r.id} is ${r.status}, but its recorded history ends in ${current.get(r.id)}` });
    }
    if (!initial.has(r.id)) {
      illegal += 1;
      failures.push({ what: `refund ${r.id} has no refund.requested event` });
    }
    if (r.status === 'canceled' && (submitted.has(r.id) || partRows.some((p) => p.refundId === r.id))) {
      illegal += 1;
      failures.push({ what: `refund ${r.id} was withdrawn after it had been sent to the provider` });
    }
  }

  // 3. Four eyes and limits: no self-approval; nothing above a limit went out without a manager.
  const approvalRows = await db.select().from(approvals);
  let selfApprovals = 0;
  const approvedBy = new Map<string, string>();
  for (const a of approvalRows) {
    const r = byId.get(a.refundId);
    if (r && a.decidedBy === r.requestedBy) {
      selfApprovals += 1;
      failures.push({ what: `self-approval: refund ${r.id} was ${a.decision} by its own requester` });
    }
    if (a.decision === 'approved') approvedBy.set(a.refundId, a.decidedBy);
  }
  let limitOverruns = 0;
  const released = new Set<string>(RELEASED_REFUND_STATUSES);
  const unapproved = new Map<string, number>();
  const limitsCache = new Map<string, Awaited<ReturnType<typeof getLimits>>>();
  const limitsOf = async (userId: string, currency: string) => {
    const key = `${userId}|${currency}`;
    if (!limitsCache.has(key)) limitsCache.set(key, await getLimits(db, userId, currency));
    return limitsCache.get(key)!;
  };
  for (const r of runRefunds) {
    const first = initial.get(r.id);
    const limits = await limitsOf(r.requestedBy, r.currency);
    const overOne =
      (limits.approvalThresholdMinor !== null && r.amountMinor > limits.approvalThresholdMinor) ||
      (limits.perRefundMinor !== null && r.amountMinor > limits.perRefundMinor);
    if (first === 'approved' && overOne) {
      limitOverruns += 1;
      failures.push({
        what: `limit overrun: refund ${r.id} of ${money(r.amountMinor, r.currency)} was approved without a manager, above the requester's threshold or per-refund limit`,
      });
    }
    if (managerApproved.has(r.id) && !approvedBy.has(r.id)) {
      limitOverruns += 1;
      failures.push({ what: `refund ${r.id} needed a manager and was approved with no approval recorded (${r.status})` });
    }
    if (
      first === 'pending_approval' &&
      !managerApproved.has(r.id) &&
      (submitted.has(r.id) || !['pending_approval', 'rejected', 'expired', 'canceled'].includes(r.status))
    ) {
      limitOverruns += 1;
      failures.push({ what: `refund ${r.id} needed a manager and went on (${r.status}) without an approval` });
    }
    // Refunds approved by policy and still holding money: per agent, currency and day, within the limit.
    if (first === 'approved' && !released.has(r.status)) {
      const key = `${r.requestedBy}|${r.currency}|${startOfUtcDay(r.createdAt).toISOString()}`;
      unapproved.set(key, (unapproved.get(key) ?? 0) + r.amountMinor);
    }
  }
  for (const [key, sum] of unapproved) {
    const [userId, currency] = key.split('|') as [string, string];
    const limits = await limitsOf(userId, currency);
    if (limits.perDayMinor !== null && sum > limits.perDayMinor) {
      limitOverruns += 1;
      const who = world.limitAgents.find((a) => a.actor.id === userId)?.actor.label ?? userId;
      failures.push({
        what: `limit overrun: ${who} holds ${money(sum, currency)} approved without a manager on one day, daily limit ${money(limits.perDayMinor, currency)}`,
      });
    }
  }

  const restless = runRefunds.filter(
    (r) => !isFinal(r.status) && r.status !== 'pending_approval' && r.status !== 'outcome_unknown',
  );
  if (restless.length > 0)
    failures.push({
      what: `${restless.length} refunds did not come to rest (${[...new Set(restless.map((r) => r.status))].join(', ')}), e.g. ${restless
        .slice(0, 3)
        .map((r) => r.id)
        .join(', ')}`,
    });
  return {
    failures,
    refundCount: runRefunds.length,
    statuses,
    overRefunds,
    duplicates,
    ledgerRefunds,
    limitOverruns,
    selfApprovals,
    illegal,
  };
}
