/**
 * Part 4, webhooks: property-based deliveries for both providers through the real route body
 * (lib/webhooks/route.ts `handleWebhook`), the real inbox and the real processing (the job
 * handlers of lib/jobs/handlers.ts), on PostgreSQL, against real refunds made through
 * `createRefund` and `submitApprovedRefund` at the provider sandbox running as its own process.
 *
 * Each fast-check run takes one real refund (Forage) or one real order (Frontpayment) and
 * delivers a generated sequence: genuine events, replays, concurrent duplicates, events out of
 * order, old ones, and tampered or forged ones. It checks, against a model written here:
 * - every bad delivery is refused with 4xx and writes nothing (inbox and audit trail unchanged);
 * - every genuine one is answered 2xx, stored once (the inbox's unique event id), processed once;
 * - a refund never moves backwards (its audit trail of status changes), and ends where the
 *   provider's latest delivered state says.
 * Then 1,000 (ci: 200) concurrent copies of one delivery per provider must make one inbox row,
 * applied once.
 *
 * A case is one delivery handed to `handleWebhook`. A failure names the seed and fast-check's
 * counterexample and path, so `--seed` reruns it.
 */
import { createHash, createHmac, randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { and, asc, count, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '@/db';
import { auditEvents, jobs, orderLines, orders, providerRefunds, refunds, users, webhookEvents } from '@/db/schema';
import { FINAL_REFUND_STATUSES } from '@/db/schema/enums';
import { seedDemo } from '@/demo/seed';
import { SANDBOX_CREDENTIALS } from '@/sandbox/config';
import { freshPostgres } from '@/test/db';
import {
  appEnv,
  proveDataset,
  startSandboxProcess,
  type Failure,
  type Part,
  type PartContext,
  type PartOutcome,
} from '../harness';

const SIZES = {
  // ci: about 1,000 deliveries and 200 concurrent copies, within ~30 s on 2 cores.
  ci: { runsPerProvider: 60, concurrentCopies: 200, datasetCopies: 2 },
  // full: at least 10,000 deliveries across both providers, and 1,000 concurrent copies.
  full: { runsPerProvider: 640, concurrentCopies: 1_000, datasetCopies: 8 },
} as const;

const FORAGE_SECRET = SANDBOX_CREDENTIALS.forage.webhookSecret;
const FRONTPAYMENT_SECRET = SANDBOX_CREDENTIALS.frontpayment.callbackSecret;
const HOUR = 60 * 60_000;
const DAY = 24 * HOUR;

/** Final statuses rank highest; a provider refund's status only moves up (lib/refunds/provider-status.ts). */
const RANK: Record<string, number> = { pending: 0, processing: 1, succeeded: 2, failed: 2 };
const FINAL_REFUND = new Set<string>(FINAL_REFUND_STATUSES);

type Json = Record<string, unknown>;

/**
 * Every delivery comes from its own address: the route limits each provider and source to 600 a
 * minute, and a source is only believed through a trusted proxy (TRUSTED_PROXY_HOPS=1 here, as
 * behind one load balancer). The proof is about the inbox and the status logic, not that limiter
 * (lib/webhooks/webhooks.test.ts covers it), so the deliveries are spread over many sources.
 */
let addressCounter = 0;
function nextAddress() {
  addressCounter += 1;
  const n = addressCounter;
  return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
}

// ── Forage ───────────────────────────────────────────────────────────────────────────────────

const FORAGE_TAMPERINGS = [
  'body_byte',
  'signature_byte',
  'wrong_secret',
  'no_signature',
  'future_created',
  'short_signature',
] as const;
type ForageTampering = (typeof FORAGE_TAMPERINGS)[number];

/** One step of a Forage run; `event` indexes the run's timeline (modulo its length). */
type ForageStep =
  | { kind: 'deliver'; event: number }
  | { kind: 'duplicate'; event: number; copies: number }
  | { kind: 'tamper'; event: number; how: ForageTampering; at: number }
  | { kind: 'process' };

interface ForageScenario {
  /** Where in (submission, now) each timeline event happened, as fractions; sorted. */
  times: number[];
  final: 'succeeded' | 'failed';
  /** The failure reason in the payload (forage.md errata 5: it may be absent). */
  withError: boolean;
  steps: ForageStep[];
}

const forageStep: fc.Arbitrary<ForageStep> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('deliver' as const), event: fc.nat(4) }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('duplicate' as const), event: fc.nat(4), copies: fc.integer({ min: 2, max: 4 }) }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('tamper' as const),
      event: fc.nat(4),
      how: fc.constantFrom(...FORAGE_TAMPERINGS),
      at: fc.nat(),
    }),
  },
  { weight: 2, arbitrary: fc.constant({ kind: 'process' as const }) },
);

