import 'server-only';
import type { Provider } from '@/db/schema/enums';
import { SafeError } from '@/lib/errors';
import { forageSettings, frontpaymentSettings, type Settings } from './config';
import { createForageClient } from './forage/client';
import { createFrontpaymentClient } from './frontpayment/client';
import { providerLabel } from './registry';
import type { ProviderClient } from './types';

export class ProviderNotConfiguredError extends SafeError {
  constructor(provider: Provider | string, missing: string[]) {
    super(
      `${providerLabel(provider)} is not configured on this server (missing ${missing.join(', ')}).`,
      'provider_not_configured',
    );
  }
}

interface ClientFactory {
  settings(): Settings<unknown>;
  create(settings: unknown): ProviderClient;
}

const factory = <T>(settings: () => Settings<T>, create: (settings: T) => ProviderClient): ClientFactory => ({
  settings,
  create: (value) => create(value as T),
});

/** How each provider's client is configured and made (the server half of lib/providers/registry.ts). */
const FACTORIES = new Map<string, ClientFactory>([
  ['forage', factory(() => forageSettings(), createForageClient)],
  ['frontpayment', factory(() => frontpaymentSettings(), createFrontpaymentClient)],
]);

const globalForProviders = globalThis as unknown as { __refundDeskProviders?: Map<string, ProviderClient> };

/** A provider's settings as read from the environment (configured or what is missing). */
export function providerSettings(provider: Provider | string): Settings<unknown> {
  const entry = FACTORIES.get(provider);
  if (!entry) return { configured: false, missing: [`a client for ${provider}`] };
  return entry.settings();
}

/**
 * The client for a provider, one per process so that a cached token is shared by every request.
 * Throws a SafeError when the provider has no credentials.
 */
export function getProviderClient(provider: Provider | string): ProviderClient {
  const cache = (globalForProviders.__refundDeskProviders ??= new Map());
  const existing = cache.get(provider);
  if (existing) return existing;
  const entry = FACTORIES.get(provider);
  const config = providerSettings(provider);
  if (!entry || !config.configured) throw new ProviderNotConfiguredError(provider, config.configured ? [] : config.missing);
  const client = entry.create(config.settings);
  cache.set(provider, client);
  return client;
}

export type { ProviderClient } from './types';
