import 'server-only';
import { createTranslator } from 'use-intl/core';
import { cookies, headers } from 'next/headers';
import { cache } from 'react';
import { DEFAULT_LOCALE, isLocale, LOCALE_COOKIE, negotiateLocale, type Locale } from '@/i18n/locales';
import { getCurrentUser } from '@/lib/auth/session';
import type { SafeError } from '@/lib/errors';
import { MESSAGES } from '@/messages';

/**
 * The language of this request: the signed-in user's saved choice, else the one chosen on this
 * device while signed out (the sign-in page's menu, a cookie), else the browser's
 * (Accept-Language), else English. Cached per request; English outside a request (scripts, jobs).
 */
export const requestLocale = cache(async (): Promise<Locale> => {
  try {
    const user = await getCurrentUser().catch(() => null);
    if (isLocale(user?.locale)) return user.locale;
    const chosen = (await cookies()).get(LOCALE_COOKIE)?.value;
    if (isLocale(chosen)) return chosen;
    return negotiateLocale((await headers()).get('accept-language'));
  } catch {
    return DEFAULT_LOCALE;
  }
});

/** A translator for code outside React (actions, route handlers): same catalogues as the pages. */
export async function serverTranslator<N extends keyof (typeof MESSAGES)['en']>(namespace: N, locale?: Locale) {
  const resolved = locale ?? (await requestLocale());
  return createTranslator({ locale: resolved, messages: MESSAGES[resolved], namespace });
}

type Values = Record<string, string | number | Date>;
type Loose = { has: (key: string) => boolean } & ((key: string, values?: Values) => string);

/**
 * What an action or route handler tells people when it refuses, in their language: a SafeError
 * by its code (`errors.code.<code>`, with its params), a field message that is a key of
 * `errors.field`, the generic sentences. A message with no entry yet is shown as written.
 */
export async function errorWords(locale?: Locale) {
  const t = (await serverTranslator('errors', locale)) as unknown as Loose;
  return {
    safe: (error: SafeError) => (t.has(`code.${error.code}`) ? t(`code.${error.code}`, error.params) : error.message),
    field: (message: string) => (t.has(`field.${message}`) ? t(`field.${message}`) : message),
    invalidInput: () => t('invalidInput'),
    generic: (requestId: string) => t('generic', { requestId }),
  };
}
