import { and, eq, gte, isNull, notInArray, or, sql } from 'drizzle-orm';
import type { DbOrTx, Tx } from '@/db';
import { RELEASED_REFUND_STATUSES, refundLimits, refunds, settings } from '@/db/schema';

/**
 * An agent's limits in one currency; null means no limit. Defined here because db/ may not import
 * lib/; the approval rules (lib/refunds/approval-rules.ts) take this type from here.
 */
export interface Limits {
  approvalThresholdMinor: number | null;
  perRefundMinor: number | null;
  perDayMinor: number | null;
  /**
   * False when no limits row exists for the currency at all (an unseeded database, a new
   * currency): then every request needs a manager, rather than none. Absent means true.
   */
  configured?: boolean;
}

/** The agent's limits in a currency: their own row where set, the default row otherwise. */
export async function getLimits(db: DbOrTx, userId: string, currency: string): Promise<Limits> {
  const rows = await db
    .select()
    .from(refundLimits)
    .where(and(eq(refundLimits.currency, currency), or(isNull(refundLimits.userId), eq(refundLimits.userId, userId))));
  const fallback = rows.find((r) => r.userId === null);
  const own = rows.find((r) => r.userId === userId);
  const pick = (key: 'approvalThresholdMinor' | 'perRefundMinor' | 'perDayMinor') => own?.[key] ?? fallback?.[key] ?? null;
  return {
    approvalThresholdMinor: pick('approvalThresholdMinor'),
    perRefundMinor: pick('perRefundMinor'),
    perDayMinor: pick('perDayMinor'),
    configured: rows.length > 0,
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

/** Hours a pending request waits for a manager before it expires (default 48). */
export async function approvalExpiryHours(db: DbOrTx): Promise<number> {
  const [row] = await db.select().from(settings).where(eq(settings.key, 'approval_expiry_hours'));
  const value = Number(row?.value);
  return Number.isFinite(value) && value > 0 ? value : 48;
}

/**
 * Serializes one agent's refund requests in one currency until the transaction ends, so that the
 * day's running total read next (usedToday) includes every request that passed before — under the
 * order lock alone, parallel requests on different orders all read the same total.
 */
export async function lockAgentLimits(tx: Tx, userId: string, currency: string) {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext('refund-limits'), hashtext(${`${userId}:${currency}`}))`);
}
