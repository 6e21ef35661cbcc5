import type { DbOrTx } from '@/db';
import { listProviderRefunds } from '@/db/queries/provider-refunds';
import { getRefundWithOrder } from '@/db/queries/refunds';
import { isFinal } from './lifecycle';
import type { RefundStatusView } from './types';

/** The refund's live status for polling clients. */
export async function getRefundStatusView(db: DbOrTx, refundId: string): Promise<RefundStatusView | null> {
  const row = await getRefundWithOrder(db, refundId);
  if (!row) return null;
  const { refund } = row;
  const parts = await listProviderRefunds(db, refundId);
  return {
    id: refund.id,
    status: refund.status,
    final: isFinal(refund.status),
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
