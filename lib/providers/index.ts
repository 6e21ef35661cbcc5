import 'server-only';
import type { Provider } from '@/db/schema/enums';
import { SafeError } from '@/lib/errors';
import { forageSettings, frontpaymentSettings } from './config';
import { createForageClient } from './forage/client';
import { createFrontpaymentClient } from './frontpayment/client';
import type { ProviderClient } from './types';

export class ProviderNotConfiguredError extends SafeError {
  constructor(provider: Provider, missing: string[]) {
    super(
      `${provider === 'forage' ? 'Forage' : 'Frontpayment'} is not configured on this server (missing ${missing.join(', ')}).`,
      'provider_not_configured',
    );
  }
}

const globalForProviders = globalThis as unknown as { __refundDeskProviders?: Map<Provider, ProviderClient> };

/**
 * The client for a provider, one per process so that Forage's cached token is shared by every
 * request. Throws a SafeError when the provider has no credentials.
 */
export function getProviderClient(provider: Provider): ProviderClient {
  const cache = (globalForProviders.__refundDeskProviders ??= new Map());
  const existing = cache.get(provider);
  if (existing) return existing;
  let client: ProviderClient;
  if (provider === 'forage') {
    const config = forageSettings();
    if (!config.configured) throw new ProviderNotConfiguredError(provider, config.missing);
    client = createForageClient(config.settings);
  } else {
    const config = frontpaymentSettings();
    if (!config.configured) throw new ProviderNotConfiguredError(provider, config.missing);
    client = createFrontpaymentClient(config.settings);
  }
  cache.set(provider, client);
  return client;
}

export type { ProviderClient } from './types';