const forageScenario: fc.Arbitrary<ForageScenario> = fc.record({
  times: fc
    .array(fc.double({ min: 0.05, max: 0.95, noNaN: true }), { minLength: 3, maxLength: 3 })
    .map((t) => [...t].sort((a, b) => a - b)),
  final: fc.constantFrom('succeeded' as const, 'failed' as const),
  withError: fc.boolean(),
  steps: fc.array(forageStep, { minLength: 4, maxLength: 14 }),
});

interface ForageTarget {
  refundId: string;
  refundRef: string;
  orderRef: string;
  amountMinor: number;
  tender: string;
  /** When the provider refund was made (its first status): every real event is later. */
  since: Date;
}

interface ForageEvent {
  ref: string;
  status: string;
  created: Date;
  body: string;
}

/**
 * The refund's timeline at the provider: a status older than anything real (an "ancient" event,
 * 30 days before the refund existed, as a misrouted or very late retry would carry), then
 * pending, processing and the final status, each a distinct event with its own `ref`.
 */
function forageTimeline(target: ForageTarget, scenario: ForageScenario, now: number): ForageEvent[] {
  const span = now - target.since.getTime();
  const at = (fraction: number) => new Date(target.since.getTime() + Math.floor(span * fraction));
  const points: [string, Date][] = [
    ['processing', new Date(target.since.getTime() - 30 * DAY)],
    ['pending', at(scenario.times[0]!)],
    ['processing', at(scenario.times[1]!)],
    [scenario.final, at(scenario.times[2]!)],
  ];
  return points.map(([status, created], index) => {
    const ref = `p${randomUUID().replace(/-/g, '').slice(0, 9)}`;
    return {
      ref,
      status,
      created,
      body: forageBody(target, {
        ref,
        status,
        created,
        error: status === 'failed' && scenario.withError && index === 3 ? 'Card issuer declined the refund.' : null,
      }),
    };
  });
}

/** A REFUND_STATUS_UPDATED body as the sandbox sends it (sandbox/forage.ts `notify`). */
function forageBody(target: ForageTarget, event: { ref: string; status: string; created: Date; error: string | null }) {
  return JSON.stringify({
    ref: event.ref,
    type: 'REFUND_STATUS_UPDATED',
    created: event.created.toISOString(),
    data: {
      refund_ref: target.refundRef,
      order_ref: target.orderRef,
      payment_ref: null,
      amount: (target.amountMinor / 100).toFixed(2),
      funding_type: target.tender,
      status: event.status,
      ...(event.error ? { last_processing_error: event.error } : {}),
      updated: event.created.toISOString(),
    },
  });
}

/** forage.md §10 [ASSUME]: lowercase hex HMAC-SHA256 of the raw body, as the sandbox signs. */
const forageSignature = (body: string, secret: string = FORAGE_SECRET) => createHmac('sha256', secret).update(body).digest('hex');

function forageRequest(body: string, signature: string | null) {
  return new Request('http://localhost/api/webhooks/forage', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-forwarded-for': nextAddress(),
      ...(signature === null ? {} : { 'webhook-signature': signature }),
    },
    body,
  });
}

/** Changes one ASCII character at `at` (modulo the length) into a different one. */
function flipChar(text: string, at: number, alphabet: string) {
  const index = at % text.length;
  const current = text[index]!;
  const choices = alphabet.replace(current, '');
  const replacement = choices[at % choices.length]!;
  return text.slice(0, index) + replacement + text.slice(index + 1);
}

function tamperedForage(target: ForageTarget, event: ForageEvent, how: ForageTampering, at: number): Request {
  switch (how) {
    case 'body_byte':
      return forageRequest(flipChar(event.body, at, 'abcdefghijklmnopqrstuvwxyz0123456789'), forageSignature(event.body));
    case 'signature_byte':
      return forageRequest(event.body, flipChar(forageSignature(event.body), at, '0123456789abcdef'));
    case 'wrong_secret':
      return forageRequest(event.body, forageSignature(event.body, `${FORAGE_SECRET}-not`));
    case 'no_signature':
      return forageRequest(event.body, null);
    case 'short_signature':
      return forageRequest(event.body, forageSignature(event.body).slice(0, 32));
    case 'future_created': {
      // Correctly signed, but dated beyond the clock-skew tolerance (5 min): refused as stale.
      const body = forageBody(target, {
        ref: `f${event.ref.slice(1)}`,
        status: event.status,
        created: new Date(Date.now() + HOUR),
        error: null,
      });
      return forageRequest(body, forageSignature(body));
    }
  }
}

// ── Frontpayment ─────────────────────────────────────────────────────────────────────────────

const FRONTPAYMENT_TAMPERINGS = [
  'status_changed',
  'amount_changed',
  'order_swapped',
  'checksum_byte',
  'wrong_secret',
  'no_checksum',
  'stale_timestamp',
  'future_timestamp',
] as const;
type FrontpaymentTampering = (typeof FRONTPAYMENT_TAMPERINGS)[number];

