import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  assertMinor,
  currencyExponent,
  formatMoney,
  MoneyError,
  parseDecimal,
  sumMinor,
  toDecimalNumber,
  toDecimalString,
} from './money';

/** Intl uses U+00A0 / U+202F as group separators and U+2212 for minus in some locales. */
const normalise = (text: string) => text.replace(/[\s\u00a0\u202f]+/g, ' ').replace(/\u2212/g, '-');

const CURRENCIES = ['USD', 'NOK'] as const;
const REALISTIC = 10 ** 13;

describe('parseDecimal: provider decimal strings (Forage "20.00")', () => {
  it.each([
    ['20.00', 'USD', 2000],
    ['4.5', 'USD', 450],
    ['0.01', 'USD', 1],
    ['1.500', 'USD', 150],
    ['1.50000', 'NOK', 150],
    ['1499.50', 'NOK', 149950],
    ['0', 'USD', 0],
    ['0.00', 'USD', 0],
    ['-0.00', 'USD', 0],
    ['007.10', 'USD', 710],
    ['  12.34  ', 'USD', 1234],
    ['-12.34', 'USD', -1234],
    ['90071992547409.91', 'USD', 9007199254740991],
    ['1500', 'JPY', 1500],
    ['1500.000', 'JPY', 1500],
  ])('%s %s → %i', (text, currency, expected) => {
    const parsed = parseDecimal(text, currency);
    expect(parsed).toBe(expected);
    expect(Object.is(parsed, -0)).toBe(false);
  });

  it.each([
    ['1.005', 'USD'],
    ['0.001', 'NOK'],
    ['1.5', 'JPY'],
    ['abc', 'USD'],
    ['', 'USD'],
    ['   ', 'USD'],
    ['1e5', 'USD'],
    ['1,00', 'NOK'],
    ['1.', 'USD'],
    ['.5', 'USD'],
    ['+1.00', 'USD'],
    ['1 000.00', 'NOK'],
    ['0x10', 'USD'],
    ['NaN', 'USD'],
    ['Infinity', 'USD'],
    ['--1', 'USD'],
    // One past Number.MAX_SAFE_INTEGER in minor units.
    ['90071992547409.92', 'USD'],
  ])('rejects %j (%s)', (text, currency) => {
    expect(() => parseDecimal(text, currency)).toThrow(MoneyError);
  });
});

describe('parseDecimal: JSON numbers (Frontpayment 149.5)', () => {
  it.each([
    [149.5, 'NOK', 14950],
    [50, 'NOK', 5000],
    [0.1, 'NOK', 10],
    [99.99, 'NOK', 9999],
    [0.01, 'USD', 1],
    [1.1, 'USD', 110],
    [0.07, 'USD', 7],
    [1.15, 'USD', 115],
    [4.35, 'USD', 435],
    [-2.5, 'USD', -250],
    [0, 'USD', 0],
  ])('%d %s → %i', (value, currency, expected) => {
    expect(parseDecimal(value, currency)).toBe(expected);
  });

  it('is exact where float multiplication is not', () => {
    // The naive approach gets these wrong; the parser must not.
    expect(4.35 * 100).not.toBe(435);
    expect(parseDecimal(4.35, 'USD')).toBe(435);
    expect(1.15 * 100).not.toBe(115);
    expect(parseDecimal(1.15, 'USD')).toBe(115);
  });

  it.each([NaN, Infinity, -Infinity, 1.005, 0.001, 1e21, 1e-7])('rejects %d', (value) => {
    expect(() => parseDecimal(value, 'USD')).toThrow(MoneyError);
  });
});

describe('toDecimalString / toDecimalNumber', () => {
  it.each([
    [2050, 'USD', '20.50', 20.5],
    [1, 'USD', '0.01', 0.01],
    [0, 'NOK', '0.00', 0],
    [149950, 'NOK', '1499.50', 1499.5],
    [-5, 'USD', '-0.05', -0.05],
    [-123456, 'NOK', '-1234.56', -1234.56],
    [1500, 'JPY', '1500', 1500],
    [Number.MAX_SAFE_INTEGER, 'USD', '90071992547409.91', 90071992547409.91],
  ])('%i %s → %s / %d', (minor, currency, text, number) => {
    expect(toDecimalString(minor, currency)).toBe(text);
    expect(toDecimalNumber(minor, currency)).toBe(number);
  });

  it.each([1.5, NaN, Infinity, 2 ** 53])('rejects non-integer or unsafe minor amount %d', (value) => {
    expect(() => toDecimalString(value, 'USD')).toThrow(MoneyError);
    expect(() => toDecimalNumber(value, 'USD')).toThrow(MoneyError);
    expect(() => assertMinor(value)).toThrow(MoneyError);
  });
});

