import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { Db, DbHandle } from '@/db';
import { getOrderFigures } from '@/db/queries/refundable';
import { seedDemo } from '@/demo/seed';
import { jobs, orderLines, orders, providerRefunds, refundLines, refunds, submissions, users } from '@/db/schema';
import { getOrder } from '@/db/queries/orders';
import { runDueJobs, type JobHandler } from '@/lib/jobs/worker';
import { createForageClient } from '@/lib/providers/forage/client';
import { createFrontpaymentClient } from '@/lib/providers/frontpayment/client';
import { SANDBOX_CREDENTIALS, sandboxConfig } from '@/sandbox/config';
import { forageModule } from '@/sandbox/forage';
import { frontpaymentModule } from '@/sandbox/frontpayment';
import { startSandbox, type Sandbox } from '@/sandbox/server';
import { freshPglite } from '@/test/db';
import { SYSTEM_CONTEXT } from '@/lib/audit';
import type { JobKind } from '@/lib/jobs/kinds';
import { transition } from '@/lib/refunds/lifecycle';
import { type ClientFor, submitApprovedRefund } from '@/lib/refunds/pipeline';
import { pollRefund, reconcileRefund } from '@/lib/refunds/reconcile';
import { buildRefundRequest, loadRefundForSubmission } from '@/lib/refunds/request';
import type { CreateRefundInput } from '@/lib/refunds/schemas';

/**
 * Shared set-up for the refund pipeline's integration tests: a fresh seeded database, the provider
 * sandbox in this process (manual settlement, no webhooks), and the real provider clients against
 * it with short timeouts, so fault tests stay fast.
 */

/** Client timeout; a `hang_after` fault must hold its answer longer than this. */
export const TIMEOUT_MS = 400;
export const HANG_MS = 1_500;
/** The Forage client's own retries with the same Idempotency-Key (so maxRetries + 1 attempts). */
export const FORAGE_MAX_RETRIES = 2;

export interface Providers {
  sandbox: Sandbox;
  clientFor: ClientFor;
  /** The sandbox's control API: GET without a body, POST with one. */
  control: <T = Record<string, unknown>>(path: string, body?: unknown, method?: 'GET' | 'POST' | 'DELETE') => Promise<T>;
  /** Refund-creating requests that reached the sandbox for a provider, in order. */
  refundPosts: (provider: 'forage' | 'frontpayment') => Promise<{ path: string; body: string }[]>;
  /** Every request that reached the sandbox. */
  allRequests: () => Promise<{ provider: string; operation: string }[]>;
  close(): Promise<void>;
}

