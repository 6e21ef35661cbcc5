import type { Tx } from '@/db';
import { listProviderRefunds, lockProviderRefund, updateProviderRefund } from '@/db/queries/provider-refunds';
import { lockRefund } from '@/db/queries/refunds';
import type { ProviderRefund, RefundStatus } from '@/db/schema';
import { appendAudit, type AuditContext } from '@/lib/audit';
import type { ProviderRefundStatus } from '@/lib/providers/types';
import { isAtProvider, transition } from './lifecycle';

const RANK: Record<ProviderRefundStatus, number> = { pending: 0, processing: 1, succeeded: 2, failed: 2 };

/**
 * Whether an update may be applied: statuses only move forward (pending → processing → final),
 * a final status is never changed, and an update older than the one already applied is ignored.
 * Webhooks arrive out of order; this is what keeps a refund from moving backwards.
 */
export function isForwardUpdate(
  current: Pick<ProviderRefund, 'status' | 'providerUpdatedAt'>,
  next: { status: ProviderRefundStatus; updatedAt: Date | null },
): boolean {
  if (RANK[current.status] === 2) return false;
  if (RANK[next.status] <= RANK[current.status]) return false;
  if (next.updatedAt && current.providerUpdatedAt && next.updatedAt < current.providerUpdatedAt) return false;
  return true;
}

/** The refund's status as its provider refunds say, or null while they are not all final. */
export function settledStatus(parts: Pick<ProviderRefund, 'status'>[]): RefundStatus | null {
  if (parts.length === 0 || parts.some((p) => RANK[p.status] < 2)) return null;
  const succeeded = parts.filter((p) => p.status === 'succeeded').length;
  if (succeeded === parts.length) return 'succeeded';
  return succeeded === 0 ? 'failed' : 'partially_succeeded';
}

/**
 * Applies one provider refund's new status (from a webhook or a poll) inside the caller's
 * transaction, writes the audit event, and settles the refund when every part is final.
 * `providerRefund` may be a snapshot read earlier: the refund's row and then the provider refund's
 * are locked here and the decision is made on what they hold now, so a webhook and a poll of the
 * same refund apply a status once. Returns whether anything changed.
 */
export async function applyProviderRefundStatus(
  tx: Tx,
  audit: AuditContext,
  providerRefund: Pick<ProviderRefund, 'id' | 'refundId'>,
  next: { status: ProviderRefundStatus; updatedAt: Date | null; lastError?: string | null; raw?: unknown },
): Promise<boolean> {
  const refund = await lockRefund(tx, providerRefund.refundId);
  const current = await lockProviderRefund(tx, providerRefund.id);
  if (!refund || !current || !isForwardUpdate(current, next)) return false;
  await updateProviderRefund(tx, current.id, {
    status: next.status,
    providerUpdatedAt: next.updatedAt ?? new Date(),
    lastError: next.lastError ?? current.lastError,
    raw: (next.raw ?? current.raw) as object,
  });
  await appendAudit(tx, audit, {
    action: 'provider_refund.status_changed',
    entityType: 'refund',
    entityId: refund.id,
    before: { providerRefundRef: current.providerRefundRef, status: current.status },
    after: { providerRefundRef: current.providerRefundRef, status: next.status, lastError: next.lastError ?? null },
  });

  const settled = settledStatus(await listProviderRefunds(tx, refund.id));
  if (!settled || !isAtProvider(refund.status)) return true;
  await transition(tx, audit, {
    refundId: refund.id,
    from: refund.status,
    to: settled,
    by: 'provider',
    statusReason: settled === 'succeeded' ? null : (next.lastError ?? refund.statusReason),
  });
  return true;
}
