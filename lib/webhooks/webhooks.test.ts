import { createHmac, randomUUID } from 'node:crypto';
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DbHandle } from '@/db';
import { auditEvents, providerRefunds, refunds, securityCounts, webhookEvents } from '@/db/schema';
import { seedDemo } from '@/demo/seed';
import { verifyAuditChain } from '@/lib/audit';
import { runDueJobs } from '@/lib/jobs/worker';
import { SANDBOX_DEFAULTS } from '@/lib/providers/config';
import type { ProviderRefundInfo, StatusRead } from '@/lib/providers/types';
import { freshPglite } from '@/test/db';
import { refundAtForage } from '@/test/refunds';

// The real route body, verifier, inbox, job queue and status logic; only the database is a test one.
const database = vi.hoisted(() => ({ handle: null as DbHandle | null }));
vi.mock('@/db', async (importOriginal) => ({
  ...(await importOriginal<typeof import('@/db')>()),
  getDb: async () => database.handle!.db,
}));
vi.stubEnv('PROVIDERS', 'sandbox');

// The real clients, except the refund read after a final status, which each test decides.
const reads = vi.hoisted(() => ({
  calls: [] as string[],
  answer: null as null | ((orderRef: string) => Promise<StatusRead>),
}));
vi.mock('@/lib/providers', async (importOriginal) => {
  const real = await importOriginal<typeof import('@/lib/providers')>();
  return {
    ...real,
    getProviderClient: (provider: string) => {
      const client = real.getProviderClient(provider);
      return {
        ...client,
        readStatus: async (orderRef: string): Promise<StatusRead> => {
          reads.calls.push(orderRef);
          if (reads.answer) return reads.answer(orderRef);
          return { ok: false, code: 'network', message: 'No provider in this test.', exchange: noExchange };
        },
      };
    },
  };
});
const noExchange = { method: 'GET', url: '', requestBody: null, status: null, responseBody: null, durationMs: 0 };

const { handleWebhook, WEBHOOKS_PER_SOURCE_PER_MINUTE } = await import('./route');
const { flushRefusals } = await import('@/lib/security/refusals');
const { JOB_HANDLERS } = await import('@/lib/jobs/handlers');

const SECRET = SANDBOX_DEFAULTS.forage.webhookSecret;
let refundId: string;
const REFUND_REF = 'wh1abc2def';

function forageEvent(
  status: string,
  options: { ref?: string; created?: Date; refundRef?: string; updated?: Date; lastError?: string } = {},
) {
  return JSON.stringify({
    ref: options.ref ?? randomUUID().replace(/-/g, '').slice(0, 10),
    type: 'REFUND_STATUS_UPDATED',
    created: (options.created ?? new Date()).toISOString(),
    data: {
      refund_ref: options.refundRef ?? REFUND_REF,
      ...(options.updated ? { updated: options.updated.toISOString() } : {}),
      ...(options.lastError ? { last_processing_error: options.lastError } : {}),
      order_ref: 'fg8d9e0f1a',
      payment_ref: 'sn8d9e0f1a',
      amount: '3.99',
      funding_type: 'ebt_snap',
      status,
    },
  });
}

function deliver(body: string, signatureSecret: string = SECRET, tamper?: (b: string) => string) {
  const signature = createHmac('sha256', signatureSecret).update(body).digest('hex');
  return handleWebhook(
    'forage',
    new Request('http://localhost/api/webhooks/forage', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'webhook-signature': signature },
      body: tamper ? tamper(body) : body,
    }),
  );
}

describe('a delivery larger than 64 KiB', () => {
  it('is refused with 413 before it is read or verified, and nothing is written', async () => {
    const before = await countOf(webhookEvents);
    const response = await deliver(JSON.stringify({ padding: 'x'.repeat(70 * 1024) }));
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({ error: 'too_large' });
    expect(await countOf(webhookEvents)).toBe(before);
  });
});