export async function startProviders(): Promise<Providers> {
  const sandbox = await startSandbox(sandboxConfig({ port: 0, host: '127.0.0.1', settleMode: 'manual', appUrl: null }), [
    forageModule,
    frontpaymentModule,
  ]);
  const forage = createForageClient({
    baseUrl: sandbox.url,
    ...SANDBOX_CREDENTIALS.forage,
    timeoutMs: TIMEOUT_MS,
    retryBaseDelayMs: 5,
    maxRetries: FORAGE_MAX_RETRIES,
  });
  const frontpayment = createFrontpaymentClient({
    baseUrl: `${sandbox.url}/api/v1`,
    token: SANDBOX_CREDENTIALS.frontpayment.token,
    callbackSecret: SANDBOX_CREDENTIALS.frontpayment.callbackSecret,
    timeoutMs: TIMEOUT_MS,
  });
  const control: Providers['control'] = async (path, body, method) => {
    const response = await fetch(`${sandbox.url}/__control/${path}`, {
      method: method ?? (body === undefined ? 'GET' : 'POST'),
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await response.json()) as never;
    if (!response.ok) throw new Error(`control ${path}: HTTP ${response.status} ${JSON.stringify(json)}`);
    return json;
  };
  const allRequests = async () =>
    (await control<{ requests: { provider: string; operation: string; path: string; body: string }[] }>('requests')).requests;
  return {
    sandbox,
    clientFor: (provider) => ({ forage, frontpayment })[provider],
    control,
    allRequests,
    refundPosts: async (provider) =>
      (await allRequests()).filter((r) => r.provider === provider && r.operation === 'refund') as never,
    close: () => sandbox.close(),
  };
}

/** A fresh in-memory database with the demo world (orders, users, limits). */
export async function seededPglite(): Promise<DbHandle> {
  const handle = await freshPglite();
  await seedDemo(handle.db);
  return handle;
}

export async function userId(db: Db, email = 'agent@refund-desk.test') {
  const [row] = await db.select({ id: users.id }).from(users).where(eq(users.email, email));
  return row!.id;
}

export async function orderByNumber(db: Db, orderNumber: string) {
  const [order] = await db.select().from(orders).where(eq(orders.orderNumber, orderNumber));
  if (!order) throw new Error(`no order ${orderNumber}`);
  return order;
}

export interface LineAsk {
  /** The provider's line id: Forage UPC, Frontpayment numeric order-line id. */
  line: string;
  amount: number;
  /** Default: whole units when the amount is a multiple of the unit price, else 0 (an amount only). */
  quantity?: number;
}

/** What the refund form would send for these lines of the order, with a fresh request key. */
export async function refundInput(
  db: Db,
  orderNumber: string,
  asks: LineAsk[],
  extra: Partial<CreateRefundInput> = {},
): Promise<CreateRefundInput> {
  const order = await orderByNumber(db, orderNumber);
  const lines = await db.select().from(orderLines).where(eq(orderLines.orderId, order.id));
  return {
    orderId: order.id,
    requestKey: randomUUID(),
    lines: asks.map((ask) => {
      const line = lines.find((l) => l.providerLineId === ask.line);
      if (!line) throw new Error(`no line ${ask.line} on ${orderNumber}`);
      const whole = ask.amount % line.unitPriceMinor === 0 ? ask.amount / line.unitPriceMinor : 0;
      return { orderLineId: line.id, quantity: ask.quantity ?? whole, amountMinor: ask.amount, reason: 'damaged' as const };
    }),
    confirmedTotalMinor: asks.reduce((sum, a) => sum + a.amount, 0),
    ...extra,
  };
}

/** The refundable figures of one line (by provider line id) and of its order. */
export async function lineFigures(db: Db, orderNumber: string, providerLineId: string) {
  const order = await orderByNumber(db, orderNumber);
  const figures = await getOrderFigures(db, order.id);
  const [line] = await db
    .select({ id: orderLines.id })
    .from(orderLines)
    .where(and(eq(orderLines.orderId, order.id), eq(orderLines.providerLineId, providerLineId)));
  return { line: figures.lines.find((l) => l.orderLineId === line!.id)!, order: figures };
}

export async function refundRow(db: Db, refundId: string) {
  const [row] = await db.select().from(refunds).where(eq(refunds.id, refundId));
  return row!;
}

export const submissionsOf = (db: Db, refundId: string) =>
  db.select().from(submissions).where(eq(submissions.refundId, refundId)).orderBy(submissions.attempt);

export const providerRefundsOf = (db: Db, refundId: string) =>
  db.select().from(providerRefunds).where(eq(providerRefunds.refundId, refundId));

/** Live (queued or running) jobs for a refund, by kind. */
export async function liveJobs(db: Db, refundId: string) {
  const rows = await db.select().from(jobs);
  return rows
    .filter((j) => j.payload.refundId === refundId && (j.status === 'queued' || j.status === 'running'))
    .map((j) => j.kind);
}

/** Job handlers like lib/jobs/handlers.ts, with the test's clients instead of the ones from env. */
export function refundJobHandlers(clientFor: ClientFor): Partial<Record<JobKind, JobHandler>> {
  return {
    'refund.submit': async (job, db) => {
      await submitApprovedRefund(db, String(job.payload.refundId), clientFor);
    },
    'refund.poll': (job, db) => pollRefund(db, String(job.payload.refundId), clientFor),
    'refund.reconcile': (job, db) => reconcileRefund(db, String(job.payload.refundId), clientFor),
  };
}

/** Forage refund objects of an order as the sandbox holds them (amounts in cents). */
export async function forageRefundsAt(p: Providers, orderRef: string) {
  const { refunds: list } = await p.control<{
    refunds: {
      ref: string;
      payment: string;
      funding_type: string;
      amount: string;
      status: string;
      metadata: Record<string, string>;
    }[];
  }>(`forage/orders/${orderRef}/refunds`);
  return list.map((r) => ({ ...r, cents: Number(r.amount.replace('.', '')) }));
}

/** A Frontpayment order as the sandbox holds it (øre). */
export function frontpaymentOrderAt(p: Providers, uuid: string) {
  return p.control<{
    status: string;
    refundedMinor: number;
    pendingMinor: number;
    refunds: { state: 'pending' | 'applied' | 'dropped'; via: string; totalMinor: number; reference: string | null }[];
  }>(`frontpayment/orders/${uuid}`);
}

export const ago = (ms: number) => new Date(Date.now() - ms);

/**
 * Pretends a refund's submission (one attempt, or all of them) was written `ms` ago. An attempt's
 * record never changes in the app (migration 0009's trigger); only the test's clock moves here.
 */
export async function ageSubmission(db: Db, refundId: string, ms: number, attempt?: number) {
  const own = eq(submissions.refundId, refundId);
  await db.transaction(async (tx) => {
    await tx.execute(sql`alter table submissions disable trigger submissions_write_once`);
    await tx
      .update(submissions)
      .set({ createdAt: ago(ms) })
      .where(attempt === undefined ? own : and(own, eq(submissions.attempt, attempt)));
    await tx.execute(sql`alter table submissions enable trigger submissions_write_once`);
  });
}

/** Runs every due refund job until none is left (jobs that say "later" are rescheduled, not rerun). */
export async function drainJobs(db: Db, clientFor: ClientFor) {
  while ((await runDueJobs(db, refundJobHandlers(clientFor), { workerId: 'test-worker' })) > 0) {}
}

/**
 * What submitApprovedRefund does before its HTTP call — claim the refund, read Frontpayment's
 * baseline, write the submission down — as if the process died right after (5 minutes ago).
 */
export async function claimAndWriteDown(db: Db, p: Providers, refundId: string) {
  await db.transaction((tx) => transition(tx, SYSTEM_CONTEXT, { refundId, from: 'approved', to: 'submitting', by: 'sender' }));
  await db
    .update(refunds)
    .set({ updatedAt: ago(5 * 60_000) })
    .where(eq(refunds.id, refundId));
  const loaded = (await loadRefundForSubmission(db, refundId))!;
  const request = buildRefundRequest(loaded);
  const client = p.clientFor(loaded.order.provider);
  let baseline: number | null = null;
  if (client.profile.capabilities.reconciliation === 'order_totals') {
    const before = await client.readStatus(loaded.order.providerRef);
    baseline = before.ok ? before.refundedMinor : null;
  }
  const { idempotencyKey } = request;
  await db
    .insert(submissions)
    .values({ refundId, attempt: 1, idempotencyKey, requestBody: request, baselineRefundedMinor: baseline });
  return request;
}

/**
 * A refund on RD-100002 written straight into the tables, `processing` at Forage as one refund
 * object with this ref (no provider is called): one egg when `money.quantity` is 1, else a price
 * adjustment on the towels (plenty of money left on that line). For webhook and poll tests.
 */
export async function refundAtForage(
  db: Db,
  ref: string,
  part: { status?: 'pending' | 'processing'; providerUpdatedAt?: Date } = {},
  money: { quantity: number; amountMinor: number } = { quantity: 0, amountMinor: 1 },
) {
  const [order] = await db.select().from(orders).where(eq(orders.orderNumber, 'RD-100002'));
  const [agent] = await db.select().from(users).where(eq(users.role, 'agent'));
  const { lines } = (await getOrder(db, order!.id))!;
  const line = lines.find((l) => l.providerLineId === (money.quantity ? '0412345000032' : '0412345000407'))!;
  const [refund] = await db
    .insert(refunds)
    .values({
      orderId: order!.id,
      requestKey: randomUUID(),
      status: 'processing',
      currency: 'USD',
      amountMinor: money.amountMinor,
      requestedBy: agent!.id,
    })
    .returning();
  await db.insert(refundLines).values({ refundId: refund!.id, orderLineId: line.id, ...money, reason: 'damaged' });
  const [stored] = await db
    .insert(providerRefunds)
    .values({
      refundId: refund!.id,
      provider: 'forage',
      providerRefundRef: ref,
      tender: 'ebt_snap',
      amountMinor: money.amountMinor,
      status: part.status ?? 'processing',
      providerUpdatedAt: part.providerUpdatedAt ?? null,
    })
    .returning();
  return { refundId: refund!.id, partId: stored!.id };
}
