import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDecimal, toDecimalNumber } from '@/lib/money';
import { decimal, parseAmount } from '@/sandbox/http';
import { taxRateToBp, toRefundInfo, usd } from './mapping';

/**
 * Money at the Forage boundary (forage.md §11): request amounts are JSON numbers, response amounts
 * decimal strings. Both directions must be exact for every cent amount.
 */

const RUNS = { numRuns: 5000 };
const cents = fc.integer({ min: 1, max: 10 ** 11 });

describe('Forage amounts', () => {
  it('minor → the JSON number the client sends → parsed back (as the sandbox and Forage read it) equals minor', () => {
    fc.assert(
      fc.property(cents, (minor) => {
        const sent = JSON.parse(JSON.stringify({ amount: toDecimalNumber(minor, 'USD') })) as { amount: number };
        expect(parseAmount(sent.amount)).toBe(minor);
        expect(parseDecimal(sent.amount, 'USD')).toBe(minor);
      }),
      RUNS,
    );
  });

  it("the sandbox's decimal strings parse exactly in the client", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 ** 13 }), (minor) => {
        expect(usd(decimal(minor))).toBe(minor);
        const refund = { ref: 'r', amount: decimal(minor), status: 'processing' };
        expect(toRefundInfo(refund).amountMinor).toBe(minor);
      }),
      RUNS,
    );
  });

  it('tax rates: basis points → Forage six-decimal fraction → basis points', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9999 }), (bp) => {
        expect(taxRateToBp(`0.${String(bp * 100).padStart(6, '0')}`)).toBe(bp);
      }),
      { numRuns: 2000 },
    );
    expect(taxRateToBp('0.072500')).toBe(725);
    expect(taxRateToBp(null)).toBe(0);
  });

  it('known values', () => {
    expect(toDecimalNumber(1999, 'USD')).toBe(19.99);
    expect(JSON.stringify({ amount: toDecimalNumber(10, 'USD') })).toBe('{"amount":0.1}');
    expect(usd('20.00')).toBe(2000);
    expect(decimal(5)).toBe('0.05');
  });
});
