import { PROVIDERS } from '@/db/schema/enum-values';
import type { Provider } from '@/db/schema/enums';
import { errorCatalogueKey } from './error-keys';

/** A translator for the `providerErrors` namespace: next-intl's, from the hook or the server. */
export type ProviderErrorsT = {
  (key: string, values?: Record<string, string | number>): string;
  has(key: string): boolean;
};

/**
 * What a provider's error code means and what to do next, in the reader's language
 * (messages/<locale>/providerErrors.json; English is also what the server stores). Null for a code
 * the catalogue does not have. Without a provider, each provider's codes are looked at.
 */
export function knownProviderError(t: ProviderErrorsT, provider: Provider | null, code: string) {
  for (const p of provider ? [provider] : PROVIDERS) {
    const key = errorCatalogueKey(p, code);
    if (t.has(`${key}.message`)) return { message: t(`${key}.message`), action: t(`${key}.action`) };
  }
  return null;
}

/** As knownProviderError, with the provider's sentence for a code it does not know. */
export function providerErrorWords(t: ProviderErrorsT, provider: Provider, code: string) {
  return (
    knownProviderError(t, provider, code) ?? {
      message: t(`${provider}.unknown.message`, { code }),
      action: t(`${provider}.unknown.action`),
    }
  );
}

/**
 * A failed connection test in the reader's language: the provider's code said from the catalogue
 * (with the HTTP status before it), else the English detail as the provider client wrote it.
 */
export function connectionFailureWords(
  t: ProviderErrorsT,
  failure: { provider: Provider; detail: string; code?: string; status?: number },
): string {
  const known = failure.code ? knownProviderError(t, failure.provider, failure.code) : null;
  if (!known) return failure.detail;
  return failure.status ? `HTTP ${failure.status}: ${known.message}` : known.message;
}
