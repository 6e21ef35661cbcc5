import { and, eq, gte, isNull, notInArray, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '@/db';
import { RELEASED_REFUND_STATUSES, refundLimits, refunds, settings } from '@/db/schema';

export interface Limits {
  approvalThresholdMinor: number | null;
  perRefundMinor: number | null;
  perDayMinor: number | null;
}

/** The agent's limits in a currency: their own row where set, the default row otherwise. */
export async function getLimits(db: DbOrTx, userId: string, currency: string): Promise<Limits> {
  const rows = await db
    .select()
    .from(refundLimits)
    .where(and(eq(refundLimits.currency, currency), or(isNull(refundLimits.userId), eq(refundLimits.userId, userId))));
  const fallback = rows.find((r) => r.userId === null);
  const own = rows.find((r) => r.userId === userId);
  const pick = (key: keyof Limits) => own?.[key] ?? fallback?.[key] ?? null;
  return {
    approvalThresholdMinor: pick('approvalThresholdMinor'),
    perRefundMinor: pick('perRefundMinor'),
    perDayMinor: pick('perDayMinor'),
  };
}

export function startOfUtcDay(now: Date) {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}

/** What the user has requested today (UTC) in the currency, counting every refund still holding money. */
export async function usedToday(db: DbOrTx, userId: string, currency: string, now = new Date()): Promise<number> {
  const [row] = await db
    .select({ total: sql<number>`coalesce(sum(${refunds.amountMinor}), 0)::bigint`.mapWith(Number) })
    .from(refunds)
    .where(
      and(
        eq(refunds.requestedBy, userId),
        eq(refunds.currency, currency),
        gte(refunds.createdAt, startOfUtcDay(now)),
        notInArray(refunds.status, [...RELEASED_REFUND_STATUSES]),
      ),
    );
  return row?.total ?? 0;
}

export type ApprovalReason = 'above_threshold' | 'above_per_refund_limit' | 'above_daily_limit';

/**
 * Whether a request needs a manager (PRODUCT.md §1, §3): above the currency's approval threshold,
 * above the agent's per-refund limit, or beyond what remains of their daily limit.
 */
export function approvalReasons(amountMinor: number, limits: Limits, usedTodayMinor: number): ApprovalReason[] {
  const reasons: ApprovalReason[] = [];
  if (limits.approvalThresholdMinor !== null && amountMinor > limits.approvalThresholdMinor) reasons.push('above_threshold');
  if (limits.perRefundMinor !== null && amountMinor > limits.perRefundMinor) reasons.push('above_per_refund_limit');
  if (limits.perDayMinor !== null && usedTodayMinor + amountMinor > limits.perDayMinor) reasons.push('above_daily_limit');
  return reasons;
}

export const APPROVAL_REASON_TEXT: Record<ApprovalReason, string> = {
  above_threshold: 'above the approval threshold',
  above_per_refund_limit: "above the agent's limit for one refund",
  above_daily_limit: "beyond the agent's remaining daily limit",
};

/** Hours a pending request waits for a manager before it expires (default 48). */
export async function approvalExpiryHours(db: DbOrTx): Promise<number> {
  const [row] = await db.select().from(settings).where(eq(settings.key, 'approval_expiry_hours'));
  const value = Number(row?.value);
  return Number.isFinite(value) && value > 0 ? value : 48;
}
