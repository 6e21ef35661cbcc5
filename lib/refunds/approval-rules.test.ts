import { describe, expect, it } from 'vitest';
import { APPROVAL_REASON_TEXT, APPROVAL_REASONS, approvalReasons, remainingDailyMinor, type Limits } from './approval-rules';

const limits: Limits = { approvalThresholdMinor: 2_000_00, perRefundMinor: 5_000_00, perDayMinor: 10_000_00 };
const onlyThreshold: Limits = { approvalThresholdMinor: 2_000_00, perRefundMinor: null, perDayMinor: null };
const onlyPerRefund: Limits = { approvalThresholdMinor: null, perRefundMinor: 5_000_00, perDayMinor: null };
const onlyPerDay: Limits = { approvalThresholdMinor: null, perRefundMinor: null, perDayMinor: 10_000_00 };

describe('approvalReasons', () => {
  it('an amount equal to the approval threshold is not above it; one minor unit more is', () => {
    expect(approvalReasons(2_000_00, onlyThreshold, 0)).toEqual([]);
    expect(approvalReasons(2_000_01, onlyThreshold, 0)).toEqual(['above_threshold']);
  });

  it("an amount equal to the agent's per-refund limit is within it; one minor unit more is not", () => {
    expect(approvalReasons(5_000_00, onlyPerRefund, 0)).toEqual([]);
    expect(approvalReasons(5_000_01, onlyPerRefund, 0)).toEqual(['above_per_refund_limit']);
  });

  it('used today plus the amount equal to the daily limit is within it; one minor unit more is not', () => {
    expect(approvalReasons(1_000_00, onlyPerDay, 9_000_00)).toEqual([]);
    expect(approvalReasons(1_000_01, onlyPerDay, 9_000_00)).toEqual(['above_daily_limit']);
    // The same amount with nothing used today: it is what was used that tips it over.
    expect(approvalReasons(1_000_01, onlyPerDay, 0)).toEqual([]);
  });

  it('a null limit is no limit, whatever the amount', () => {
    const none: Limits = { approvalThresholdMinor: null, perRefundMinor: null, perDayMinor: null };
    expect(approvalReasons(1_000_000_000_00, none, 1_000_000_000_00)).toEqual([]);
    expect(approvalReasons(1_000_000_000_00, onlyThreshold, 1_000_000_000_00)).toEqual(['above_threshold']);
    expect(approvalReasons(1_000_000_000_00, onlyPerRefund, 1_000_000_000_00)).toEqual(['above_per_refund_limit']);
    expect(approvalReasons(1_000_000_000_00, onlyPerDay, 0)).toEqual(['above_daily_limit']);
  });

  it('a limit of zero is a limit, not "none": every amount is above it', () => {
    const zero: Limits = { approvalThresholdMinor: 0, perRefundMinor: 0, perDayMinor: 0 };
    expect(approvalReasons(1, zero, 0)).toEqual(['above_threshold', 'above_per_refund_limit', 'above_daily_limit']);
  });

  it('gives every reason that applies, in one order', () => {
    expect(approvalReasons(6_000_00, limits, 5_000_00)).toEqual([
      'above_threshold',
      'above_per_refund_limit',
      'above_daily_limit',
    ]);
    expect(approvalReasons(3_000_00, limits, 8_000_00)).toEqual(['above_threshold', 'above_daily_limit']);
  });

  it('has a stored sentence for every reason', () => {
    for (const reason of APPROVAL_REASONS) expect(APPROVAL_REASON_TEXT[reason]).toMatch(/\w/);
  });
});

describe('remainingDailyMinor', () => {
  it('is the daily limit minus what was used, never below zero, and null without a limit', () => {
    expect(remainingDailyMinor(10_000_00, 3_000_50)).toBe(6_999_50);
    expect(remainingDailyMinor(10_000_00, 10_000_00)).toBe(0);
    expect(remainingDailyMinor(10_000_00, 12_000_00)).toBe(0);
    expect(remainingDailyMinor(null, 12_000_00)).toBeNull();
  });
});

describe('no limits set for the currency at all', () => {
  it('needs a manager for any amount, rather than none', () => {
    const unset: Limits = { approvalThresholdMinor: null, perRefundMinor: null, perDayMinor: null, configured: false };
    expect(approvalReasons(1, unset, 0)).toEqual(['no_limits_set']);
    // A row that sets no limit is a decision: no approval needed.
    expect(approvalReasons(1_000_000_00, { ...unset, configured: true }, 0)).toEqual([]);
  });
});
