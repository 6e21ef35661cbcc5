/**
 * Provider settings from the environment. Production and sandbox differ only in base URLs and
 * credentials. The sandbox's well-known values apply only when `PROVIDERS=sandbox` says so
 * (`npm start` sets it when no real credentials are configured): a deployment that forgot a secret
 * must fail loudly, not send refunds to an emulator.
 */
import { DEFAULT_CHECKSUM, fieldsFormula, parseChecksumFormula, type ChecksumFormula } from './frontpayment/checksum';

type Env = Record<string, string | undefined>;

export const SANDBOX_DEFAULTS = {
  url: 'http://127.0.0.1:4010',
  forage: {
    clientId: 'sandbox-client-id',
    clientSecret: 'sandbox-client-secret',
    merchantAccount: '9000055',
    webhookSecret: 'sandbox-forage-webhook-secret',
  },
  frontpayment: { token: 'sandbox-frontpayment-token', callbackSecret: 'sandbox-frontpayment-secret' },
} as const;

export interface ForageSettings {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  merchantAccount: string;
  webhookSecret: string;
  apiVersion: string;
  timeoutMs: number;
  idempotencyLifetimeMs: number;
  /** The key naming the product in refund_by_product's `products[]` (forage.md errata 3: unconfirmed). */
  productKey: string;
}

export interface FrontpaymentSettings {
  baseUrl: string;
  token: string;
  callbackSecret: string;
  /** Callback checksum formula (frontpayment.md errata 3). */
  checksum: ChecksumFormula;
  timeoutMs: number;
}

export type Settings<T> = { configured: true; sandbox: boolean; settings: T } | { configured: false; missing: string[] };

const read = (env: Env, name: string) => env[name]?.trim() || undefined;

export function usingSandbox(env: Env = process.env) {
  return read(env, 'PROVIDERS') === 'sandbox';
}

/**
 * Reads a provider's required variables (`<PREFIX>_<NAME>`), filling in the sandbox's values when
 * `PROVIDERS=sandbox` and the provider's own key variable is unset. Names what is missing.
 */
function required<K extends string>(env: Env, prefix: string, keyVar: string, fallbacks: Record<K, string>) {
  const sandbox = usingSandbox(env) && !read(env, keyVar);
  const envName = (key: string) => `${prefix}_${key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;
  const values = Object.fromEntries(
    Object.entries<string>(fallbacks).map(([key, fallback]) => [
      key,
      read(env, envName(key)) ?? (sandbox ? fallback : undefined),
    ]),
  ) as Record<K, string | undefined>;
  const missing = Object.entries(values)
    .filter(([, v]) => !v)
    .map(([k]) => envName(k));
  return { sandbox, values: values as Record<K, string>, missing };
}

export function forageSettings(env: Env = process.env): Settings<ForageSettings> {
  const { sandbox, values, missing } = required(env, 'FORAGE', 'FORAGE_CLIENT_ID', {
    baseUrl: read(env, 'SANDBOX_URL') ?? SANDBOX_DEFAULTS.url,
    ...SANDBOX_DEFAULTS.forage,
  });
  if (missing.length) return { configured: false, missing };
  return {
    configured: true,
    sandbox,
    settings: {
      ...values,
      apiVersion: read(env, 'FORAGE_API_VERSION') ?? '2024-03-05',
      timeoutMs: Number(read(env, 'PROVIDER_TIMEOUT_MS') ?? 10_000),
      // forage.md §9: the docs say 10 minutes in one place and 24 hours in another; take the shorter.
      idempotencyLifetimeMs: Number(read(env, 'FORAGE_IDEMPOTENCY_LIFETIME_MS') ?? 10 * 60_000),
      productKey: read(env, 'FORAGE_PRODUCT_KEY') ?? 'upc',
    },
  };
}

export function frontpaymentSettings(env: Env = process.env): Settings<FrontpaymentSettings> {
  const { sandbox, values, missing } = required(env, 'FRONTPAYMENT', 'FRONTPAYMENT_TOKEN', {
    baseUrl: `${read(env, 'SANDBOX_URL') ?? SANDBOX_DEFAULTS.url}/api/v1`,
    ...SANDBOX_DEFAULTS.frontpayment,
  });
  let checksum: ChecksumFormula;
  try {
    checksum = frontpaymentChecksum(env);
  } catch (error) {
    // A typo here would refuse every callback: report the provider as not configured instead.
    missing.push(`a valid FRONTPAYMENT_CHECKSUM (${error instanceof Error ? error.message : String(error)})`);
  }
  if (missing.length) return { configured: false, missing };
  return {
    configured: true,
    sandbox,
    settings: {
      ...values,
      checksum: checksum!,
      timeoutMs: Number(read(env, 'PROVIDER_TIMEOUT_MS') ?? 10_000),
    },
  };
}

/**
 * frontpayment.md errata 3: the callback checksum formula changed over time. `FRONTPAYMENT_CHECKSUM`
 * is `all-in-order` (default: every parameter in the order received) or `fields:<comma list>`;
 * `FRONTPAYMENT_CHECKSUM_FIELDS=<comma list>` still means the same as `fields:<comma list>`.
 */
function frontpaymentChecksum(env: Env): ChecksumFormula {
  const formula = read(env, 'FRONTPAYMENT_CHECKSUM');
  if (formula) return parseChecksumFormula(formula);
  const fields = read(env, 'FRONTPAYMENT_CHECKSUM_FIELDS');
  return fields ? fieldsFormula(fields) : DEFAULT_CHECKSUM;
}
