import { and, eq } from 'drizzle-orm';
import type { DbOrTx, Tx } from '@/db';
import { orders, webhookEvents, type Provider } from '@/db/schema';

/** The webhook inbox: one row per delivery, unique per provider and event id. */

/** Stores a delivery; null when the same event was stored before (a repeated delivery). */
export async function insertWebhookEvent(tx: Tx, values: typeof webhookEvents.$inferInsert) {
  const [row] = await tx.insert(webhookEvents).values(values).onConflictDoNothing().returning({ id: webhookEvents.id });
  return row?.id ?? null;
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
