import { randomUUID } from 'node:crypto';
import { and, count, eq, gt, inArray, NoopLogger, sql } from 'drizzle-orm';
import type { Db } from '@/db';
import { approvalExpiryHours, getLimits, lockAgentLimits, usedToday } from '@/db/queries/policy';
import { auditEvents, orderLines, orders, refundLines, refunds, users } from '@/db/schema';
import { seedDemo } from '@/demo/seed';
import { appendAudit, type AuditContext } from '@/lib/audit';
import { JOB_HANDLERS } from '@/lib/jobs/handlers';
import { enqueueJob } from '@/lib/jobs/kinds';
import { runDueJobs } from '@/lib/jobs/worker';
import { createRefund } from '@/lib/refunds/service';
import { proveDataset, startSandboxProcess } from '@/prove/harness';
import type { BenchDb } from './database';
import { quantile, timeRuns } from './measure';

/**
 * The refund submission's own server overhead (issue #12): a refund made through the app's real
 * path — createRefund (order lock, figures, limits under their lock, the refund and its lines, an
 * audit event, the queued job) and then the job that sends it (claim, the move to submitting with
 * its audit event, the attempt row, the HTTP call to the provider sandbox, the answer, the move to
 * processing with its audit event, the poll job) — against a bare script that inserts the same
 * refund and line in one transaction, makes the same HTTP call and writes the answer. Forage orders
 * (one HTTP call per refund); the sandbox runs as its own process, as in production.
 */

export interface SubmissionFigures {
  refunds: number;
  /** Per refund, median ms. */
  app: { create: number; job: number; http: number; total: number; p95: number; statements: number; auditEvents: number };
  bare: { tx: number; http: number; answer: number; total: number; p95: number; statements: number };
  /** What the app does that the bare script does not, each timed alone (median ms, and times per refund). */
  extras: { name: string; ms: number; perRefund: number }[];
}

interface Line {
  orderId: string;
  lineId: string;
  unitPriceMinor: number;
  paidMinor: number;
  currency: string;
}

const median = (values: number[]) =>
  quantile(
    [...values].sort((a, b) => a - b),
    0.5,
  );
const p95 = (values: number[]) =>
  quantile(
    [...values].sort((a, b) => a - b),
    0.95,
  );

/** Time spent in fetch (the provider calls) while `run` runs. */
function httpTimer() {
  const original = globalThis.fetch;
  let ms = 0;
  let calls = 0;
  globalThis.fetch = async (...args: Parameters<typeof fetch>) => {
    const started = performance.now();
    try {
      return await original(...args);
    } finally {
      ms += performance.now() - started;
      calls += 1;
    }
  };
  return {
    take: () => {
      const taken = { ms, calls };
      ms = 0;
      calls = 0;
      return taken;
    },
    restore: () => {
      globalThis.fetch = original;
    },
  };
}

/** The Forage request the app sent last, captured so the bare script sends the same call. */
function captureRequests() {
  const original = globalThis.fetch;
  const seen: { url: string; init: RequestInit }[] = [];
  globalThis.fetch = async (input, init) => {
    seen.push({ url: String(input instanceof Request ? input.url : input), init: init ?? {} });
    return original(input, init);
  };
  return {
    seen,
    restore: () => {
      globalThis.fetch = original;
    },
  };
}

