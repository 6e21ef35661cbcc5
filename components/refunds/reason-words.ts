import { getTranslations } from 'next-intl/server';
import type { Provider } from '@/db/schema/enums';
import { providerErrorWords, type ProviderErrorsT } from '@/lib/providers/error-words';
import { parseFinding } from '@/lib/refunds/findings';
import { reasonText } from './reason-text';

type Translate = Parameters<typeof reasonText>[0];

/**
 * A refund's status reason, a provider's error code and a check's finding for server components, in
 * the request's language.
 */
export async function reasonWords() {
  const [tr, tp] = await Promise.all([getTranslations('refunds.reasons'), getTranslations('providerErrors')]);
  const reasons = tr as unknown as Translate;
  const providerErrors = tp as unknown as ProviderErrorsT;
  return {
    reason: (statusReason: string | null, code: string | null) => reasonText(reasons, providerErrors, statusReason, code),
    /** What a provider's error code means and what to do next. */
    providerError: (provider: Provider, code: string) => providerErrorWords(providerErrors, provider, code),
    /** A check's stored finding in the reader's language (as stored when no template wrote it). */
    finding: (finding: string) => {
      const parsed = parseFinding(finding);
      return parsed ? reasons(`findings.${parsed.key}`, parsed.values) : finding;
    },
  };
}
