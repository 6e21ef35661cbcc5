import { and, eq } from 'drizzle-orm';
import type { Db } from '@/db';
import { orders, providerRefunds, webhookEvents } from '@/db/schema';
import { appendAudit, type AuditContext } from '@/lib/audit';
import { enqueue } from '@/lib/jobs/queue';
import { RetryLater } from '@/lib/jobs/worker';
import type { ProviderRefundStatus, WebhookEvent } from '@/lib/providers/types';
import { applyProviderRefundStatus } from '@/lib/refunds/provider-status';

export const PROCESS_WEBHOOK_JOB = 'webhook.process';

function providerContext(provider: string, requestId: string | null, ip: string | null): AuditContext {
  return { actorId: null, actorRole: `provider:${provider}`, actorEmail: null, ip, userAgent: null, requestId };
}

/**
 * Records a verified delivery in the inbox and queues its processing, in one transaction. The
 * unique (provider, event id) key makes a repeated delivery a no-op: it is acknowledged and
 * processed once.
 */
export async function ingestWebhook(db: Db, event: WebhookEvent, meta: { requestId: string | null; ip: string | null }) {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(webhookEvents)
      .values({
        provider: event.provider,
        eventId: event.eventId,
        eventType: event.type,
        eventCreatedAt: event.createdAt,
        payload: event.raw as object,
      })
      .onConflictDoNothing()
      .returning({ id: webhookEvents.id });
    if (!row) return { duplicate: true as const };
    await enqueue(tx, PROCESS_WEBHOOK_JOB, { webhookEventId: row.id }, { dedupeKey: `webhook:${row.id}` });
    await appendAudit(tx, providerContext(event.provider, meta.requestId, meta.ip), {
      action: 'webhook.received',
      entityType: 'webhook_event',
      entityId: row.id,
      after: {
        type: event.type,
        eventId: event.eventId,
        orderRef: event.orderRef,
        refundRef: event.refundRef,
        status: event.status,
      },
    });
    return { duplicate: false as const, id: row.id };
  });
}

const FORAGE_STATUS: Record<string, ProviderRefundStatus> = {
  requires_confirmation: 'processing',
  processing: 'processing',
  succeeded: 'succeeded',
  failed: 'failed',
  canceled: 'failed',
};

/**
 * Applies one inbox event. Forage refund updates move the matching provider refund forward (never
 * backwards); Frontpayment callbacks carry order statuses only, so they queue an order refresh.
 * A refund we do not know yet (its submission response may still be being written) is retried.
 */
export async function processWebhookEvent(
  db: Db,
  webhookEventId: string,
  options: { attempt: number; maxUnknownAttempts?: number },
) {
  const maxUnknownAttempts = options.maxUnknownAttempts ?? 5;
  await db.transaction(async (tx) => {
    const [event] = await tx.select().from(webhookEvents).where(eq(webhookEvents.id, webhookEventId)).for('update');
    if (!event || event.processedAt) return;
    const payload = event.payload as { data?: Record<string, unknown>; status?: string; orderUuid?: string };
    const audit = providerContext(event.provider, null, null);
    const finish = (note: string | null = null) =>
      tx
        .update(webhookEvents)
        .set({ processedAt: new Date(), lastError: note, attempts: options.attempt })
        .where(eq(webhookEvents.id, event.id));

    if (event.provider === 'forage' && event.eventType === 'REFUND_STATUS_UPDATED') {
      const refundRef = String(payload.data?.refund_ref ?? '');
      const status = FORAGE_STATUS[String(payload.data?.status ?? '')];
      if (!refundRef || !status) return void (await finish('not a refund status we know'));
      const [part] = await tx
        .select()
        .from(providerRefunds)
        .where(and(eq(providerRefunds.provider, 'forage'), eq(providerRefunds.providerRefundRef, refundRef)))
        .for('update');
      if (!part) {
        if (options.attempt >= maxUnknownAttempts) return void (await finish('refund not made through Refund Desk'));
        throw new RetryLater(`refund ${refundRef} is not known yet`);
      }
      await applyProviderRefundStatus(tx, audit, part, {
        status,
        updatedAt: event.eventCreatedAt,
        lastError: typeof payload.data?.last_processing_error === 'string' ? payload.data.last_processing_error : null,
      });
      return void (await finish());
    }

    if (event.provider === 'frontpayment' && payload.orderUuid) {
      const [order] = await tx
        .select({ id: orders.id })
        .from(orders)
        .where(and(eq(orders.provider, 'frontpayment'), eq(orders.providerRef, payload.orderUuid)));
      if (order) await enqueue(tx, 'order.refresh', { orderId: order.id }, { dedupeKey: `order-refresh:${order.id}` });
      return void (await finish(order ? null : 'order not known here'));
    }
    await finish('event type not handled');
  });
}