type FrontpaymentStep =
  | { kind: 'deliver'; event: number }
  | { kind: 'duplicate'; event: number; copies: number }
  | { kind: 'tamper'; event: number; how: FrontpaymentTampering; at: number }
  | { kind: 'process' };

interface FrontpaymentScenario {
  steps: FrontpaymentStep[];
}

const frontpaymentStep: fc.Arbitrary<FrontpaymentStep> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('deliver' as const), event: fc.nat(3) }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('duplicate' as const), event: fc.nat(3), copies: fc.integer({ min: 2, max: 4 }) }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('tamper' as const),
      event: fc.nat(3),
      how: fc.constantFrom(...FRONTPAYMENT_TAMPERINGS),
      at: fc.nat(),
    }),
  },
  { weight: 2, arbitrary: fc.constant({ kind: 'process' as const }) },
);

const frontpaymentScenario: fc.Arbitrary<FrontpaymentScenario> = fc.record({
  steps: fc.array(frontpaymentStep, { minLength: 4, maxLength: 14 }),
});

interface FrontpaymentTarget {
  orderId: string;
  orderUuid: string;
  otherOrderUuid: string;
  amountMinor: number;
  /** Our refund pending at the provider for this order, when one could be made. */
  refundId: string | null;
}

interface FrontpaymentEvent {
  params: URLSearchParams;
  eventId: string;
}

/**
 * frontpayment.md §8, errata 3 (the current formula, the app's default): lowercase hex
 * sha256(<every value except checksum, in the order sent> . secret), no HMAC; parameters in the
 * docs' example order. The same construction as sandbox/frontpayment-callbacks.ts.
 */
function frontpaymentParams(values: [string, string][], secret: string = FRONTPAYMENT_SECRET) {
  const params = new URLSearchParams(values);
  const input = values.map(([, value]) => value).join('');
  params.set(
    'checksum',
    createHash('sha256')
      .update(input + secret, 'utf8')
      .digest('hex'),
  );
  return params;
}

/** The app's event id: sha256 of every parameter but the checksum, sorted (frontpayment/webhook.ts). */
function frontpaymentEventId(params: URLSearchParams) {
  const copy = new URLSearchParams(params);
  copy.delete('checksum');
  copy.sort();
  return createHash('sha256').update(copy.toString(), 'utf8').digest('hex');
}

/**
 * The order's callbacks, oldest first: paid, then a partial refund, then refunded, each dated
 * when it happened (`createdAt`, hours ago: old but genuine) and stamped `timestamp` now (sent now;
 * a retry re-sends the same URL, so a replay carries the same timestamp).
 */
function frontpaymentTimeline(target: FrontpaymentTarget, now: number): FrontpaymentEvent[] {
  const seconds = (ms: number) => String(Math.floor(ms / 1000));
  const sentAt = seconds(now);
  const statuses: [string, number][] = [
    ['PAID', now - 3 * DAY],
    ['PARTIAL REFUNDED', now - 2 * HOUR],
    ['PARTIAL REFUNDED', now - HOUR],
    ['REFUNDED', now - 60_000],
  ];
  return statuses.map(([status, createdAt]) => {
    const params = frontpaymentParams([
      ['orderUuid', target.orderUuid],
      ['status', status],
      ['amount', (target.amountMinor / 100).toFixed(2)],
      ['paymentMethod', 'VISA'],
      ['createdAt', seconds(createdAt)],
      ['timestamp', sentAt],
    ]);
    return { params, eventId: frontpaymentEventId(params) };
  });
}

function frontpaymentRequest(params: URLSearchParams) {
  return new Request(`http://localhost/api/webhooks/frontpayment?${params.toString()}`, {
    headers: { 'x-forwarded-for': nextAddress() },
  });
}

function tamperedFrontpayment(
  target: FrontpaymentTarget,
  event: FrontpaymentEvent,
  how: FrontpaymentTampering,
  at: number,
): Request {
  const values = [...event.params].filter(([name]) => name !== 'checksum');
  const withValue = (name: string, value: string) => values.map(([n, v]): [string, string] => [n, n === name ? value : v]);
  const checksum = event.params.get('checksum')!;
  const keepChecksum = (entries: [string, string][]) => new URLSearchParams([...entries, ['checksum', checksum]]);
  const seconds = (ms: number) => String(Math.floor(ms / 1000));
  switch (how) {
    case 'status_changed':
      return frontpaymentRequest(keepChecksum(withValue('status', event.params.get('status') === 'PAID' ? 'REFUNDED' : 'PAID')));
    case 'amount_changed':
      return frontpaymentRequest(keepChecksum(withValue('amount', ((target.amountMinor + 1 + (at % 1000)) / 100).toFixed(2))));
    case 'order_swapped':
      return frontpaymentRequest(keepChecksum(withValue('orderUuid', target.otherOrderUuid)));
    case 'checksum_byte':
      return frontpaymentRequest(new URLSearchParams([...values, ['checksum', flipChar(checksum, at, '0123456789abcdef')]]));
    case 'wrong_secret':
      return frontpaymentRequest(frontpaymentParams(values, `${FRONTPAYMENT_SECRET}-not`));
    case 'no_checksum':
      return frontpaymentRequest(new URLSearchParams(values));
    // Correctly checksummed, but sent outside the 5-minute window (frontpayment/webhook.ts).
    case 'stale_timestamp':
      return frontpaymentRequest(frontpaymentParams(withValue('timestamp', seconds(Date.now() - 10 * 60_000 - (at % DAY)))));
    case 'future_timestamp':
      return frontpaymentRequest(frontpaymentParams(withValue('timestamp', seconds(Date.now() + 10 * 60_000 + (at % DAY)))));
  }
}

