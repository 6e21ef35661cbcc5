import { describe, expect, it } from 'vitest';
import {
  CLIENT_ERROR_KEYS,
  describeFrontpaymentError,
  FRONTPAYMENT_OTHER_ERROR_KEYS,
  FRONTPAYMENT_REFUND_ERROR_KEYS,
  normalizeKey,
} from './errors';

describe('describeFrontpaymentError', () => {
  const fallback = describeFrontpaymentError('noSuchKeyAnywhere');

  it('covers all 13 documented refund keys and the others, each with its own sentence', () => {
    expect(FRONTPAYMENT_REFUND_ERROR_KEYS).toHaveLength(13);
    const keys = [...FRONTPAYMENT_REFUND_ERROR_KEYS, ...FRONTPAYMENT_OTHER_ERROR_KEYS, ...CLIENT_ERROR_KEYS];
    const messages = new Set<string>();
    for (const key of keys) {
      const description = describeFrontpaymentError(key);
      expect(description.message, key).not.toBe(fallback.message);
      expect(description.message.length, key).toBeGreaterThan(20);
      expect(description.action.length, key).toBeGreaterThan(10);
      expect(description.message, key).not.toMatch(/[a-z][A-Z]/); // plain sentences, no raw keys
      messages.add(description.message);
    }
    expect(messages.size).toBe(keys.length);
  });

  it('reads the wire spellings of the same key alike', () => {
    expect(describeFrontpaymentError('Something Went Wrong')).toEqual(describeFrontpaymentError('somethingWentWrong'));
    expect(describeFrontpaymentError('Unauthenticated.')).toEqual(describeFrontpaymentError('Unauthenticated'));
    expect(describeFrontpaymentError('Too Many Attempts.')).toEqual(describeFrontpaymentError('tooManyRequests'));
    // frontpayment.md errata 6: the status endpoints' spelling of orderNotFound.
    expect(normalizeKey('Order Not Found')).toBe('orderNotFound');
    expect(describeFrontpaymentError('Order Not Found')).toEqual(describeFrontpaymentError('orderNotFound'));
  });

  it('offers approval for threshold rejections and names unknown keys', () => {
    expect(describeFrontpaymentError('refundRejectionForRequestAmountThresholdExceed')).toEqual({
      message: "Frontpayment refused this refund because it is above the merchant's limit for a single refund.",
      action: 'You can ask Frontpayment to approve it.',
    });
    expect(describeFrontpaymentError('refundRejectionForWeeklyThresholdExceed').action).toMatch(/approve/);
    expect(fallback.message).toContain('noSuchKeyAnywhere');
  });

  it('says what a refund that names unknown line ids or payment references means and what to do', () => {
    expect(describeFrontpaymentError('lineIdsUnknown').action).toMatch(/Nothing was sent.*merchant portal.*support/);
    expect(describeFrontpaymentError('paymentReferenceUnknown').action).toMatch(/Nothing was sent.*merchant portal.*support/);
  });
});
