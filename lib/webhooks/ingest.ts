import { randomUUID } from 'node:crypto';
import type { Db, DbOrTx, Tx } from '@/db';
import { findProviderRefundByRef } from '@/db/queries/provider-refunds';
import { lockRefund } from '@/db/queries/refunds';
import {
  findOrderIdByProviderRef,
  insertWebhookEventQueued,
  lockWebhookEvent,
  markWebhookProcessed,
} from '@/db/queries/webhooks';
import { appendAudit, type AuditContext } from '@/lib/audit';
import { crashPoint } from '@/lib/jobs/crash-points';
import { enqueueJob, jobFor } from '@/lib/jobs/kinds';
import { RetryLater } from '@/lib/jobs/worker';
import { providerProfile } from '@/lib/providers/registry';
import type { ProviderRefundInfo, WebhookChange, WebhookEvent } from '@/lib/providers/types';
import type { ClientFor } from '@/lib/refunds/pipeline';
import { applyProviderRefundStatus } from '@/lib/refunds/provider-status';
import type { webhookEvents } from '@/db/schema';

type WebhookEventRow = typeof webhookEvents.$inferSelect;

function providerContext(provider: string, requestId: string | null, ip: string | null): AuditContext {
  return { actorId: null, actorRole: `provider:${provider}`, actorEmail: null, ip, userAgent: null, requestId };
}

/**
 * Records a verified delivery in the inbox and queues its processing, in one statement. The
 * unique (provider, event id) key makes a repeated delivery a no-op: it is acknowledged and
 * processed once. No audit event here: the chain's one lock would make every delivery wait for
 * the previous one's commit (about 90 a second on PostgreSQL). The inbox row is the record of
 * receipt, kept whole and never rewritten; the trail's `webhook.received` is written from it, with
 * the delivery's source and request id, in the transaction that processes it (processWebhookEvent).
 */
export async function ingestWebhook(db: DbOrTx, event: WebhookEvent, meta: { requestId: string | null; ip: string | null }) {
  const id = randomUUID();
  const stored = await insertWebhookEventQueued(
    db,
    {
      id,
      provider: event.provider,
      eventId: event.eventId,
      eventType: event.type,
      eventCreatedAt: event.createdAt,
      orderRef: event.orderRef || null,
      refundRef: event.refundRef,
      payload: event.raw as object,
      sourceIp: meta.ip,
      requestId: meta.requestId,
    },
    jobFor('webhook.process', { webhookEventId: id }),
  );
  return stored ? { duplicate: false as const, id: stored } : { duplicate: true as const };
}

/** The trail's record of a delivery: who sent it, from where, when it arrived and what it said. */
function auditReceived(tx: Tx, event: WebhookEventRow, change: WebhookChange) {
  return appendAudit(tx, providerContext(event.provider, event.requestId, event.sourceIp), {
    action: 'webhook.received',
    entityType: 'webhook_event',
    entityId: event.id,
    after: {
      type: event.eventType,
      eventId: event.eventId,
      orderRef: event.orderRef,
      refundRef: event.refundRef,
      status: change.kind === 'refund_status' ? change.status : null,
      receivedAt: event.receivedAt.toISOString(),
    },
  });
}

/**
 * A final status with no reason attached (a payload may carry only the status, forage.md errata 5):
 * the provider's refund object is read for its error or receipt, where the provider has refund
 * objects. Done before the transaction, so no lock is held during the call. Null when there is
 * nothing to read or the read fails: the webhook's own data is applied then.
 */
async function readRefundAfterFinalStatus(db: Db, webhookEventId: string, clientFor: ClientFor) {
  const event = await db.transaction((tx) => lockWebhookEvent(tx, webhookEventId));
  if (!event || event.processedAt || !event.orderRef) return null;
  const profile = providerProfile(event.provider);
  if (profile.capabilities.reconciliation !== 'refund_objects') return null;
  const change: WebhookChange = profile.interpretWebhook(event.eventType, event.payload);
  if (change.kind !== 'refund_status' || change.failure !== null) return null;
  if (change.status !== 'failed' && change.status !== 'succeeded') return null;
  try {
    const read = await clientFor(event.provider).readStatus(event.orderRef);
    if (!read.ok) return null;
    return read.refunds.find((r) => r.ref === change.refundRef) ?? null;
  } catch {
    // Not configured, or a client that threw: the webhook's own data will do.
    return null;
  }
}

/**
 * Applies one inbox event, as its provider's profile reads it: a refund object's new status moves
 * the matching provider refund forward (never backwards); an order that changed is read again.
 * A refund we do not know yet (its submission answer may still be being written) is retried.
 * After a final status without a reason, the refund is read from the provider for its
 * `last_processing_error` (kept as the provider refund's lastError and the refund's statusReason)
 * and its latest object (with the receipt).
 */
export async function processWebhookEvent(
  db: Db,
  webhookEventId: string,
  clientFor: ClientFor,
  options: { attempt: number; maxUnknownAttempts?: number },
) {
  const maxUnknownAttempts = options.maxUnknownAttempts ?? 5;
  const fresh: ProviderRefundInfo | null = await readRefundAfterFinalStatus(db, webhookEventId, clientFor);
  await db.transaction(async (tx) => {
    const event = await lockWebhookEvent(tx, webhookEventId);
    if (!event || event.processedAt) return;
    const finish = (note: string | null = null) => {
      // The change is made but this transaction has not committed (the crash proof's kill point).
      crashPoint('webhook.applying');
      return markWebhookProcessed(tx, event.id, options.attempt, note);
    };
    const change = providerProfile(event.provider).interpretWebhook(event.eventType, event.payload);
    // `webhook.received` comes first in the trail, before what the delivery changes, but after the
    // refund's row is locked: the chain's lock is taken after row locks, never before them (a poll
    // locks the refund and appends; holding the chain while waiting for the refund deadlocks).
    if (change.kind === 'refund_status') {
      const part = await findProviderRefundByRef(tx, event.provider, change.refundRef);
      if (!part) {
        if (options.attempt < maxUnknownAttempts) throw new RetryLater(`refund ${change.refundRef} is not known yet`);
        await auditReceived(tx, event, change);
        return void (await finish('refund not made through Refund Desk'));
      }
      await lockRefund(tx, part.refundId);
      await auditReceived(tx, event, change);
      const read = fresh?.ref === change.refundRef ? fresh : null;
      await applyProviderRefundStatus(tx, providerContext(event.provider, null, null), part, {
        status: change.status,
        updatedAt: change.updatedAt ?? event.eventCreatedAt,
        lastError: change.failure ?? (change.status === 'failed' ? (read?.lastError ?? null) : null),
        ...(read ? { raw: read.raw } : {}),
      });
      return void (await finish());
    }
    await auditReceived(tx, event, change);
    if (change.kind === 'order_changed') {
      const orderId = await findOrderIdByProviderRef(tx, event.provider, change.orderRef);
      if (orderId) await enqueueJob(tx, 'order.refresh', { orderId });
      return void (await finish(orderId ? null : 'order not known here'));
    }
    await finish(change.why);
  });
}