// ── The part ─────────────────────────────────────────────────────────────────────────────────

interface Tally {
  deliveries: number;
  bad: number;
  badRefused: number;
  genuine: number;
  duplicates: number;
  outOfOrder: number;
  stale: number;
}

const newTally = (): Tally => ({ deliveries: 0, bad: 0, badRefused: 0, genuine: 0, duplicates: 0, outOfOrder: 0, stale: 0 });

async function run(ctx: PartContext): Promise<PartOutcome> {
  const size = SIZES[ctx.size];
  const failures: Failure[] = [];
  const dataset = proveDataset(size.datasetCopies);
  const database = await freshPostgres(4);
  const sandbox = await startSandboxProcess({
    dataset,
    // Refunds stay at `processing` at the provider until this part says otherwise; no webhooks of
    // its own (no app URL): every delivery here is one the part made.
    env: { SANDBOX_SETTLE_MODE: 'manual' },
  });
  try {
    await seedDemo(database.db, { dataset });
    // Thousands of refusals are the point here: each one's warning would bury the table, so the
    // app logs errors only unless LOG_LEVEL says otherwise.
    const logLevel = process.env.LOG_LEVEL || 'error';
    Object.assign(process.env, appEnv(database.url, sandbox.url), { TRUSTED_PROXY_HOPS: '1', LOG_LEVEL: logLevel });
    // Loaded after the environment is set: the app reads DATABASE_URL and PROVIDERS on first use.
    const { handleWebhook } = await import('@/lib/webhooks/route');
    const { getDb } = await import('@/db');
    const { JOB_HANDLERS } = await import('@/lib/jobs/handlers');
    const { runDueJobs } = await import('@/lib/jobs/worker');
    const { createRefund } = await import('@/lib/refunds/service');
    const { submitApprovedRefund } = await import('@/lib/refunds/pipeline');
    const { getProviderClient } = await import('@/lib/providers');
    const { actorContext } = await import('@/lib/audit');
    const db = await getDb();

    const handlers = { 'webhook.process': JOB_HANDLERS['webhook.process'], 'order.refresh': JOB_HANDLERS['order.refresh'] };
    /** The real processing of the inbox (and the order reads it queues), until nothing is due. */
    const drain = async () => {
      while ((await runDueJobs(db, handlers, { workerId: 'prove-webhooks', limit: 50 })) > 0) {}
    };
    const inboxRows = async () => (await db.select({ n: count() }).from(webhookEvents))[0]!.n;
    const auditRows = async () => (await db.select({ n: count() }).from(auditEvents))[0]!.n;
    const jobRows = async () => (await db.select({ n: count() }).from(jobs))[0]!.n;

    // Real refunds first: one unit of one line, created as an agent would and sent to the sandbox.
    const started = Date.now();
    const [agent] = await db.select().from(users).where(eq(users.role, 'agent'));
    const audit = actorContext(agent!, { ip: null, userAgent: null, requestId: null });
    const notUsed = new Map<string, number>();
    const unused = (why: string) => {
      notUsed.set(why, (notUsed.get(why) ?? 0) + 1);
      return null;
    };
    const makeRefund: MakeRefund = async (orderId, lineId, amountMinor) => {
      try {
        const created = await createRefund(db, agent!, audit, {
          orderId,
          requestKey: randomUUID(),
          // A price adjustment (no units back): small, so it needs no approval and an order holds many.
          lines: [{ orderLineId: lineId, quantity: 0, amountMinor, reason: 'damaged' }],
          confirmedTotalMinor: amountMinor,
        });
        if (created.status !== 'approved') return unused(`created ${created.status}`);
        const status = await submitApprovedRefund(db, created.refundId, getProviderClient);
        return status === 'processing' ? created.refundId : unused(`submitted: ${status}`);
      } catch (error) {
        // An order whose money or policy refuses this refund is simply not used.
        return unused((error as { code?: string }).code ?? (error instanceof Error ? error.message : String(error)));
      }
    };
    // One refund per run, and one for the concurrent copies: a final status is never left again.
    const forageTargets = await makeForageTargets(db, size.runsPerProvider + 1, makeRefund);
    const frontpaymentTargets = await makeFrontpaymentTargets(db, size.runsPerProvider, makeRefund);
    const fpOrders = new Set(frontpaymentTargets.map((t) => t.orderId)).size;
    const fpRefunds = new Set(frontpaymentTargets.flatMap((t) => (t.refundId ? [t.refundId] : []))).size;
    ctx.log(
      `${forageTargets.length} Forage refunds processing at the sandbox; ${fpOrders} Frontpayment orders, ${fpRefunds} of them with a refund pending there; made in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    if (notUsed.size) ctx.log(`refunds not made or not sent: ${[...notUsed].map(([why, n]) => `${why} ×${n}`).join(', ')}`);
    if (forageTargets.length < size.runsPerProvider + 1 || fpRefunds === 0) {
      throw new Error(
        `not enough real refunds to run on: ${forageTargets.length} Forage (${size.runsPerProvider + 1} needed), ${fpRefunds} Frontpayment`,
      );
    }

    const forage = newTally();
    const frontpayment = newTally();
    let endedFinal = 0;
    let deferredReads = 0;

    /** Expects a 4xx and nothing written for a bad delivery. */
    const expectRefused = async (tally: Tally, request: Request, problems: string[], what: string) => {
      const [inbox, trail, queued] = [await inboxRows(), await auditRows(), await jobRows()];
      const response = await handleWebhook(request.url.includes('/forage') ? 'forage' : 'frontpayment', request);
      tally.deliveries += 1;
      tally.bad += 1;
      const refused = response.status >= 400 && response.status < 500 && response.status !== 429;
      if (refused) tally.badRefused += 1;
      else problems.push(`${what}: answered ${response.status}, not refused`);
      if ((await inboxRows()) !== inbox) problems.push(`${what}: the inbox grew`);
      if ((await auditRows()) !== trail) problems.push(`${what}: the audit trail grew`);
      if ((await jobRows()) !== queued) problems.push(`${what}: a job was queued`);
    };

    /** Delivers one genuine delivery `copies` times at once; exactly one is new unless seen before. */
    const expectAccepted = async (
      tally: Tally,
      provider: 'forage' | 'frontpayment',
      request: () => Request,
      copies: number,
      seenBefore: boolean,
      problems: string[],
      what: string,
    ) => {
      const inbox = await inboxRows();
      const responses = await Promise.all(Array.from({ length: copies }, () => handleWebhook(provider, request())));
      tally.deliveries += copies;
      tally.genuine += copies;
      const bodies = await Promise.all(responses.map((r) => r.json() as Promise<{ duplicate?: boolean }>));
      if (responses.some((r) => r.status !== 200)) problems.push(`${what}: answered ${responses.map((r) => r.status).join(',')}`);
      const fresh = bodies.filter((b) => b.duplicate === false).length;
      tally.duplicates += copies - fresh;
      if (fresh !== (seenBefore ? 0 : 1))
        problems.push(`${what}: ${fresh} of ${copies} copies stored as new (seen before: ${seenBefore})`);
      const grew = (await inboxRows()) - inbox;
      if (grew !== (seenBefore ? 0 : 1)) problems.push(`${what}: the inbox grew by ${grew}`);
    };

    const statusTrail = async (refundId: string) =>
      db
        .select({ action: auditEvents.action, before: auditEvents.before, after: auditEvents.after })
        .from(auditEvents)
        .where(
          and(
            eq(auditEvents.entityId, refundId),
            inArray(auditEvents.action, ['provider_refund.status_changed', 'refund.status_changed']),
          ),
        )
        .orderBy(asc(auditEvents.seq));

    /** No status in the refund's trail moved backwards, and none was applied twice. */
    const checkTrail = async (refundId: string, since: number, problems: string[]) => {
      const trail = (await statusTrail(refundId)).slice(since);
      const applied = new Set<string>();
      for (const entry of trail) {
        const before = String((entry.before as Json | null)?.status);
        const after = String((entry.after as Json | null)?.status);
        if (entry.action === 'provider_refund.status_changed') {
          if (!(RANK[after]! > RANK[before]!)) problems.push(`provider refund moved ${before} → ${after}`);
          if (applied.has(after)) problems.push(`provider refund status ${after} applied twice`);
          applied.add(after);
        } else if (FINAL_REFUND.has(before)) {
          problems.push(`refund moved from final ${before} to ${after}`);
        }
      }
      return trail;
    };

    const report = (
      provider: string,
      error: unknown,
      details: { seed: number; counterexamplePath: string | null; counterexample: unknown },
    ) => {
      failures.push({
        what: `${provider}: ${error instanceof Error ? error.message : String(error)}`,
        seed: ctx.seed,
        steps: [
          `fast-check seed ${details.seed}, path ${details.counterexamplePath ?? '?'}`,
          `counterexample: ${fc.stringify(details.counterexample)}`.slice(0, 2_000),
        ],
      });
    };

    // ── Forage runs ──
    let forageIndex = 0;
    const forageDetails = await fc.check(
      fc.asyncProperty(forageScenario, async (scenario) => {
        const target = forageTargets[forageIndex++ % forageTargets.length]!;
        const problems: string[] = [];
        const events = forageTimeline(target, scenario, Date.now());
        const trailBefore = (await statusTrail(target.refundId)).length;
        const seen = new Set<number>();
        let newest = -1;
        for (const [n, step] of scenario.steps.entries()) {
          if (step.kind === 'process') {
            await drain();
            continue;
          }
          const index = step.event % events.length;
          const event = events[index]!;
          const what = `step ${n} ${step.kind} of ${event.status} event #${index}`;
          if (step.kind === 'tamper') {
            await expectRefused(forage, tamperedForage(target, event, step.how, step.at), problems, `${what} (${step.how})`);
            continue;
          }
          const copies = step.kind === 'duplicate' ? step.copies : 1;
          if (index < newest) forage.outOfOrder += copies;
          // Older than a state already delivered, or from before the refund existed: stale.
          if (index === 0 || index < newest) forage.stale += copies;
          const signature = forageSignature(event.body);
          await expectAccepted(
            forage,
            'forage',
            () => forageRequest(event.body, signature),
            copies,
            seen.has(index),
            problems,
            what,
          );
          seen.add(index);
          newest = Math.max(newest, index);
        }
        await drain();

        // Every genuine event was stored once and processed once.
        const stored = await db
          .select({ eventId: webhookEvents.eventId, processedAt: webhookEvents.processedAt })
          .from(webhookEvents)
          .where(
            and(
              eq(webhookEvents.provider, 'forage'),
              inArray(
                webhookEvents.eventId,
                events.map((e) => e.ref),
              ),
            ),
          );
        if (stored.length !== seen.size) problems.push(`${stored.length} inbox rows for ${seen.size} distinct events`);
        if (stored.some((row) => !row.processedAt)) problems.push('an inbox row was left unprocessed');

        await checkTrail(target.refundId, trailBefore, problems);
        // The model: the refund ends at the newest delivered state; only the final one moves it
        // (the refund was `processing` when made, so pending and processing change nothing).
        const expected = seen.has(3) ? scenario.final : 'processing';
        const [part] = await db.select().from(providerRefunds).where(eq(providerRefunds.providerRefundRef, target.refundRef));
        const [refund] = await db.select().from(refunds).where(eq(refunds.id, target.refundId));
        if (part?.status !== expected) problems.push(`provider refund is ${part?.status}, expected ${expected}`);
        if (refund?.status !== expected) problems.push(`refund is ${refund?.status}, expected ${expected}`);
        if (expected !== 'processing') endedFinal += 1;
        if (problems.length) throw new Error(problems.join('; '));
      }),
      { seed: ctx.seed, numRuns: size.runsPerProvider, endOnFailure: true },
    );
    if (forageDetails.failed) report('forage', forageDetails.errorInstance, forageDetails);

    // ── Frontpayment runs ──
    let frontpaymentIndex = 0;
    const frontpaymentDetails = await fc.check(
      fc.asyncProperty(frontpaymentScenario, async (scenario) => {
        const target = frontpaymentTargets[frontpaymentIndex++ % frontpaymentTargets.length]!;
        const problems: string[] = [];
        const events = frontpaymentTimeline(target, Date.now());
        const refundIds = (await db.select({ id: refunds.id }).from(refunds).where(eq(refunds.orderId, target.orderId))).map(
          (r) => r.id,
        );
        const trailsBefore = await Promise.all(refundIds.map(async (id) => (await statusTrail(id)).length));
        const statusesBefore = new Map(
          (await db.select().from(refunds).where(eq(refunds.orderId, target.orderId))).map((r) => [r.id, r.status]),
        );
        const seen = new Set<number>();
        let newest = -1;
        for (const [n, step] of scenario.steps.entries()) {
          if (step.kind === 'process') {
            await drain();
            continue;
          }
          const index = step.event % events.length;
          const event = events[index]!;
          const what = `step ${n} ${step.kind} of callback #${index} (${event.params.get('status')})`;
          if (step.kind === 'tamper') {
            await expectRefused(
              frontpayment,
              tamperedFrontpayment(target, event, step.how, step.at),
              problems,
              `${what} (${step.how})`,
            );
            continue;
          }
          const copies = step.kind === 'duplicate' ? step.copies : 1;
          if (index < newest) frontpayment.outOfOrder += copies;
          // `createdAt` days or hours back: old news, genuinely signed and sent now.
          if (index < newest || index === 0) frontpayment.stale += copies;
          await expectAccepted(
            frontpayment,
            'frontpayment',
            () => frontpaymentRequest(event.params),
            copies,
            seen.has(index),
            problems,
            what,
          );
          seen.add(index);
          newest = Math.max(newest, index);
        }
        await drain();

        const stored = await db
          .select({ eventId: webhookEvents.eventId, processedAt: webhookEvents.processedAt })
          .from(webhookEvents)
          .where(
            and(
              eq(webhookEvents.provider, 'frontpayment'),
              inArray(
                webhookEvents.eventId,
                events.map((e) => e.eventId),
              ),
            ),
          );
        if (stored.length !== seen.size) problems.push(`${stored.length} inbox rows for ${seen.size} distinct callbacks`);
        if (stored.some((row) => !row.processedAt)) problems.push('an inbox row was left unprocessed');
        // The callbacks' own statuses ("REFUNDED") are claims: the order is read again at the
        // provider, where the refund is still pending, so nothing about it may have changed.
        for (const [i, id] of refundIds.entries()) await checkTrail(id, trailsBefore[i]!, problems);
        const after = await db.select().from(refunds).where(eq(refunds.orderId, target.orderId));
        for (const refund of after) {
          const before = statusesBefore.get(refund.id);
          if (before !== refund.status)
            problems.push(`refund ${refund.id} moved ${before} → ${refund.status} on callbacks alone`);
        }
        // The order read a callback queues may be deferred: the sandbox, like Frontpayment, allows
        // 240 requests a minute, and a 429 puts the job back for later. Deferred is fine; given up
        // on is not.
        const refreshes = await db
          .select({ status: jobs.status, lastError: jobs.lastError })
          .from(jobs)
          .where(and(eq(jobs.kind, 'order.refresh'), sql`${jobs.payload}->>'orderId' = ${target.orderId}`));
        deferredReads += refreshes.filter((j) => j.status === 'queued').length;
        for (const job of refreshes.filter((j) => j.status === 'failed'))
          problems.push(`an order read failed for good: ${job.lastError}`);
        if (problems.length) throw new Error(problems.join('; '));
      }),
      { seed: ctx.seed + 1, numRuns: size.runsPerProvider, endOnFailure: true },
    );
    if (frontpaymentDetails.failed) report('frontpayment', frontpaymentDetails.errorInstance, frontpaymentDetails);

    // ── Many concurrent copies of one delivery ──
    const concurrent = { forage: 0, frontpayment: 0 };
    {
      const target = forageTargets[forageIndex++ % forageTargets.length]!;
      const [final] = forageTimeline(
        target,
        { times: [0.2, 0.4, 0.6], final: 'succeeded', withError: false, steps: [] },
        Date.now(),
      ).slice(3);
      const problems: string[] = [];
      const trailBefore = (await statusTrail(target.refundId)).length;
      const tally = newTally();
      const signature = forageSignature(final!.body);
      await expectAccepted(
        tally,
        'forage',
        () => forageRequest(final!.body, signature),
        size.concurrentCopies,
        false,
        problems,
        `${size.concurrentCopies} concurrent copies`,
      );
      await drain();
      const trail = await checkTrail(target.refundId, trailBefore, problems);
      const changes = trail.filter((t) => t.action === 'provider_refund.status_changed').length;
      if (changes !== 1) problems.push(`applied ${changes} times`);
      const [refund] = await db.select().from(refunds).where(eq(refunds.id, target.refundId));
      if (refund?.status !== 'succeeded') problems.push(`refund is ${refund?.status}, expected succeeded`);
      concurrent.forage = tally.deliveries;
      forage.deliveries += tally.deliveries;
      forage.genuine += tally.genuine;
      forage.duplicates += tally.duplicates;
      if (problems.length)
        failures.push({
          what: `forage concurrent copies: ${problems.join('; ')}`,
          seed: ctx.seed,
          steps: [`refund ${target.refundRef}`],
        });
    }
    {
      const target = frontpaymentTargets[0]!;
      // The runs reuse targets (more runs than orders), and a callback's identity is its content,
      // to the second: one sent for this order in the same second as the last run's would be that
      // run's delivery again, not a new one. So the copies are sent from the next second on.
      await new Promise((resolve) => setTimeout(resolve, 1_005 - (Date.now() % 1_000)));
      const [callback] = frontpaymentTimeline(target, Date.now()).slice(3);
      const problems: string[] = [];
      const tally = newTally();
      await expectAccepted(
        tally,
        'frontpayment',
        () => frontpaymentRequest(callback!.params),
        size.concurrentCopies,
        false,
        problems,
        `${size.concurrentCopies} concurrent copies`,
      );
      const queued = await db
        .select({ n: count() })
        .from(jobs)
        .where(and(eq(jobs.kind, 'webhook.process'), eq(jobs.status, 'queued')));
      if (queued[0]!.n !== 1) problems.push(`${queued[0]!.n} processing jobs queued, expected 1`);
      await drain();
      const [row] = await db.select().from(webhookEvents).where(eq(webhookEvents.eventId, callback!.eventId));
      if (!row?.processedAt) problems.push('not processed');
      concurrent.frontpayment = tally.deliveries;
      frontpayment.deliveries += tally.deliveries;
      frontpayment.genuine += tally.genuine;
      frontpayment.duplicates += tally.duplicates;
      if (problems.length)
        failures.push({
          what: `frontpayment concurrent copies: ${problems.join('; ')}`,
          seed: ctx.seed,
          steps: [`order ${target.orderUuid}`],
        });
    }

    const both = (key: keyof Tally) => forage[key] + frontpayment[key];
    const generated = both('deliveries') - concurrent.forage - concurrent.frontpayment;
    return {
      cases: both('deliveries'),
      unit: 'deliveries',
      failures,
      figures: {
        'generated deliveries': generated,
        runs: `${forageDetails.numRuns} Forage (${endedFinal} ended final) + ${frontpaymentDetails.numRuns} Frontpayment`,
        'bad refused': `${both('badRefused')}/${both('bad')} (${forage.badRefused}/${forage.bad} Forage)`,
        genuine: both('genuine'),
        'duplicates and replays answered, not reapplied': both('duplicates'),
        'out of order': both('outOfOrder'),
        stale: both('stale'),
        'order reads deferred by the provider rate limit': deferredReads,
        'concurrent copies': `${concurrent.forage} + ${concurrent.frontpayment}, each applied once`,
      },
    };
  } finally {
    await sandbox.stop();
    const { getDbHandle } = await import('@/db');
    await (await getDbHandle().catch(() => null))?.close();
    await database.close();
  }
}