describe('rejected deliveries', () => {
  const counted = async (subject: string) => {
    await flushRefusals(database.handle!.db);
    const rows = await database.handle!.db.select().from(securityCounts).where(eq(securityCounts.kind, 'webhook.rejected'));
    return rows.filter((r) => r.subject === subject).reduce((sum, r) => sum + r.count, 0);
  };

  it('are counted per provider, reason and source for auditors, without an audit event each', async () => {
    const audit = await countOf(auditEvents);
    const before = await counted('forage · bad_signature · unknown');
    for (let i = 0; i < 3; i += 1) expect((await deliver(forageEvent('succeeded'), 'wrong-secret')).status).toBe(401);
    expect((await deliver(JSON.stringify({ padding: 'x'.repeat(70 * 1024) }))).status).toBe(413);
    expect(await counted('forage · bad_signature · unknown')).toBe(before + 3);
    expect(await counted('forage · too_large · unknown')).toBeGreaterThanOrEqual(1);
    expect(await countOf(auditEvents)).toBe(audit);
  });

  it('are rate limited per provider and source before the body is read: 429 with Retry-After', async () => {
    const flood = () =>
      handleWebhook(
        'frontpayment',
        new Request('http://localhost/api/webhooks/frontpayment?status=paid', {
          headers: { 'x-forwarded-for': '198.51.100.77' },
        }),
      );
    const statuses: number[] = [];
    for (let i = 0; i < WEBHOOKS_PER_SOURCE_PER_MINUTE + 5; i += 1) statuses.push((await flood()).status);
    expect(statuses.slice(0, WEBHOOKS_PER_SOURCE_PER_MINUTE).every((s) => s !== 429)).toBe(true);
    const limited = await flood();
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    // Without a trusted proxy the forwarded address is not believed: the source is "unknown".
    expect(await counted('frontpayment · rate_limited · unknown')).toBeGreaterThanOrEqual(6);
    // Another provider's deliveries are not held up.
    expect((await deliver(forageEvent('succeeded'), 'wrong-secret')).status).toBe(401);
  });
});

const countOf = async (table: typeof webhookEvents | typeof auditEvents) =>
  (await database.handle!.db.select({ n: count() }).from(table))[0]!.n;
const partOf = async (ref: string = REFUND_REF) =>
  (await database.handle!.db.select().from(providerRefunds).where(eq(providerRefunds.providerRefundRef, ref)))[0]!;
const partStatus = async (ref: string = REFUND_REF) => (await partOf(ref)).status;
const refundOf = async (id: string = refundId) =>
  (await database.handle!.db.select().from(refunds).where(eq(refunds.id, id)))[0]!;
const refundStatus = async (id: string = refundId) => (await refundOf(id)).status;
const work = () => runDueJobs(database.handle!.db, JOB_HANDLERS, { workerId: 'test' });

const addRefund = async (
  ref: string,
  part?: Parameters<typeof refundAtForage>[2],
  money?: Parameters<typeof refundAtForage>[3],
) => (await refundAtForage(database.handle!.db, ref, part, money)).refundId;

beforeAll(async () => {
  database.handle = await freshPglite();
  await seedDemo(database.handle.db);
  refundId = await addRefund(REFUND_REF, {}, { quantity: 1, amountMinor: 399 });
});
afterAll(() => database.handle?.close());

