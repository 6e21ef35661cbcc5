import { and, asc, eq } from 'drizzle-orm';
import type { DbOrTx, Tx } from '@/db';
import { providerRefunds, type Provider } from '@/db/schema';

/** One row per refund object at the provider (or one for the whole request where it has none). */

export function listProviderRefunds(db: DbOrTx, refundId: string) {
  return db
    .select()
    .from(providerRefunds)
    .where(eq(providerRefunds.refundId, refundId))
    .orderBy(asc(providerRefunds.createdAt), asc(providerRefunds.id));
}

/** Repeats of the same provider refund object (a replayed answer) are ignored. */
export function insertProviderRefunds(tx: Tx, rows: (typeof providerRefunds.$inferInsert)[]) {
  return rows.length ? tx.insert(providerRefunds).values(rows).onConflictDoNothing() : Promise.resolve();
}

export function updateProviderRefund(
  tx: Tx,
  id: string,
  fields: Pick<typeof providerRefunds.$inferInsert, 'status' | 'providerUpdatedAt' | 'lastError' | 'raw'>,
) {
  return tx.update(providerRefunds).set(fields).where(eq(providerRefunds.id, id));
}

/**
 * The provider refund object with this ref. Not locked: whoever changes it locks its refund's row
 * first, then this row (lockProviderRefund), then appends to the audit chain — one order for every
 * writer (webhook, poll, settling by hand), so two of them never wait on each other in a circle.
 */
export async function findProviderRefundByRef(db: DbOrTx, provider: Provider, ref: string) {
  const [row] = await db
    .select()
    .from(providerRefunds)
    .where(and(eq(providerRefunds.provider, provider), eq(providerRefunds.providerRefundRef, ref)));
  return row ?? null;
}

/** One provider refund, locked and read fresh (after its refund's row: see findProviderRefundByRef). */
export async function lockProviderRefund(tx: Tx, id: string) {
  const [row] = await tx.select().from(providerRefunds).where(eq(providerRefunds.id, id)).for('update');
  return row ?? null;
}