/** Makes a real refund of `amountMinor` on one line and sends it; its id when it is at the provider. */
type MakeRefund = (orderId: string, lineId: string, amountMinor: number) => Promise<string | null>;

/** Each refund the part makes: 0.50 (USD or NOK), well under any approval threshold. */
const SMALL_REFUND_MINOR = 50;

/** Real Forage refunds, one provider refund each, `processing` at the sandbox. */
async function makeForageTargets(db: Db, wanted: number, makeRefund: MakeRefund): Promise<ForageTarget[]> {
  const targets: ForageTarget[] = [];
  const forageOrders = await db.select().from(orders).where(eq(orders.provider, 'forage'));
  for (const order of forageOrders) {
    if (targets.length >= wanted) break;
    const lines = await db.select().from(orderLines).where(eq(orderLines.orderId, order.id));
    for (const line of lines) {
      while (targets.length < wanted) {
        const refundId = await makeRefund(order.id, line.id, Math.min(line.paidMinor, SMALL_REFUND_MINOR));
        if (!refundId) break;
        const parts = await db.select().from(providerRefunds).where(eq(providerRefunds.refundId, refundId));
        if (parts.length !== 1 || !parts[0]!.providerRefundRef || parts[0]!.status !== 'processing') continue;
        targets.push({
          refundId,
          refundRef: parts[0]!.providerRefundRef,
          orderRef: order.providerRef,
          amountMinor: parts[0]!.amountMinor,
          tender: parts[0]!.tender,
          since: parts[0]!.providerUpdatedAt ?? parts[0]!.createdAt,
        });
      }
    }
  }
  return targets;
}