describe('formatMoney', () => {
  it('formats USD cents in en-US', () => {
    expect(formatMoney(2050, 'USD')).toBe('$20.50');
    expect(formatMoney(1, 'USD')).toBe('$0.01');
    expect(formatMoney(123456789, 'USD')).toBe('$1,234,567.89');
    expect(normalise(formatMoney(-2050, 'USD'))).toBe('-$20.50');
  });

  it('formats NOK øre in nb-NO with a (narrow) no-break group separator and a decimal comma', () => {
    const text = formatMoney(149950, 'NOK');
    expect(normalise(text)).toContain('1 499,50');
    expect(text).toMatch(/kr/);
    expect(text).not.toContain('1499.5');
    expect(normalise(formatMoney(5, 'NOK'))).toContain('0,05');
    expect(normalise(formatMoney(-149950, 'NOK'))).toContain('-1 499,50');
  });

  it("matches Intl for the same decimal and follows the reader's language", () => {
    const intl = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'NOK', minimumFractionDigits: 2 });
    expect(formatMoney(149950, 'NOK', 'en')).toBe(intl.format(1499.5));
    expect(normalise(formatMoney(185860, 'NOK', 'nb'))).toBe('1 858,60 kr');
    expect(formatMoney(185860, 'USD', 'en')).toBe('$1,858.60');
    expect(normalise(formatMoney(2050, 'USD', 'nb'))).toContain('20,50');
  });

  it('formats amounts beyond float precision of cents exactly', () => {
    // 12345678901234.57 as a double prints ...234.57 only by luck; the digits must come from the integer.
    expect(formatMoney(1234567890123457, 'USD')).toBe('$12,345,678,901,234.57');
    expect(formatMoney(Number.MAX_SAFE_INTEGER, 'USD')).toBe('$90,071,992,547,409.91');
  });
});

describe('currencies', () => {
  it('knows the exponent of the currencies we use', () => {
    expect(currencyExponent('USD')).toBe(2);
    expect(currencyExponent('nok')).toBe(2);
    expect(currencyExponent('JPY')).toBe(0);
  });

  it.each(['XXX', 'BTC', '', 'usdollar'])('unsupported currency %j throws everywhere', (currency) => {
    expect(() => currencyExponent(currency)).toThrow(MoneyError);
    expect(() => parseDecimal('1.00', currency)).toThrow(/Unsupported currency/);
    expect(() => parseDecimal(1, currency)).toThrow(/Unsupported currency/);
    expect(() => toDecimalString(100, currency)).toThrow(/Unsupported currency/);
    expect(() => formatMoney(100, currency)).toThrow(/Unsupported currency/);
  });
});

describe('sumMinor', () => {
  it('adds integers and refuses fractions or overflow', () => {
    expect(sumMinor([1, 2, 3])).toBe(6);
    expect(sumMinor([])).toBe(0);
    expect(() => sumMinor([1, 0.5])).toThrow(MoneyError);
    expect(() => sumMinor([Number.MAX_SAFE_INTEGER, 1])).toThrow(MoneyError);
  });
});

describe('properties (round trips)', () => {
  const minor = fc.integer({ min: -REALISTIC, max: REALISTIC });

  for (const currency of CURRENCIES) {
    it(`${currency}: parseDecimal(toDecimalString(m)) === m`, () => {
      fc.assert(
        fc.property(minor, (m) => {
          const text = toDecimalString(m, currency);
          expect(text).toMatch(/^-?\d+\.\d{2}$/);
          expect(parseDecimal(text, currency)).toBe(m);
        }),
        { numRuns: 5000 },
      );
    });

    it(`${currency}: parseDecimal(toDecimalNumber(m)) === m (JSON number round trip)`, () => {
      fc.assert(
        fc.property(minor, (m) => {
          const number = toDecimalNumber(m, currency);
          // What a provider sends back after JSON serialisation.
          const roundTripped = JSON.parse(JSON.stringify(number)) as number;
          expect(parseDecimal(roundTripped, currency)).toBe(m);
        }),
        { numRuns: 5000 },
      );
    });
  }

  it('any decimal with at most 2 digits parses to whole * 100 + fraction', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 13n }),
        fc.integer({ min: 0, max: 99 }),
        fc.integer({ min: 0, max: 3 }),
        (whole, cents, extraZeros) => {
          const text = `${whole}.${String(cents).padStart(2, '0')}${'0'.repeat(extraZeros)}`;
          expect(parseDecimal(text, 'USD')).toBe(Number(whole * 100n + BigInt(cents)));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('any third significant decimal digit is rejected', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10 ** 9 }),
        fc.integer({ min: 0, max: 99 }),
        fc.integer({ min: 1, max: 9 }),
        (whole, cents, digit) => {
          const text = `${whole}.${String(cents).padStart(2, '0')}${digit}`;
          expect(() => parseDecimal(text, 'NOK')).toThrow(MoneyError);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
