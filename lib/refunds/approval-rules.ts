import type { Limits } from '@/db/queries/policy';

/*
 * The approval rules, pure so that one copy runs in two places: the refund service decides with
 * the figures it reads inside its transaction, and the refund form runs the same function on the
 * figures it was sent, to tell the agent beforehand. Nothing here may reach the database or import
 * server-only code: this module ships in the browser bundle.
 */

export type { Limits };

export const APPROVAL_REASONS = ['no_limits_set', 'above_threshold', 'above_per_refund_limit', 'above_daily_limit'] as const;
export type ApprovalReason = (typeof APPROVAL_REASONS)[number];

/**
 * Whether a request needs a manager (PRODUCT.md §1, §3): above the currency's approval threshold,
 * above the agent's per-refund limit, or beyond what remains of their daily limit. Each limit is
 * exclusive: an amount equal to it does not need approval, and a null limit never does.
 */
export function approvalReasons(amountMinor: number, limits: Limits, usedTodayMinor: number): ApprovalReason[] {
  // No limits set for the currency at all is not "no limit": a manager decides.
  if (limits.configured === false) return ['no_limits_set'];
  const reasons: ApprovalReason[] = [];
  if (limits.approvalThresholdMinor !== null && amountMinor > limits.approvalThresholdMinor) reasons.push('above_threshold');
  if (limits.perRefundMinor !== null && amountMinor > limits.perRefundMinor) reasons.push('above_per_refund_limit');
  if (limits.perDayMinor !== null && usedTodayMinor + amountMinor > limits.perDayMinor) reasons.push('above_daily_limit');
  return reasons;
}

/**
 * What is left of the daily limit; null when there is none. Never negative: requests beyond the
 * limit still count towards it while they wait for (or after) a manager's approval.
 */
export function remainingDailyMinor(perDayMinor: number | null, usedTodayMinor: number): number | null {
  return perDayMinor === null ? null : Math.max(0, perDayMinor - usedTodayMinor);
}

/** As stored on a pending refund's status reason, read by managers and auditors. */
export const APPROVAL_REASON_TEXT: Record<ApprovalReason, string> = {
  no_limits_set: 'no refund limits are set for this currency',
  above_threshold: 'above the approval threshold',
  above_per_refund_limit: "above the agent's limit for one refund",
  above_daily_limit: "beyond the agent's remaining daily limit",
};