/**
 * Frontpayment orders, each with one real refund pending at the sandbox (one at a time per order,
 * lib/refunds/pipeline.ts), so an order read could move it if anything were wrong.
 */
async function makeFrontpaymentTargets(db: Db, wanted: number, makeRefund: MakeRefund): Promise<FrontpaymentTarget[]> {
  const fpOrders = await db.select().from(orders).where(eq(orders.provider, 'frontpayment'));
  const targets: FrontpaymentTarget[] = [];
  for (const [i, order] of fpOrders.entries()) {
    const lines = await db.select().from(orderLines).where(eq(orderLines.orderId, order.id));
    let refundId: string | null = null;
    for (const line of lines) refundId ??= await makeRefund(order.id, line.id, Math.min(line.paidMinor, SMALL_REFUND_MINOR));
    targets.push({
      refundId,
      orderId: order.id,
      orderUuid: order.providerRef,
      otherOrderUuid: fpOrders[(i + 1) % fpOrders.length]!.providerRef,
      amountMinor: order.totalMinor,
    });
  }
  // Fewer orders than runs: runs share orders (each run's callbacks are new events all the same).
  return Array.from({ length: Math.max(wanted, targets.length) }, (_, i) => targets[i % targets.length]!).slice(0, wanted);
}

export const part: Part = {
  name: 'webhooks',
  title: 'Webhooks: tampered, stale, replayed, reordered and duplicated deliveries, both providers',
  run,
};
