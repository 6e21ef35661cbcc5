import { readFileSync } from 'node:fs';
import path from 'node:path';
import { callbackChecksumFrom } from './frontpayment-callbacks';
import { DEFAULT_PROFILE, profileSettings } from './profiles';
import type { DemoDataset, SandboxConfig } from './types';

/** Well-known sandbox credentials; the app's defaults match them when no real provider is set. */
export const SANDBOX_CREDENTIALS = {
  forage: {
    clientId: 'sandbox-client-id',
    clientSecret: 'sandbox-client-secret',
    merchantAccount: '9000055',
    webhookSecret: 'sandbox-forage-webhook-secret',
  },
  frontpayment: { token: 'sandbox-frontpayment-token', callbackSecret: 'sandbox-frontpayment-secret' },
} as const;

export function loadDataset(file = process.env.SANDBOX_DATASET || path.join(process.cwd(), 'demo', 'dataset.json')): DemoDataset {
  return JSON.parse(readFileSync(file, 'utf8')) as DemoDataset;
}

const env = (name: string) => process.env[name] || undefined;
const num = (name: string, fallback: number) => (env(name) ? Number(env(name)) : fallback);
/** A `0`/`1` switch: unset → the profile's value; `0` → off; anything else → on (as before profiles). */
const flag = (name: string, fallback: boolean) => (env(name) ? env(name) !== '0' : fallback);

/**
 * The sandbox's settings: the profile (`SANDBOX_PROFILE`, sandbox/profiles.ts; default `default`)
 * gives the errata switches, and each switch set in the environment overrides its profile value.
 * An unknown profile name throws, naming the profiles.
 */
export function sandboxConfig(overrides: Partial<SandboxConfig> = {}): SandboxConfig {
  const profileName = overrides.profile ?? env('SANDBOX_PROFILE') ?? DEFAULT_PROFILE;
  const profile = profileSettings(profileName);
  const base: SandboxConfig = {
    profile: profileName,
    port: num('SANDBOX_PORT', 4010),
    host: env('SANDBOX_HOST') ?? '127.0.0.1',
    dataset: overrides.dataset ?? loadDataset(),
    appUrl: env('SANDBOX_APP_URL') ?? null,
    settleMode: env('SANDBOX_SETTLE_MODE') === 'manual' ? 'manual' : 'auto',
    settleMs: num('SANDBOX_SETTLE_MS', 1500),
    forage: {
      ...SANDBOX_CREDENTIALS.forage,
      idempotencyTtlMs: num('SANDBOX_FORAGE_IDEMPOTENCY_TTL_MS', 10 * 60_000),
      defaultTokenExpiration: 604_800,
      productKey: env('SANDBOX_FORAGE_PRODUCT_KEY') ?? profile.forage.productKey,
      overRefundMode: env('SANDBOX_FORAGE_OVER_REFUND') === 'failed_refund' ? 'failed_refund' : '400',
      settleOutcome: 'succeeded',
      webhookErrorInPayload: flag('SANDBOX_FORAGE_WEBHOOK_ERROR_IN_PAYLOAD', profile.forage.webhookErrorInPayload),
    },
    frontpayment: {
      ...SANDBOX_CREDENTIALS.frontpayment,
      // frontpayment.md errata 3: default the current docs' formula (every parameter, in order).
      checksum:
        env('SANDBOX_FP_CHECKSUM') || env('SANDBOX_FP_CHECKSUM_FIELDS')
          ? callbackChecksumFrom(env('SANDBOX_FP_CHECKSUM'), env('SANDBOX_FP_CHECKSUM_FIELDS'))
          : profile.frontpayment.checksum,
      // Errata 2: revision 1318 and the July 2025 recordings answer the status read with {uuid, status} only.
      statusAmounts: flag('SANDBOX_FP_STATUS_AMOUNTS', profile.frontpayment.statusAmounts),
      // Errata 1: no published revision lists a numeric `id` per order-details line. Kept by
      // default [ASSUME] (the refund page says to take the id from there; refunds need it).
      detailLineIds: flag('SANDBOX_FP_DETAIL_LINE_IDS', profile.frontpayment.detailLineIds),
      // Errata 5: paymentHistory entries are documented as {at, amount}; the capture / charge
      // uuid is kept by default [ASSUME] (reservation refunds must name it as `reference`).
      historyUuids: flag('SANDBOX_FP_HISTORY_UUIDS', profile.frontpayment.historyUuids),
      perRequestThresholdMinor: num('SANDBOX_FP_REQUEST_THRESHOLD_MINOR', 10_000_00),
      weeklyThresholdMinor: num('SANDBOX_FP_WEEKLY_THRESHOLD_MINOR', 50_000_00),
      rateLimit: 240,
      refundCallbacks: env('SANDBOX_FP_REFUND_CALLBACKS') === 'true',
      settleOutcome: 'applied',
      partialRefundStatus: env('SANDBOX_FP_PARTIAL_STATUS') ?? 'PARTIAL REFUNDED',
    },
    webhooks: {
      // Providers retry failed deliveries with exponential backoff over minutes (forage.md errata 4).
      retries: num('SANDBOX_WEBHOOK_RETRIES', 10),
      backoffMs: num('SANDBOX_WEBHOOK_RETRY_BASE_MS', 1000),
      duplicate: false,
      reverseOrder: false,
      staleByMs: 0,
    },
  };
  return { ...base, ...overrides };
}