export async function submissionFigures(bench: BenchDb, count: number, log: (line: string) => void): Promise<SubmissionFigures> {
  const db = bench.db;
  const warmup = 5;
  const wanted = 2 * (count + warmup);
  // One demo copy has ~13 Forage orders of three lines; each line takes many refunds of 1% of it.
  const dataset = proveDataset(Math.max(3, Math.ceil(wanted / 200)));
  await seedDemo(db, { dataset });
  const sandbox = await startSandboxProcess({ dataset });
  const env = { PROVIDERS: 'sandbox', SANDBOX_URL: sandbox.url };
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  try {
    const [agent] = await db
      .insert(users)
      .values({ email: 'bench.submitter@refund-desk.test', name: 'Bench Submitter', role: 'agent' })
      .returning({ id: users.id });
    const actor = { id: agent!.id };
    const audit: AuditContext = {
      actorId: actor.id,
      actorRole: 'agent',
      actorEmail: 'bench.submitter@refund-desk.test',
      ip: '127.0.0.1',
      userAgent: 'bench',
      requestId: null,
    };
    // Lines with at least half of what was paid still refundable: each takes many 1% refunds.
    const lines: Line[] = await db
      .select({
        orderId: orders.id,
        lineId: orderLines.id,
        unitPriceMinor: orderLines.unitPriceMinor,
        paidMinor: orderLines.paidMinor,
        currency: orders.currency,
      })
      .from(orderLines)
      .innerJoin(orders, eq(orders.id, orderLines.orderId))
      .where(
        and(
          eq(orders.provider, 'forage'),
          inArray(orders.status, ['paid', 'partially_refunded']),
          eq(orders.lineIdsKnown, true),
          gt(orderLines.paidMinor, 200),
          sql`(${orders.refundDeadline} is null or ${orders.refundDeadline} > now() + interval '1 day')`,
          sql`${orders.externallyRefundedMinor} = 0 and ${orderLines.externallyRefundedMinor} = 0`,
          sql`not exists (select 1 from ${refundLines} where ${refundLines.orderLineId} = ${orderLines.id})`,
        ),
      )
      .orderBy(orders.orderNumber, orderLines.position);
    if (lines.length < 10) throw new Error(`only ${lines.length} refundable Forage lines in the demo data`);
    let next = 0;
    const nextLine = () => lines[next++ % lines.length]!;
    const amountOf = (line: Line) => Math.max(1, Math.floor(line.paidMinor / 100));
    const workerId = `bench-${randomUUID().slice(0, 8)}`;
    const submitOnly = { 'refund.submit': JOB_HANDLERS['refund.submit'] };

    async function appRefund() {
      const line = nextLine();
      const amountMinor = amountOf(line);
      const started = performance.now();
      const created = await createRefund(db, actor, audit, {
        orderId: line.orderId,
        requestKey: randomUUID(),
        lines: [{ orderLineId: line.lineId, quantity: 0, amountMinor, reason: 'damaged' }],
        confirmedTotalMinor: amountMinor,
      });
      const createdAt = performance.now();
      if (created.status !== 'approved') throw new Error(`bench refund is ${created.status}, not approved`);
      const ran = await runDueJobs(db, submitOnly, { workerId, limit: 1 });
      const done = performance.now();
      if (ran !== 1) throw new Error('the submission job did not run');
      const [row] = await db.select({ status: refunds.status }).from(refunds).where(eq(refunds.id, created.refundId));
      if (row?.status !== 'processing' && row?.status !== 'succeeded') throw new Error(`bench refund ended ${row?.status}`);
      return { create: createdAt - started, job: done - createdAt };
    }

    // Warm-up (the Forage token, JIT), then the request the bare script replays.
    const capture = captureRequests();
    for (let i = 0; i < warmup; i++) await appRefund();
    capture.restore();
    const call = capture.seen.findLast((r) => r.init.method === 'POST' && /refund/i.test(r.url));
    if (!call) throw new Error(`no refund call to the sandbox was seen (${capture.seen.map((r) => r.url).join(', ')})`);

    const auditBefore = await countRows(db);
    const timer = httpTimer();
    const app: { create: number; job: number; http: number; total: number }[] = [];
    try {
      for (let i = 0; i < count; i++) {
        const t = await appRefund();
        const http = timer.take().ms;
        app.push({ ...t, http, total: t.create + t.job });
      }
    } finally {
      timer.restore();
    }
    const auditPerRefund = ((await countRows(db)) - auditBefore) / count;

    // The bare script: the same refund row and line in one transaction, the same HTTP call (a fresh
    // idempotency key), the answer written.
    async function bareRefund() {
      const line = nextLine();
      const amountMinor = amountOf(line);
      const started = performance.now();
      const id = randomUUID();
      await db.transaction(async (tx) => {
        await tx.insert(refunds).values({
          id,
          orderId: line.orderId,
          requestKey: randomUUID(),
          status: 'submitting',
          currency: line.currency,
          amountMinor,
          requestedBy: actor.id,
        });
        await tx
          .insert(refundLines)
          .values({ refundId: id, orderLineId: line.lineId, quantity: 0, amountMinor, reason: 'damaged' });
      });
      const inserted = performance.now();
      // The app's own timeout signal is spent; the bare call gets its own.
      const { signal: _spent, ...init } = call!.init;
      const headers = new Headers(init.headers);
      if (headers.has('idempotency-key')) headers.set('idempotency-key', randomUUID().replace(/-/g, ''));
      const response = await fetch(call!.url, { ...init, headers, signal: AbortSignal.timeout(10_000) });
      const answer = await response.text();
      const answered = performance.now();
      if (!response.ok) throw new Error(`bare call answered ${response.status}: ${answer.slice(0, 200)}`);
      await db.update(refunds).set({ status: 'processing', submittedAt: new Date() }).where(eq(refunds.id, id));
      const done = performance.now();
      return { tx: inserted - started, http: answered - inserted, answer: done - answered, total: done - started };
    }
    for (let i = 0; i < warmup; i++) await bareRefund();
    const bare: Awaited<ReturnType<typeof bareRefund>>[] = [];
    for (let i = 0; i < count; i++) bare.push(await bareRefund());

    // Statements each sends for one refund, BEGIN and COMMIT aside.
    const appStatements = await statementsOf(appRefund);
    const bareStatements = await statementsOf(bareRefund);

    // What the app does more, each alone.
    const runs = Math.max(10, Math.min(50, count));
    const extras: SubmissionFigures['extras'] = [];
    const timed = async (name: string, perRefund: number, fn: () => Promise<unknown>) => {
      const { medianMs } = await timeRuns(runs, fn);
      extras.push({ name, ms: medianMs, perRefund });
    };
    await timed('audit event (chain lock, head read, HMAC, insert) in its transaction', auditPerRefund, () =>
      db.transaction((tx) => appendAudit(tx, audit, { action: 'bench.event', entityType: 'bench', after: { n: 1 } })),
    );
    await timed('agent limits: lock, limits, used today, expiry setting', 1, () =>
      db.transaction(async (tx) => {
        await lockAgentLimits(tx, actor.id, 'USD');
        await Promise.all([getLimits(tx, actor.id, 'USD'), usedToday(tx, actor.id, 'USD'), approvalExpiryHours(tx)]);
      }),
    );
    await timed('job queue: enqueue, claim, complete', 2, async () => {
      await enqueueJob(db, 'order.refresh', { orderId: randomUUID() });
      await runDueJobs(db, { 'order.refresh': async () => {} }, { workerId, limit: 1 });
    });
    log(`  ${lines.length} Forage lines in ${dataset.orders.length} demo orders; sandbox ${sandbox.url}`);

    return {
      refunds: count,
      app: {
        create: median(app.map((a) => a.create)),
        job: median(app.map((a) => a.job)),
        http: median(app.map((a) => a.http)),
        total: median(app.map((a) => a.total)),
        p95: p95(app.map((a) => a.total)),
        statements: appStatements,
        auditEvents: auditPerRefund,
      },
      bare: {
        tx: median(bare.map((b) => b.tx)),
        http: median(bare.map((b) => b.http)),
        answer: median(bare.map((b) => b.answer)),
        total: median(bare.map((b) => b.total)),
        p95: p95(bare.map((b) => b.total)),
        statements: bareStatements,
      },
      extras,
    };
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    await sandbox.stop();
  }
}

async function countRows(db: Db) {
  const [row] = await db.select({ n: count() }).from(auditEvents);
  return Number(row?.n ?? 0);
}

/**
 * SQL statements sent while `fn` runs, counted where drizzle logs each one. Every session and
 * transaction makes its own no-op logger (none is configured), so the count goes on its prototype.
 */
async function statementsOf(fn: () => Promise<unknown>): Promise<number> {
  const proto = NoopLogger.prototype as { logQuery: (query: string, params: unknown[]) => void };
  const original = proto.logQuery;
  let statements = 0;
  proto.logQuery = () => {
    statements += 1;
  };
  try {
    await fn();
  } finally {
    proto.logQuery = original;
  }
  return statements;
}
