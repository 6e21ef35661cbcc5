import { asc, eq } from 'drizzle-orm';
import type { DbOrTx } from '@/db';
import { providerRefunds, refunds } from '@/db/schema';
import { FINAL_REFUND_STATUSES, type RefundStatusView } from './types';

/** The refund's live status for polling clients. */
export async function getRefundStatusView(db: DbOrTx, refundId: string): Promise<RefundStatusView | null> {
  const [refund] = await db.select().from(refunds).where(eq(refunds.id, refundId));
  if (!refund) return null;
  const parts = await db
    .select()
    .from(providerRefunds)
    .where(eq(providerRefunds.refundId, refundId))
    .orderBy(asc(providerRefunds.createdAt));
  return {
    id: refund.id,
    status: refund.status,
    final: FINAL_REFUND_STATUSES.includes(refund.status),
    statusReason: refund.statusReason,
    providerErrorCode: refund.providerErrorCode,
    amountMinor: refund.amountMinor,
    currency: refund.currency,
    updatedAt: refund.updatedAt.toISOString(),
    providerRefunds: parts.map((p) => ({
      ref: p.providerRefundRef,
      tender: p.tender,
      amountMinor: p.amountMinor,
      status: p.status,
      lastError: p.lastError,
    })),
  };
}
