import type { Provider } from '@/db/schema/enums';
import { normalizeKey } from './frontpayment/error-keys';

const CANONICAL: Record<Provider, (code: string) => string> = { forage: (code) => code, frontpayment: normalizeKey };

/**
 * Where a provider's error code is in the `providerErrors` catalogue (messages/<locale>/). Light on
 * purpose: pages, client components included, say a stored code in the reader's language with it.
 */
export const errorCatalogueKey = (provider: Provider, code: string) => `${provider}.codes.${CANONICAL[provider](code)}`;
