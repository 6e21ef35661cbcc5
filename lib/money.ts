import { INTL_LOCALE, type Locale } from '@/i18n/locales';
/**
 * Money is an integer number of minor units (cents, øre) with an ISO 4217 currency code.
 * Providers speak decimals ("20.00" strings at Forage, JSON numbers such as 149.5 at
 * Frontpayment); they are converted exactly here, at the boundary, by string arithmetic —
 * never by multiplying floats.
 */

export interface Money {
  amountMinor: number;
  currency: string;
}

/** Minor-unit exponent per currency. Both our providers use 2 (USD cents, NOK øre). */
const EXPONENTS: Record<string, number> = { USD: 2, NOK: 2, EUR: 2, SEK: 2, DKK: 2, JPY: 0 };

export class MoneyError extends Error {
  override name = 'MoneyError';
}

export function currencyExponent(currency: string): number {
  const exponent = EXPONENTS[currency.toUpperCase()];
  if (exponent === undefined) throw new MoneyError(`Unsupported currency: ${currency}`);
  return exponent;
}

export function assertMinor(amountMinor: number): number {
  if (!Number.isSafeInteger(amountMinor)) {
    throw new MoneyError(`Not an integer amount in minor units: ${amountMinor}`);
  }
  return amountMinor;
}

const DECIMAL = /^(-)?(\d+)(?:\.(\d+))?$/;

/**
 * Parses a provider decimal ("20.00", "4.5", 149.5, 50) into minor units, exactly.
 * More fractional digits than the currency has is an error unless they are zeros ("1.500" USD).
 */
export function parseDecimal(value: string | number, currency: string): number {
  const exponent = currencyExponent(currency);
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new MoneyError(`Not a finite amount: ${value}`);
    // Number#toString gives the shortest decimal that round-trips, so 149.5 → "149.5" exactly;
    // exponent notation only appears for values far outside any real amount.
    text = String(value);
    if (/e/i.test(text)) throw new MoneyError(`Amount out of range: ${value}`);
  } else {
    text = value.trim();
  }
  const match = DECIMAL.exec(text);
  if (!match) throw new MoneyError(`Not a decimal amount: "${String(value)}"`);
  const [, sign, whole = '0', fraction = ''] = match;
  const significant = fraction.replace(/0+$/, '');
  if (significant.length > exponent) {
    throw new MoneyError(`${currency} has ${exponent} decimals; got "${text}"`);
  }
  const digits = whole + fraction.padEnd(exponent, '0').slice(0, exponent);
  const minor = Number(digits.replace(/^0+(?=\d)/, ''));
  if (!Number.isSafeInteger(minor)) throw new MoneyError(`Amount out of range: "${text}"`);
  return sign && minor !== 0 ? -minor : minor;
}

/** Minor units → decimal string with the currency's digits: 2050 USD → "20.50". */
export function toDecimalString(amountMinor: number, currency: string): string {
  assertMinor(amountMinor);
  const exponent = currencyExponent(currency);
  const negative = amountMinor < 0;
  const digits = Math.abs(amountMinor)
    .toString()
    .padStart(exponent + 1, '0');
  const whole = digits.slice(0, digits.length - exponent);
  const fraction = exponent > 0 ? `.${digits.slice(digits.length - exponent)}` : '';
  return `${negative ? '-' : ''}${whole}${fraction}`;
}

/**
 * Minor units → JSON number for APIs that take numbers (Frontpayment `amount`, Forage `amount`).
 * The decimal string is exact and `Number()` of it is the closest double, which serialises back
 * to the same digits.
 */
export function toDecimalNumber(amountMinor: number, currency: string): number {
  return Number(toDecimalString(amountMinor, currency));
}

const CURRENCY_LOCALES: Record<string, string> = { USD: 'en-US', NOK: 'nb-NO' };
const formatters = new Map<string, Intl.NumberFormat>();

/**
 * Formats for people, in the reader's language (i18n/locales.ts `INTL_LOCALE`): 149950 NOK →
 * "1 499,50 kr" in nb, "NOK 1,499.50" in en; 2050 USD → "$20.50" in en, "20,50 USD" in nb.
 * Without a language, the currency's own country's way ("$20.50", "1 499,50 kr").
 */
export function formatMoney(amountMinor: number, currency: string, locale?: Locale): string {
  const exponent = currencyExponent(currency);
  const resolvedLocale = locale ? INTL_LOCALE[locale] : (CURRENCY_LOCALES[currency] ?? 'en-US');
  const key = `${resolvedLocale}|${currency}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.NumberFormat(resolvedLocale, {
      style: 'currency',
      currency,
      minimumFractionDigits: exponent,
      maximumFractionDigits: exponent,
    });
    formatters.set(key, formatter);
  }
  // Intl formats a decimal *string* exactly (no float rounding) since ES2023.
  return formatter.format(toDecimalString(amountMinor, currency) as unknown as number);
}

export function sumMinor(values: Iterable<number>): number {
  let total = 0;
  for (const value of values) total += assertMinor(value);
  return assertMinor(total);
}

/** Parses what a person types in major units ("12.50", "1 499,50" for NOK) into minor units. */
export function parseTypedAmount(text: string, currency: string): number | null {
  let clean = text.replace(/[\s\u00a0\u202f]/g, '');
  if (!clean) return null;
  // nb-NO writes a decimal comma and may group thousands with dots; en-US groups with commas.
  // Only separators followed by exactly three digits are taken as grouping, so "12,50" in USD is
  // refused rather than read as 1250.
  clean =
    currency === 'NOK'
      ? clean.replace(/\.(?=\d{3}(?:[.,]|$))/g, '').replace(',', '.')
      : clean.replace(/,(?=\d{3}(?:[.,]|$))/g, '');
  try {
    return parseDecimal(clean, currency);
  } catch (error) {
    if (error instanceof MoneyError) return null;
    throw error;
  }
}
