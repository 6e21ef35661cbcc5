import { createTranslator } from 'use-intl/core';
import type { Locale } from '@/i18n/locales';
import { formatDateTimeSeconds } from '@/lib/format';
import { MESSAGES } from '@/messages';

export type ChainWordsKey = keyof (typeof MESSAGES)['en']['audit']['chain'];

/**
 * What the chain check says, as a key of `audit.chain` (messages/<locale>/audit.json) and its
 * values, so the same finding reads in the auditor's language on the page and in English in logs,
 * tests and the audit record. A date is an ISO string under `at`; a sentence inside another (a
 * break inside a headline) is itself a Said.
 */
export interface Said {
  key: ChainWordsKey;
  values?: Record<string, string | number | Said>;
}

export function say(said: Said, locale: Locale = 'en'): string {
  const t = createTranslator({ locale, messages: MESSAGES[locale], namespace: 'audit.chain' }) as unknown as (
    key: string,
    values?: Record<string, string | number>,
  ) => string;
  const values = Object.fromEntries(
    Object.entries(said.values ?? {}).map(([name, value]) => [
      name,
      typeof value === 'object' ? say(value, locale) : name === 'at' ? formatDateTimeSeconds(String(value), locale) : value,
    ]),
  );
  return t(said.key, values);
}
