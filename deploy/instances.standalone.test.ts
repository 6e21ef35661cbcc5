/**
 * The production server as the image runs it, twice, on one PostgreSQL database: Next's standalone
 * `server.js`, started with the Dockerfile's runtime stage (its working directory, its ENV, its CMD),
 * each with the job worker inside, and one provider sandbox (its own process) answering slowly, so
 * provider calls are in flight. Agents send a burst of refunds through both servers with the real
 * `createRefundAction`; halfway through, instance A gets SIGTERM. Then:
 *
 * - A exits 0 within its grace period, having finished its in-flight provider calls;
 * - every refund is final, or recoverable (`outcome_unknown` with a reason and a reconcile job);
 * - none was sent twice (the sandbox's request log, by refund id for Forage and per order for
 *   Frontpayment), each has one submission attempt, and no job is left held by A;
 * - B did the work that came after: refunds created on A after the signal, and jobs, are sent and
 *   followed by B;
 * - neither server logged an error.
 *
 * It needs a standalone build (any `next build` with next.config.js's `output: 'standalone'`):
 * STANDALONE_DIST_DIR, else the end-to-end build npm test makes (.next-e2e), else .next. It is not
 * part of the plain `vitest run` (vitest.config.ts leaves *.standalone.test.ts out): npm test runs it
 * after the build (vitest.standalone.config.ts).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobs, orders, refunds, submissions } from '@/db/schema';
import { seedDemo } from '@/demo/seed';
import { refundBlocker } from '@/lib/refunds/blockers';
import { getRefundableFigures } from '@/lib/refunds/figures';
import { isFinal } from '@/lib/refunds/lifecycle';
import type { CreateRefundInput } from '@/lib/refunds/schemas';
import { AppSession, serverActions } from '@/prove/app-client';
import {
  appEnv,
  freePort,
  proveDataset,
  sandboxControl,
  sandboxRequests,
  startChild,
  startSandboxProcess,
  waitFor,
  type Child,
} from '@/prove/harness';
import { freshPostgres, TEST_DATABASE_URL, warnPostgresSkipped } from '@/test/db';

const root = path.resolve(import.meta.dirname, '..');
const distDir =
  [process.env.STANDALONE_DIST_DIR, '.next-e2e', '.next']
    .filter((dir): dir is string => Boolean(dir))
    .find((dir) => existsSync(path.join(root, dir, 'standalone', 'server.js'))) ?? null;

warnPostgresSkipped('deploy/instances.standalone.test.ts — two standalone servers, SIGTERM mid-burst');
if (TEST_DATABASE_URL && !distDir) {
  console.warn('\n⚠️  SKIPPED: deploy/instances.standalone.test.ts needs a standalone build: npm run build first.\n');
}

/** The Dockerfile's runtime stage, as the image would run it. */
export function runtimeStage(dockerfile = readFileSync(path.join(root, 'Dockerfile'), 'utf8')) {
  const stages = dockerfile.split(/^FROM /m);
  const runtime = stages.find((stage) => /^\S+ AS runtime\b/.test(stage));
  if (!runtime) throw new Error('the Dockerfile has no runtime stage');
  const joined = runtime.replace(/\\\n\s*/g, ' ');
  const env: Record<string, string> = {};
  for (const [, body] of joined.matchAll(/^ENV (.+)$/gm)) {
    for (const [, key, value] of body!.matchAll(/(\w+)=("[^"]*"|\S+)/g)) env[key!] = value!.replace(/^"|"$/g, '');
  }
  const cmd = JSON.parse(/^CMD (\[.*\])$/m.exec(joined)?.[1] ?? 'null') as string[] | null;
  const workdir = /^WORKDIR (\S+)$/m.exec(joined)?.[1];
  // What the image puts in its WORKDIR: the standalone folder, whole.
  const copy = /^COPY --from=build (\S+) \.\/$/m.exec(joined)?.[1];
  return { env, cmd, workdir, copy };
}

const AGENTS = ['agent@refund-desk.test', 'agent2@refund-desk.test'] as const;
const CREATE = 'lib/refunds/actions.ts#createRefundAction';
const BURST = 36;
const IN_FLIGHT = 6;
/** The sandbox holds each refund request this long, so some are in flight at the signal. */
const PROVIDER_LATENCY_MS = 1_200;
const GRACE_MS = 15_000;

type ActionValue = { ok: true; data: { refundId: string; status: string; duplicate: boolean } } | { ok: false; error: string };

interface Planned {
  input: CreateRefundInput;
  provider: 'forage' | 'frontpayment';
  providerRef: string;
}

describe.skipIf(!TEST_DATABASE_URL || !distDir)('two standalone servers on one PostgreSQL, one stopped mid-burst', () => {
  let database: Awaited<ReturnType<typeof freshPostgres>>;
  const children: Child[] = [];
  afterAll(async () => {
    for (const child of children.reverse()) await child.stop();
    await database?.close();
  });

  const stage = runtimeStage();
  const standaloneDir = path.join(root, distDir ?? '.next', 'standalone');

  /** `cd <WORKDIR> && exec <CMD>` with the image's ENV: exec, so the signal reaches node itself. */
  async function startServer(name: string, env: Record<string, string>) {
    const port = await freePort();
    const [program, ...args] = stage.cmd!;
    const command = ['sh', '-c', `cd "$0" && exec ${program} ${args.join(' ')}`, standaloneDir];
    const child = await startChild(name, command, { ...stage.env, ...env, PORT: String(port) }, /Ready in/i, {
      timeoutMs: 90_000,
    });
    return Object.assign(child, { url: `http://127.0.0.1:${port}` });
  }

  let a: Awaited<ReturnType<typeof startServer>>;
  let b: Awaited<ReturnType<typeof startServer>>;
  let sandboxUrl: string;
  let plan: Planned[];

  beforeAll(async () => {
    expect(stage).toMatchObject({ workdir: '/app', copy: '/src/.next/standalone', cmd: ['node', 'server.js'] });
    expect(stage.env).toMatchObject({ NODE_ENV: 'production', NEXT_MANUAL_SIG_HANDLE: 'true' });
    // The Dockerfile's build stage runs the same step after `npm run build`.
    const prepared = spawnSync(process.execPath, ['scripts/standalone.mjs', 'prepare'], {
      cwd: root,
      env: { ...process.env, NEXT_DIST_DIR: distDir! },
      encoding: 'utf8',
    });
    expect(prepared.status, prepared.stderr).toBe(0);

    const dataset = proveDataset(2);
    database = await freshPostgres(6);
    const sandbox = await startSandboxProcess({ dataset });
    children.push(sandbox);
    sandboxUrl = sandbox.url;
    const base = appEnv(database.url, sandbox.url);
    const env: Record<string, string> = {
      ...base,
      // The image's own; NODE_ENV=test from vitest must not leak into the servers.
      ...stage.env,
      // As compose.yaml sets it behind its proxy.
      AUTH_TRUST_HOST: 'true',
      JOBS_POLL_MS: '200',
      SHUTDOWN_GRACE_MS: String(GRACE_MS),
      LOG_LEVEL: 'info',
    };
    process.env.AUDIT_CHECKPOINT_DIR = base.AUDIT_CHECKPOINT_DIR;
    await seedDemo(database.db, { dataset });
    plan = await planRefunds(database.db, BURST);

    a = await startServer('app-A', env);
    children.push(a);
    b = await startServer('app-B', env);
    children.push(b);
    // Webhooks go to B, the instance that stays.
    await sandboxControl(sandbox.url, 'POST', 'config', { appUrl: b.url });
    await sandboxControl(sandbox.url, 'POST', 'faults', {
      provider: '*',
      operation: 'refund',
      mode: 'latency',
      latencyMs: PROVIDER_LATENCY_MS,
      times: -1,
    });
  }, 240_000);

  it('serves, runs jobs, stops A cleanly mid-burst, and every refund ends once and correctly', async () => {
    const actions = serverActions(distDir!);
    const sessions = {
      A: AGENTS.map(() => new AppSession(a.url, actions)),
      B: AGENTS.map(() => new AppSession(b.url, actions)),
    };
    for (const label of ['A', 'B'] as const) {
      for (const [i, session] of sessions[label].entries()) await session.signIn(AGENTS[i]!, 'refund-desk-demo');
    }

    // The burst: alternating A and B; a request A can no longer take goes to B with the same
    // request key, as the proxy does with a connection refused (the key makes it one refund).
    const created = new Map<string, Planned & { via: string; afterSignal: boolean }>();
    let signalAt = 0;
    let next = 0;
    const send = async (index: number) => {
      const planned = plan[index]!;
      const agent = index % AGENTS.length;
      const first = index % 2 === 0 ? 'A' : 'B';
      for (const label of first === 'A' ? (['A', 'B'] as const) : (['B'] as const)) {
        const afterSignal = signalAt > 0;
        const answer = await sessions[label][agent]!.action<ActionValue>(CREATE, [planned.input]).catch(() => null);
        if (!answer) continue; // A is gone: try B.
        expect(answer.value, JSON.stringify(answer.raw?.slice(0, 300))).toMatchObject({ ok: true });
        const { refundId } = (answer.value as Extract<ActionValue, { ok: true }>).data;
        created.set(refundId, { ...planned, via: label, afterSignal });
        return;
      }
      throw new Error(`refund #${index} reached neither instance`);
    };
    const exited = a.exited.then((result) => ({ ...result, at: Date.now() }));
    await Promise.all([
      ...Array.from({ length: IN_FLIGHT }, async () => {
        while (next < plan.length) await send(next++);
      }),
      (async () => {
        await waitFor('a third of the burst', async () => created.size >= BURST / 3, 60_000, 20);
        signalAt = Date.now();
        a.process.kill('SIGTERM');
      })(),
    ]);
    const stopped = await exited;

    // A stopped cleanly, within its bound, having finished what it had started.
    expect(stopped).toMatchObject({ code: 0, signal: null });
    expect(stopped.at - signalAt).toBeLessThan(GRACE_MS);
    expect(a.lines.some((line) => line.includes('shutdown: all work finished'))).toBe(true);

    // Every refund final, or recoverable by B: outcome_unknown with a reason and a reconcile job.
    const ids = [...created.keys()];
    expect(ids).toHaveLength(plan.length);
    const open = await waitFor(
      'every refund final or recoverable',
      async () => {
        const rows = await database.db
          .select({ id: refunds.id, status: refunds.status, reason: refunds.statusReason })
          .from(refunds)
          .where(inArray(refunds.id, ids));
        const left = rows.filter((r) => !isFinal(r.status) && !(r.status === 'outcome_unknown' && r.reason));
        return left.length === 0 ? rows : null;
      },
      60_000,
      250,
    );
    const statuses: Record<string, number> = {};
    for (const row of open) statuses[row.status] = (statuses[row.status] ?? 0) + 1;
    for (const unknown of open.filter((r) => r.status === 'outcome_unknown')) {
      const [job] = await database.db
        .select({ id: jobs.id })
        .from(jobs)
        .where(and(eq(jobs.dedupeKey, `reconcile:${unknown.id}`), inArray(jobs.status, ['queued', 'running'])));
      expect(job, `refund ${unknown.id} is outcome_unknown with nobody reconciling it`).toBeDefined();
    }

    // None sent twice: one attempt each, and the provider saw each refund once.
    const attempts = await database.db
      .select({ refundId: submissions.refundId, n: sql<number>`count(*)::int` })
      .from(submissions)
      .where(inArray(submissions.refundId, ids))
      .groupBy(submissions.refundId);
    expect(attempts.filter((row) => row.n !== 1)).toEqual([]);
    expect(attempts).toHaveLength(ids.length);
    const requests = await sandboxRequests(sandboxUrl);
    const forageCalls = new Map<string, number>();
    const fpCalls = new Map<string, number>();
    for (const call of requests.filter((r) => r.operation === 'refund')) {
      if (call.provider === 'forage') {
        const id = (JSON.parse(call.body || '{}') as { metadata?: { refund_id?: string } }).metadata?.refund_id ?? 'untagged';
        forageCalls.set(id, (forageCalls.get(id) ?? 0) + 1);
      } else {
        // POST /api/v1/connect/{orders|reservations}/refund/<order uuid>
        const ref = /\/refund\/([^/?]+)/.exec(call.path)?.[1] ?? call.path;
        fpCalls.set(ref, (fpCalls.get(ref) ?? 0) + 1);
      }
    }
    const mine = [...created.entries()];
    for (const [id] of mine.filter(([, r]) => r.provider === 'forage')) {
      expect(forageCalls.get(id), `Forage refund requests for refund ${id}`).toBe(1);
    }
    for (const [, refund] of mine.filter(([, r]) => r.provider === 'frontpayment')) {
      expect(fpCalls.get(refund.providerRef), `Frontpayment refund requests for order ${refund.providerRef}`).toBe(1);
    }
    expect([...forageCalls.keys()].filter((id) => !created.has(id))).toEqual([]);

    // B did the work after the signal: nothing is held by A, and what A no longer sent, B sent.
    const workers = await database.db
      .select({ worker: jobs.lockedBy, kind: jobs.kind, status: jobs.status, n: sql<number>`count(*)::int` })
      .from(jobs)
      .groupBy(jobs.lockedBy, jobs.kind, jobs.status);
    const pidOf = (worker: string | null) => Number(/^worker-(\d+)-/.exec(worker ?? '')?.[1]);
    expect(workers.filter((w) => w.status === 'running' && pidOf(w.worker) === a.process.pid)).toEqual([]);
    expect(workers.some((w) => pidOf(w.worker) === b.process.pid && w.status === 'done')).toBe(true);
    const lateOnA = mine.filter(([, r]) => r.via === 'A' && r.afterSignal).map(([id]) => id);
    if (lateOnA.length > 0) {
      const sentBy = await database.db
        .select({ worker: jobs.lockedBy })
        .from(jobs)
        .where(
          inArray(
            jobs.dedupeKey,
            lateOnA.map((id) => `submit:${id}`),
          ),
        );
      expect(sentBy.every((row) => pidOf(row.worker) === b.process.pid)).toBe(true);
    }

    // B still serves, and stops cleanly too.
    expect((await fetch(`${b.url}/signin`)).status).toBe(200);
    const bStopped = b.exited;
    b.process.kill('SIGTERM');
    expect((await bStopped).code).toBe(0);

    const errors = [...a.lines, ...b.lines].filter((line) => {
      if (!line.startsWith('{')) return /unhandled|uncaught|⨯/i.test(line);
      try {
        return ((JSON.parse(line) as { level?: number }).level ?? 0) >= 50;
      } catch {
        return false;
      }
    });
    expect(errors).toEqual([]);
    console.log(
      `standalone: ${ids.length} refunds (${mine.filter(([, r]) => r.via === 'A').length} via A, ${mine.filter(([, r]) => r.afterSignal).length} after the signal); ` +
        `A exited ${stopped.at - signalAt} ms after SIGTERM; statuses ${JSON.stringify(statuses)}`,
    );
  }, 240_000);
});

/** Small refunds (under the approval thresholds) on orders that can take one now: Forage up to two per order, Frontpayment one. */
async function planRefunds(db: Awaited<ReturnType<typeof freshPostgres>>['db'], count: number): Promise<Planned[]> {
  const planned: Planned[] = [];
  for (const order of await db.select().from(orders).orderBy(orders.orderNumber)) {
    if (planned.length >= count) break;
    if (await refundBlocker(db, order)) continue;
    const figures = await getRefundableFigures(db, order.id);
    const amount = order.currency === 'NOK' ? 1_000 : 50;
    const lines = figures.lines.filter((l) => l.refundableMinor >= amount * 2);
    const take = order.provider === 'frontpayment' ? 1 : 2;
    for (let i = 0; i < take && lines.length > 0 && figures.refundableMinor >= amount * take; i++) {
      planned.push({
        provider: order.provider,
        providerRef: order.providerRef,
        input: {
          orderId: order.id,
          requestKey: randomUUID(),
          lines: [{ orderLineId: lines[0]!.orderLineId, quantity: 0, amountMinor: amount, reason: 'damaged' }],
          confirmedTotalMinor: amount,
        },
      });
    }
  }
  return planned.slice(0, count);
}
