import { PROVIDERS, type Provider } from '@/db/schema/enum-values';
import { providerLabel } from './registry';

/**
 * Each provider's name, from its profile (./registry.ts). For server components: the profiles hold
 * each provider's error tables too, so client components get names as props instead.
 */
export const PROVIDER_LABELS = Object.fromEntries(PROVIDERS.map((p) => [p, providerLabel(p)])) as Record<Provider, string>;