describe('Forage webhooks', () => {
  let before: { events: number; audit: number };
  beforeEach(async () => {
    before = { events: await countOf(webhookEvents), audit: await countOf(auditEvents) };
  });
  const nothingWritten = async () => {
    expect(await countOf(webhookEvents)).toBe(before.events);
    expect(await countOf(auditEvents)).toBe(before.audit);
  };

  it('rejects a tampered body with 4xx and writes nothing', async () => {
    const response = await deliver(forageEvent('succeeded'), SECRET, (b) => b.replace('"3.99"', '"399.00"'));
    expect(response.status).toBe(401);
    await nothingWritten();
  });

  it('rejects a signature made with the wrong secret', async () => {
    expect((await deliver(forageEvent('succeeded'), 'not-the-secret')).status).toBe(401);
    await nothingWritten();
  });

  it('accepts a late delivery (created an hour ago, correctly signed) with 2xx and applies it once', async () => {
    const ref = 'wh2late001';
    const id = await addRefund(ref);
    before = { events: await countOf(webhookEvents), audit: await countOf(auditEvents) };
    const late = forageEvent('succeeded', { refundRef: ref, created: new Date(Date.now() - 60 * 60_000) });
    const first = await deliver(late);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ received: true, duplicate: false });
    expect(await work()).toBe(1);
    expect(await partStatus(ref)).toBe('succeeded');
    expect(await refundStatus(id)).toBe('succeeded');

    // Forage retries it later still: acknowledged, not applied again.
    const again = await deliver(late);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ received: true, duplicate: true });
    expect(await work()).toBe(0);
    expect(await countOf(webhookEvents)).toBe(before.events + 1);
    const changes = await database
      .handle!.db.select()
      .from(auditEvents)
      .where(eq(auditEvents.action, 'provider_refund.status_changed'));
    expect(changes.filter((c) => c.entityId === id)).toHaveLength(1);
  });

  it('refuses a tampered late delivery and writes nothing', async () => {
    const late = forageEvent('succeeded', { created: new Date(Date.now() - 3 * 24 * 60 * 60_000) });
    const response = await deliver(late, SECRET, (b) => b.replace('"3.99"', '"399.00"'));
    expect(response.status).toBe(401);
    await nothingWritten();
  });

  it('refuses a delivery dated far in the future (beyond clock skew) and writes nothing', async () => {
    expect((await deliver(forageEvent('succeeded', { created: new Date(Date.now() + 60 * 60_000) }))).status).toBe(401);
    await nothingWritten();
  });

  it('a late delivery of an older status never moves a refund back', async () => {
    const ref = 'wh3stale01';
    const appliedAt = new Date(Date.now() - 60_000);
    const id = await addRefund(ref, { status: 'pending', providerUpdatedAt: appliedAt });
    // "processing" as it was two hours ago, delivered only now: older than what is applied.
    const stale = forageEvent('processing', {
      refundRef: ref,
      created: new Date(Date.now() - 2 * 60 * 60_000),
      updated: new Date(Date.now() - 2 * 60 * 60_000),
    });
    expect((await deliver(stale)).status).toBe(200);
    expect(await work()).toBe(1);
    expect(await partOf(ref)).toMatchObject({ status: 'pending', providerUpdatedAt: appliedAt });
    expect(await refundStatus(id)).toBe('processing');
  });

  it('processes a duplicate delivery once, and an out-of-order "processing" never moves the refund back', async () => {
    const succeeded = forageEvent('succeeded', { ref: 'evt0000001' });
    const first = await deliver(succeeded);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ received: true, duplicate: false });
    const again = await deliver(succeeded);
    expect(await again.json()).toEqual({ received: true, duplicate: true });
    expect(await countOf(webhookEvents)).toBe(before.events + 1);

    expect(await work()).toBe(1);
    expect(await partStatus()).toBe('succeeded');
    expect(await refundStatus()).toBe('succeeded');

    // A late "processing" event, created before the success, arrives afterwards.
    const late = forageEvent('processing', { ref: 'evt0000000', created: new Date(Date.now() - 30_000) });
    expect((await deliver(late)).status).toBe(200);
    expect(await work()).toBe(1);
    expect(await partStatus()).toBe('succeeded');
    expect(await refundStatus()).toBe('succeeded');

    const changes = await database
      .handle!.db.select()
      .from(auditEvents)
      .where(eq(auditEvents.action, 'provider_refund.status_changed'));
    expect(changes.filter((c) => c.entityId === refundId)).toHaveLength(1);
    expect(await verifyAuditChain(database.handle!.db)).toMatchObject({ ok: true });
  });
});

describe('the trail of a delivery', () => {
  const receivedEvents = async (webhookEventId: string) =>
    database
      .handle!.db.select()
      .from(auditEvents)
      .where(eq(auditEvents.entityId, webhookEventId))
      .then((rows) => rows.filter((r) => r.action === 'webhook.received'));

  it('is written once, by the processing, first, with the source and request id the inbox kept', async () => {
    const ref = 'wh6trail01';
    const id = await addRefund(ref);
    const audit = await countOf(auditEvents);
    const body = forageEvent('succeeded', { refundRef: ref });
    const signature = createHmac('sha256', SECRET).update(body).digest('hex');
    const response = await handleWebhook(
      'forage',
      new Request('http://localhost/api/webhooks/forage', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'webhook-signature': signature, 'x-request-id': 'req-trail-1' },
        body,
      }),
    );
    expect(response.status).toBe(200);
    // Received: the inbox row is the record; the chain's lock is not taken on the way in.
    expect(await countOf(auditEvents)).toBe(audit);
    const [inbox] = await database.handle!.db.select().from(webhookEvents).where(eq(webhookEvents.refundRef, ref));
    expect(inbox).toMatchObject({ requestId: 'req-trail-1', processedAt: null });

    expect(await work()).toBe(1);
    const received = await receivedEvents(inbox!.id);
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ actorRole: 'provider:forage', actorId: null, requestId: 'req-trail-1' });
    expect(received[0]!.after).toMatchObject({
      type: 'REFUND_STATUS_UPDATED',
      refundRef: ref,
      status: 'succeeded',
      receivedAt: inbox!.receivedAt.toISOString(),
    });
    // Before the change the delivery made, in the same transaction as it.
    const [change] = await database
      .handle!.db.select()
      .from(auditEvents)
      .where(eq(auditEvents.entityId, id))
      .then((rows) => rows.filter((r) => r.action === 'provider_refund.status_changed'));
    expect(change!.seq).toBeGreaterThan(received[0]!.seq);

    // A repeated delivery is neither stored nor recorded again.
    await deliver(body);
    expect(await work()).toBe(0);
    expect(await receivedEvents(inbox!.id)).toHaveLength(1);
    expect(await verifyAuditChain(database.handle!.db)).toMatchObject({ ok: true });
  });

  it('is not written while the processing waits for an unknown refund, and is written once when it ends', async () => {
    const body = forageEvent('succeeded', { refundRef: 'wh6unknown' });
    expect((await deliver(body)).status).toBe(200);
    const [inbox] = await database.handle!.db.select().from(webhookEvents).where(eq(webhookEvents.refundRef, 'wh6unknown'));
    const { processWebhookEvent } = await import('./ingest');
    const { getProviderClient } = await import('@/lib/providers');
    await expect(processWebhookEvent(database.handle!.db, inbox!.id, getProviderClient, { attempt: 1 })).rejects.toThrow(
      /not known yet/,
    );
    expect(await receivedEvents(inbox!.id)).toHaveLength(0);
    await processWebhookEvent(database.handle!.db, inbox!.id, getProviderClient, { attempt: 5 });
    expect(await receivedEvents(inbox!.id)).toHaveLength(1);
    // Its queued job finds it processed: nothing more is written.
    expect(await work()).toBe(1);
    expect(await receivedEvents(inbox!.id)).toHaveLength(1);
  });
});

