import { and, eq, sql } from 'drizzle-orm';
import { queryRows, type DbOrTx, type Tx } from '@/db';
import { jobs, orders, webhookEvents, type Provider } from '@/db/schema';
import { timestamp } from '@/db/sql';
import type { JobRow } from './jobs';

/** The webhook inbox: one row per delivery, unique per provider and event id. */

type NewWebhookEvent = typeof webhookEvents.$inferInsert & { id: string };

/**
 * Stores a delivery and queues the job that processes it, in one statement (so atomic without a
 * transaction around it, and one round trip): the job is inserted only from the inbox row that
 * was, so a repeated delivery (same provider and event id) stores and queues nothing. Returns
 * the stored row's id, or null for a repeat. The job's payload names the id, so it is chosen here.
 */
export async function insertWebhookEventQueued(db: DbOrTx, event: NewWebhookEvent, job: JobRow) {
  const rows = await queryRows<{ id: string }>(
    db,
    sql`with stored as (
        insert into ${webhookEvents} (id, provider, event_id, event_type, event_created_at, order_ref, refund_ref,
          payload, source_ip, request_id)
        values (${event.id}::uuid, ${event.provider}, ${event.eventId}, ${event.eventType ?? null},
          ${event.eventCreatedAt ? timestamp(event.eventCreatedAt) : null}, ${event.orderRef ?? null},
          ${event.refundRef ?? null}, ${JSON.stringify(event.payload)}::jsonb, ${event.sourceIp ?? null},
          ${event.requestId ?? null})
        on conflict do nothing
        returning id)
      insert into ${jobs} (kind, payload, run_at, dedupe_key, max_attempts)
      select ${job.kind}, ${JSON.stringify(job.payload)}::jsonb, ${timestamp(job.runAt)}, ${job.dedupeKey}, ${job.maxAttempts}
      from stored
      returning (select id from stored) as id`,
  );
  return rows[0]?.id ?? null;
}

export async function lockWebhookEvent(tx: Tx, id: string) {
  const [row] = await tx.select().from(webhookEvents).where(eq(webhookEvents.id, id)).for('update');
  return row ?? null;
}

export function markWebhookProcessed(tx: Tx, id: string, attempts: number, note: string | null) {
  return tx.update(webhookEvents).set({ processedAt: new Date(), lastError: note, attempts }).where(eq(webhookEvents.id, id));
}

/** The local order with this provider reference, if Refund Desk knows it. */
export async function findOrderIdByProviderRef(db: DbOrTx, provider: Provider, providerRef: string) {
  const [row] = await db
    .select({ id: orders.id })
    .from(orders)
    .where(and(eq(orders.provider, provider), eq(orders.providerRef, providerRef)));
  return row?.id ?? null;
}
