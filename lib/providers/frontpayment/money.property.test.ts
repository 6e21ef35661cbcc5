import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDecimal, toDecimalNumber } from '@/lib/money';
import { nok } from '@/sandbox/frontpayment-rules';
import { parseAmount } from '@/sandbox/http';

/**
 * NOK amounts cross the wire as JSON numbers (frontpayment.md §4). Both directions must be exact
 * to the øre: the client's numbers as the sandbox reads them, and the sandbox's as the client does.
 */

const RUNS = { numRuns: 2000 };
// Up to NOK 10 billion, with the small amounts (where rounding bites) drawn often.
const minor = fc.oneof(fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: 0, max: 1_000_000_000_000 }));

describe('NOK amount conversion (property)', () => {
  it('minor → number the client sends → JSON → sandbox parseAmount → the same minor', () => {
    fc.assert(
      fc.property(minor, (amountMinor) => {
        const wire = JSON.parse(JSON.stringify({ amount: toDecimalNumber(amountMinor, 'NOK') })) as { amount: number };
        expect(parseAmount(wire.amount)).toBe(amountMinor);
      }),
      RUNS,
    );
  });

  it('minor → number the sandbox writes → JSON → client parseDecimal → the same minor', () => {
    fc.assert(
      fc.property(minor, (amountMinor) => {
        const wire = JSON.parse(JSON.stringify({ refundedAmount: nok(amountMinor) })) as { refundedAmount: number };
        expect(parseDecimal(wire.refundedAmount, 'NOK')).toBe(amountMinor);
      }),
      RUNS,
    );
  });

  it('a third decimal is refused by the sandbox, never rounded', () => {
    fc.assert(
      fc.property(minor, fc.integer({ min: 1, max: 9 }), (amountMinor, digit) => {
        const text = `${Math.floor(amountMinor / 100)}.${String(amountMinor % 100).padStart(2, '0')}${digit}`;
        expect(parseAmount(Number(text))).toBeNull();
      }),
      RUNS,
    );
  });
});
