import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { createTranslator } from 'next-intl';
import { describe, expect, it } from 'vitest';
import { knownProviderError, providerErrorWords, type ProviderErrorsT } from '@/lib/providers/error-words';
import { reasonText } from '@/components/refunds/reason-text';
import { FORAGE_ERROR_CODES, describeForageError } from '@/lib/providers/forage/errors';
import { describeFrontpaymentError } from '@/lib/providers/frontpayment/errors';
import { concludedNoMoneyMoved, findingSentence, parseFinding, type FindingKey } from '@/lib/refunds/findings';
import { MESSAGES } from './index';

/**
 * Words the server writes reach people in their language (issue #13): every refusal a server action
 * can give has a catalogue entry, a provider's refusal is said from its code, and what a check of
 * the provider found (stored in English) is read back into the reader's language.
 */

const ROOT = path.join(__dirname, '..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sources(full);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [full] : [];
  });
}

/** The code (second argument) of every `new SafeError(…)` whose code is written as a literal. */
function safeErrorCodes(): Map<string, string> {
  const codes = new Map<string, string>();
  for (const file of [...sources(path.join(ROOT, 'lib')), ...sources(path.join(ROOT, 'app'))]) {
    const text = readFileSync(file, 'utf8');
    for (const start of text.matchAll(/new SafeError\(/g)) {
      let depth = 1;
      let quote: string | null = null;
      let argument = 0;
      let current = '';
      for (let i = start.index + start[0].length; i < text.length && depth > 0; i += 1) {
        const ch = text[i]!;
        if (quote) {
          if (ch === '\\') i += 1;
          else if (ch === quote) quote = null;
          if (argument === 1) current += ch;
          continue;
        }
        if (`'"\``.includes(ch)) quote = ch;
        else if ('([{'.includes(ch)) depth += 1;
        else if (')]}'.includes(ch)) depth -= 1;
        else if (ch === ',' && depth === 1) {
          argument += 1;
          continue;
        }
        if (argument === 1 && depth > 0) current += ch;
      }
      const literal = /^\s*'([a-z_]+)'\s*$/.exec(current);
      if (literal) codes.set(literal[1]!, path.relative(ROOT, file));
    }
  }
  return codes;
}

const nb = createTranslator({ locale: 'nb', messages: MESSAGES.nb });
const en = createTranslator({ locale: 'en', messages: MESSAGES.en });
const translators = (t: typeof nb) => ({
  reasons: ((key: string, values?: Record<string, string>) =>
    (t as unknown as (k: string, v?: Record<string, string>) => string)(`refunds.reasons.${key}`, values)) as Parameters<
    typeof reasonText
  >[0],
  providerErrors: Object.assign(
    (key: string, values?: Record<string, string | number>) =>
      (t as unknown as (k: string, v?: Record<string, string | number>) => string)(`providerErrors.${key}`, values),
    { has: (key: string) => (t as unknown as { has: (k: string) => boolean }).has(`providerErrors.${key}`) },
  ) as ProviderErrorsT,
});

describe('words the server writes', () => {
  it('every code a server action can refuse with has words in the catalogue', () => {
    const codes = safeErrorCodes();
    expect(codes.size).toBeGreaterThan(20);
    const catalogue = MESSAGES.en.errors.code as Record<string, string>;
    expect([...codes].filter(([code]) => !(code in catalogue)).map(([code, file]) => `${code} (${file})`)).toEqual([]);
  });

  it("a provider's refusal is said from its code, in Norwegian too; the English is what the server stores", () => {
    const { reasons, providerErrors } = translators(nb);
    const english = translators(en);
    for (const code of FORAGE_ERROR_CODES.filter((c) => !['timeout', 'network', 'server_error'].includes(c))) {
      const stored = describeForageError(code).message;
      expect(reasonText(english.reasons, english.providerErrors, stored, code)).toBe(stored);
      const norwegian = reasonText(reasons, providerErrors, stored, code);
      expect(norwegian).toBe(MESSAGES.nb.providerErrors.forage.codes[code].message);
      expect(norwegian).not.toBe(stored);
    }
    // Frontpayment's other spelling of a key, and a key nobody knows.
    expect(knownProviderError(providerErrors, 'frontpayment', 'Something Went Wrong')?.message).toBe(
      MESSAGES.nb.providerErrors.frontpayment.codes.somethingWentWrong.message,
    );
    expect(describeFrontpaymentError('bogusKey').message).toBe(
      'Frontpayment answered with an error Refund Desk does not know (bogusKey).',
    );
    expect(providerErrorWords(providerErrors, 'frontpayment', 'bogusKey').message).toBe(
      'Frontpayment svarte med en feil Refund Desk ikke kjenner (bogusKey).',
    );
    // A provider's own sentence (no code) is shown as it came.
    expect(reasonText(reasons, providerErrors, 'Card declined by issuer', null)).toBe('Card declined by issuer');
  });

  it('every finding a check can store is read back and said in Norwegian', () => {
    const values = {
      provider: 'Frontpayment',
      total: 'NOK 1,858.60',
      amount: 'NOK 300.00',
      note: 'Checked — the portal shows (1) refund.',
      code: 'orderNotFound',
    };
    for (const key of Object.keys(MESSAGES.en.refunds.reasons.findings) as FindingKey[]) {
      const stored = findingSentence(key, values);
      const parsed = parseFinding(stored);
      expect(parsed?.key, stored).toBe(key);
      expect(findingSentence(key, parsed!.values)).toBe(stored);
      const norwegian = (nb as unknown as (k: string, v: Record<string, string>) => string)(
        `refunds.reasons.findings.${key}`,
        parsed!.values,
      );
      expect(norwegian).not.toBe(stored);
      for (const value of Object.values(parsed!.values)) expect(norwegian).toContain(value);
    }
    expect(parseFinding('Something a person wrote')).toBeNull();
  });

  it('a conclusion is red when no money moved, by its template, whatever a person wrote in its note', () => {
    const moved = (key: FindingKey, note = 'Seen in the portal.') =>
      concludedNoMoneyMoved(findingSentence(key, { provider: 'Forage', code: 'orderNotFound', note }));
    expect(moved('notApplied')).toBe(true);
    expect(moved('byHandNotApplied')).toBe(true);
    // Was green: its words never said "did not".
    expect(moved('keyRefused')).toBe(true);
    expect(moved('applied')).toBe(false);
    expect(moved('keyAnswered')).toBe(false);
    // Was red: the agent's note said "did not".
    expect(moved('byHandApplied', 'The customer did not get a receipt, but the portal shows the refund.')).toBe(false);
  });
});
