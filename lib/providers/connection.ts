import 'server-only';
import type { Provider } from '@/db/schema/enums';
import { getProviderClient, providerSettings } from './index';

/** What an admin may see of a provider's configuration: never a secret, only where it points. */
export function describeProviderConfig(provider: Provider) {
  const config = providerSettings(provider);
  if (!config.configured) return { configured: false as const, missing: config.missing };
  return {
    configured: true as const,
    sandbox: config.sandbox,
    host: new URL((config.settings as { baseUrl: string }).baseUrl).host,
  };
}

export type ConnectionTest =
  | { provider: Provider; ok: true; latencyMs: number; testedAt: string }
  | {
      provider: Provider;
      ok: false;
      latencyMs: number | null;
      /** In English, for the audit record and logs; `code` (and `status`) let a page say it in words. */
      detail: string;
      code?: string;
      status?: number;
      testedAt: string;
    };

/** One authenticated, read-only call to the provider (the same one the health check makes). */
export async function testProviderConnection(provider: Provider): Promise<ConnectionTest> {
  const testedAt = new Date().toISOString();
  let client;
  try {
    client = getProviderClient(provider);
  } catch (error) {
    return { provider, ok: false, latencyMs: null, detail: (error as Error).message, testedAt };
  }
  try {
    const result = await client.ping();
    return result.ok
      ? { provider, ok: true, latencyMs: result.latencyMs, testedAt }
      : {
          provider,
          ok: false,
          latencyMs: result.latencyMs,
          detail: result.detail ?? 'The provider refused the call.',
          ...(result.code ? { code: result.code } : {}),
          ...(result.status ? { status: result.status } : {}),
          testedAt,
        };
  } catch {
    return { provider, ok: false, latencyMs: null, detail: 'The call failed before the provider answered.', testedAt };
  }
}
