/**
 * The languages Refund Desk speaks (issue #13): English, and Norwegian Bokmål for Frontpayment's
 * Norwegian merchants. Plain module: client components, server code and tests read it.
 */
export const LOCALES = ['en', 'nb'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'en';

/** A signed-out visitor's choice (the sign-in page), and a copy of a signed-in user's saved one. */
export const LOCALE_COOKIE = 'rd-locale';

/** Each language by its own name, as a language menu shows it. */
export const LOCALE_NAMES: Record<Locale, string> = { en: 'English', nb: 'Norsk (bokmål)' };

export const isLocale = (value: unknown): value is Locale => (LOCALES as readonly unknown[]).includes(value);

/** The tag Intl formats numbers, money and dates with: "$1,858.60" in en, "1 858,60 kr" in nb. */
export const INTL_LOCALE: Record<Locale, string> = { en: 'en-US', nb: 'nb-NO' };

/** Norwegian in any written form (no, nb, nn) reads Bokmål; English in any region reads en. */
const LANGUAGE_TO_LOCALE: Record<string, Locale> = { en: 'en', nb: 'nb', no: 'nb', nn: 'nb' };

/**
 * The browser's language (an Accept-Language header) as one of ours: the first by preference
 * (q, then order) that we speak, else English. `q=0` means "not this one".
 */
export function negotiateLocale(acceptLanguage: string | null | undefined): Locale {
  if (!acceptLanguage) return DEFAULT_LOCALE;
  const ranked = acceptLanguage
    .split(',')
    .slice(0, 32)
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      const weight = q === undefined ? 1 : Number(q.slice(2));
      return { language: tag.trim().split('-')[0]!.toLowerCase(), weight: Number.isFinite(weight) ? weight : 0, index };
    })
    .filter((entry) => entry.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.index - b.index);
  for (const { language } of ranked) {
    const locale = LANGUAGE_TO_LOCALE[language];
    if (locale) return locale;
  }
  return DEFAULT_LOCALE;
}