describe('Forage webhooks: the refund is read after a final status (errata 5)', () => {
  const providerRefund = (ref: string, patch: Partial<ProviderRefundInfo>): ProviderRefundInfo => ({
    ref,
    ourRefundId: null,
    paymentRef: 'cc8d9e0f1a',
    tender: 'credit_tpp',
    amountMinor: 1,
    status: 'failed',
    lastError: null,
    updatedAt: new Date(),
    raw: { ref },
    ...patch,
  });
  const answerWith = (...refunds: ProviderRefundInfo[]) => {
    reads.answer = async () => ({ ok: true, refunds, refundedMinor: null, exchange: noExchange });
  };
  beforeEach(() => {
    reads.calls.length = 0;
    reads.answer = null;
  });

  it('a "failed" carrying only the status: its last_processing_error is read and recorded', async () => {
    const ref = 'wh5fail001';
    const id = await addRefund(ref);
    answerWith(
      providerRefund('otherref01', { lastError: 'Not this one.' }),
      providerRefund(ref, { lastError: 'Card issuer declined the refund.', raw: { ref, status: 'failed', receipt: null } }),
    );
    expect((await deliver(forageEvent('failed', { refundRef: ref }))).status).toBe(200);
    expect(await work()).toBe(1);
    expect(reads.calls).toEqual(['fg8d9e0f1a']);
    expect(await partOf(ref)).toMatchObject({ status: 'failed', lastError: 'Card issuer declined the refund.' });
    expect(await refundOf(id)).toMatchObject({ status: 'failed', statusReason: 'Card issuer declined the refund.' });
  });

  it('a "succeeded": the refund object read (with its receipt) is kept', async () => {
    const ref = 'wh5succ001';
    const id = await addRefund(ref);
    const receipt = { ref_number: ref, balance: null, last_4: '4242' };
    answerWith(providerRefund(ref, { status: 'succeeded', raw: { ref, status: 'succeeded', receipt } }));
    await deliver(forageEvent('succeeded', { refundRef: ref }));
    expect(await work()).toBe(1);
    expect(reads.calls).toHaveLength(1);
    expect(await partOf(ref)).toMatchObject({ status: 'succeeded', lastError: null, raw: { receipt } });
    expect(await refundStatus(id)).toBe('succeeded');
  });

  it('a failed read (or a client that throws) does not fail the webhook: its own data is applied', async () => {
    const ref = 'wh5down001';
    const id = await addRefund(ref);
    await deliver(forageEvent('failed', { refundRef: ref }));
    expect(await work()).toBe(1);
    expect(reads.calls).toHaveLength(1);
    expect(await partOf(ref)).toMatchObject({ status: 'failed', lastError: null });
    expect(await refundStatus(id)).toBe('failed');

    const other = 'wh5down002';
    const otherId = await addRefund(other);
    reads.answer = () => Promise.reject(new Error('socket hang up'));
    await deliver(forageEvent('failed', { refundRef: other }));
    expect(await work()).toBe(1);
    expect(await refundStatus(otherId)).toBe('failed');
  });

  it('no read when the webhook already says why, or the status is not final', async () => {
    const ref = 'wh5said001';
    const id = await addRefund(ref);
    answerWith(providerRefund(ref, { lastError: 'What the read would say.' }));
    await deliver(forageEvent('processing', { refundRef: ref }));
    await deliver(forageEvent('failed', { refundRef: ref, lastError: 'Issuer unavailable.' }));
    expect(await work()).toBe(2);
    expect(reads.calls).toEqual([]);
    expect(await refundOf(id)).toMatchObject({ status: 'failed', statusReason: 'Issuer unavailable.' });
  });
});
