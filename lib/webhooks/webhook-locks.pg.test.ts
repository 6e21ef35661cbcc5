import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '@/db';
import { lockRefund } from '@/db/queries/refunds';
import { auditEvents, providerRefunds, refunds, webhookEvents } from '@/db/schema';
import { seedDemo } from '@/demo/seed';
import { appendAudit, SYSTEM_CONTEXT, verifyAuditChain } from '@/lib/audit';
import { providerProfile } from '@/lib/providers/registry';
import type { ProviderClient, StatusRead } from '@/lib/providers/types';
import { pollRefund } from '@/lib/refunds/reconcile';
import { freshPostgres, TEST_DATABASE_URL, warnPostgresSkipped } from '@/test/db';
import { refundAtForage } from '@/test/refunds';
import { ingestWebhook, processWebhookEvent } from './ingest';

/**
 * A webhook and a poll of the same refund, each on its own connection. The prove concurrency part
 * found them deadlocking (PostgreSQL aborted one) when the webhook appended `webhook.received`,
 * taking the audit chain's lock, before locking the rows it changes, while the poll had the rows
 * and waited for the chain. PostgreSQL only: PGlite has one connection.
 */

warnPostgresSkipped('lib/webhooks/webhook-locks.pg.test.ts — a webhook and a poll of one refund at once (lock order)');

const noExchange = { method: 'GET', url: '', requestBody: null, status: null, responseBody: null, durationMs: 0 };

describe.skipIf(!TEST_DATABASE_URL)('a webhook and a poll of one refund at the same time, on PostgreSQL', () => {
  let handle: Awaited<ReturnType<typeof freshPostgres>>;
  let db: Db;
  /** What the fake Forage answers when the poll reads the order: each refund ref's status. */
  const atProvider = new Map<string, 'succeeded'>();
  const client = {
    profile: providerProfile('forage'),
    readStatus: async (): Promise<StatusRead> => ({
      ok: true,
      refundedMinor: null,
      exchange: noExchange,
      refunds: [...atProvider].map(([ref, status]) => ({
        ref,
        ourRefundId: null,
        paymentRef: null,
        tender: 'ebt_snap' as const,
        amountMinor: 1,
        status,
        lastError: null,
        updatedAt: new Date(),
        raw: { ref, status },
      })),
    }),
  } as unknown as ProviderClient;
  const clientFor = () => client;

  beforeAll(async () => {
    handle = await freshPostgres(12);
    db = handle.db;
    await seedDemo(db);
  });
  afterAll(() => handle?.close());

  /** A verified "succeeded" delivery for the ref, in the inbox, as the route stores it. */
  async function delivered(ref: string) {
    const raw = {
      ref: randomUUID().slice(0, 10),
      type: 'REFUND_STATUS_UPDATED',
      created: new Date().toISOString(),
      data: { refund_ref: ref, status: 'succeeded' },
    };
    const stored = await ingestWebhook(
      db,
      {
        provider: 'forage',
        eventId: raw.ref,
        type: raw.type,
        createdAt: new Date(),
        orderRef: 'fg8d9e0f1a',
        refundRef: ref,
        status: 'succeeded',
        amountMinor: 1,
        raw,
      },
      { requestId: null, ip: null },
    );
    if (stored.duplicate) throw new Error('not stored');
    return stored.id;
  }

  /** Waits until another connection of this database is waiting for a lock. */
  async function someoneWaitsForALock() {
    for (let i = 0; i < 200; i += 1) {
      const [row] = await handle.superuser<{ n: number }[]>`
        select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`;
      if (row!.n > 0) return;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error('nobody waited for a lock within 5 s');
  }

  const actionsOn = async (entityId: string, action: string) =>
    (
      await db
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.entityId, entityId), eq(auditEvents.action, action)))
    ).length;

  it('a poll holding the refund and its provider refund, then appending, and the webhook waiting: both finish, the status applied once', async () => {
    const ref = 'lk1poll001';
    const { refundId, partId } = await refundAtForage(db, ref);
    const webhookEventId = await delivered(ref);
    let webhook: Promise<unknown> | null = null;

    // The poll's locks, in its order: the refund's row, its provider refund's row, then the chain.
    const poll = db.transaction(async (tx) => {
      await lockRefund(tx, refundId);
      await tx.update(providerRefunds).set({ status: 'processing' }).where(eq(providerRefunds.id, partId));
      webhook = processWebhookEvent(db, webhookEventId, clientFor, { attempt: 1 });
      await someoneWaitsForALock();
      await appendAudit(tx, SYSTEM_CONTEXT, { action: 'refund.polled', entityType: 'refund', entityId: refundId });
    });

    const outcome = (p: Promise<unknown>) =>
      p.then(
        () => 'ok',
        (e: { cause?: unknown }) => String(e?.cause ?? e),
      );
    const pollOutcome = await outcome(poll);
    expect([pollOutcome, await outcome(webhook!)]).toEqual(['ok', 'ok']);
    const [part] = await db.select().from(providerRefunds).where(eq(providerRefunds.id, partId));
    expect(part!.status).toBe('succeeded');
    expect((await db.select().from(refunds).where(eq(refunds.id, refundId)))[0]!.status).toBe('succeeded');
    const [event] = await db.select().from(webhookEvents).where(eq(webhookEvents.id, webhookEventId));
    expect(event!.processedAt).not.toBeNull();
    expect(await actionsOn(refundId, 'provider_refund.status_changed')).toBe(1);
  });

  it('20 refunds, each polled and delivered at once: no deadlock, every status applied once, the chain intact', async () => {
    const made = await Promise.all(
      Array.from({ length: 20 }, (_, i) => refundAtForage(db, `lk2burst${String(i).padStart(2, '0')}`)),
    );
    const events = await Promise.all(made.map((_, i) => delivered(`lk2burst${String(i).padStart(2, '0')}`)));
    for (let i = 0; i < made.length; i += 1) atProvider.set(`lk2burst${String(i).padStart(2, '0')}`, 'succeeded');

    const outcomes = await Promise.allSettled(
      made.flatMap(({ refundId }, i) => [
        pollRefund(db, refundId, clientFor),
        processWebhookEvent(db, events[i]!, clientFor, { attempt: 1 }),
      ]),
    );
    const failures = outcomes.flatMap((o) => (o.status === 'rejected' ? [String(o.reason?.cause ?? o.reason)] : []));
    expect(failures).toEqual([]);
    for (const { refundId } of made) {
      expect((await db.select().from(refunds).where(eq(refunds.id, refundId)))[0]!.status).toBe('succeeded');
      // Whichever came second found it final: one status change, one settlement.
      expect(await actionsOn(refundId, 'provider_refund.status_changed')).toBe(1);
    }
    const [unprocessed] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(webhookEvents)
      .where(sql`processed_at is null`);
    expect(unprocessed!.n).toBe(0);
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true });
  });
});
