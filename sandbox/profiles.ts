import type { SandboxConfig } from './types';

/**
 * Named sandbox profiles: each one a bundle of the switches for the variants the provider notes
 * name (shared/providers/frontpayment.md and forage.md, Errata sections), so that a test or a
 * demo can run against "Frontpayment as of revision 1318" in one word instead of four variables.
 *
 * - At start: `SANDBOX_PROFILE=<name>` (default `default`); an individual switch set in the
 *   environment (`SANDBOX_FP_STATUS_AMOUNTS`, …) still overrides the profile's value.
 * - At run time: `POST /__control/profile {"name": "<name>"}` applies the profile's settings in
 *   full (environment switches do not override a run-time choice); `GET /__control/profile` shows
 *   the active name and its settings; `POST /__control/reset` returns to the start profile.
 *
 * Every profile sets every field of the bundle, so switching from one to another never leaves a
 * setting of the previous one behind.
 */

export interface ProfileSettings {
  frontpayment: Pick<SandboxConfig['frontpayment'], 'statusAmounts' | 'detailLineIds' | 'historyUuids' | 'checksum'>;
  forage: Pick<SandboxConfig['forage'], 'webhookErrorInPayload' | 'productKey'>;
}

export interface SandboxProfile {
  description: string;
  /** Where the variant comes from: the provider note's tag and the page (or recording) it names. */
  source: string;
  settings: ProfileSettings;
}

export const DEFAULT_PROFILE = 'default';

/** The callback checksum formulas of frontpayment.md errata 3 / §8, oldest first. */
type Checksum = SandboxConfig['frontpayment']['checksum'];
export const CHECKSUM_V1: Checksum = { kind: 'fields', fields: ['orderUuid', 'status', 'createdAt'] };
export const CHECKSUM_V2: Checksum = { kind: 'fields', fields: ['orderUuid', 'status', 'createdAt', 'amount', 'timestamp'] };
export const CHECKSUM_CURRENT: Checksum = { kind: 'all-in-order' };

/**
 * `default` follows the current documents where they speak and agree. Where they contradict each
 * other it takes the variant under which refunds work, and says so ([ASSUME]).
 */
const DEFAULT_SETTINGS: ProfileSettings = {
  frontpayment: {
    // [DOC] get-order-status-by-uuid, current revision: orderAmount and refundedAmount.
    statusAmounts: true,
    // [ASSUME] errata 1: the refund page says to take the line id from the order details, whose
    // schema lists none. Refunds need it, so it is there.
    detailLineIds: true,
    // [ASSUME] errata 5: payment history is documented as {at, amount}; a reservation refund must
    // name the capture / charge uuid (refund-reservation), so the entries carry it.
    historyUuids: true,
    // [DOC] notifications-via-callback-url, current text (errata 3).
    checksum: CHECKSUM_CURRENT,
  },
  forage: {
    // [ASSUME] errata 5: the webhook's data schema beyond refund_ref is [INF]; the reason is added
    // (the client reads the refund when it is missing). Kept as the sandbox has always done.
    webhookErrorInPayload: true,
    // [ASSUME] errata 3: the key of a products[] element is unpublished; `upc`.
    productKey: 'upc',
  },
};

function variant(patch: {
  frontpayment?: Partial<ProfileSettings['frontpayment']>;
  forage?: Partial<ProfileSettings['forage']>;
}): ProfileSettings {
  return {
    frontpayment: { ...DEFAULT_SETTINGS.frontpayment, ...patch.frontpayment },
    forage: { ...DEFAULT_SETTINGS.forage, ...patch.forage },
  };
}

export const PROFILES = {
  default: {
    description:
      'The current documents where they speak and agree; where they contradict each other (line ids, history uuids) the variant under which refunds work.',
    source: '[DOC] current pages; [ASSUME] frontpayment.md errata 1 and 5, forage.md errata 3 and 5',
    settings: DEFAULT_SETTINGS,
  },
  'fp-status-without-amounts': {
    description: 'Frontpayment order status is {uuid, status} only: no orderAmount / refundedAmount.',
    source: '[DOC] get-order-status-by-uuid revision 1318; [REC] July 2025 recordings (frontpayment.md errata 2)',
    settings: variant({ frontpayment: { statusAmounts: false } }),
  },
  'fp-details-without-line-ids': {
    description: 'Frontpayment order details list no numeric line `id`, as every published revision shows.',
    source: '[DOC] get-order-details-by-uuid, every revision (frontpayment.md errata 1)',
    settings: variant({ frontpayment: { detailLineIds: false } }),
  },
  'fp-history-without-uuids': {
    description: 'Frontpayment reservation paymentHistory entries are {at, amount}, without the capture / charge uuid.',
    source: '[DOC] get-reservation-details-by-uuid (frontpayment.md errata 5)',
    settings: variant({ frontpayment: { historyUuids: false } }),
  },
  'fp-checksum-v1': {
    description: 'Frontpayment callback checksum sha256(orderUuid . status . createdAt . secret).',
    source: '[DOC] notifications-via-callback-url, oldest revision (frontpayment.md errata 3)',
    settings: variant({ frontpayment: { checksum: CHECKSUM_V1 } }),
  },
  'fp-checksum-v2': {
    description: 'Frontpayment callback checksum sha256(orderUuid . status . createdAt . amount . timestamp . secret).',
    source: '[DOC] notifications-via-callback-url, later revision (frontpayment.md errata 3)',
    settings: variant({ frontpayment: { checksum: CHECKSUM_V2 } }),
  },
  'forage-webhook-status-only': {
    description: 'Forage REFUND_STATUS_UPDATED carries the status only, no last_processing_error.',
    source: '[DOC] webhooks-event-reference payload (forage.md errata 5)',
    settings: variant({ forage: { webhookErrorInPayload: false } }),
  },
  'as-documented': {
    description:
      'Every schema exactly as published, no assumption filled in: no line ids, no history uuids, status-only Forage webhooks. No Frontpayment refund can be sent under it.',
    source:
      '[DOC] get-order-details-by-uuid, get-reservation-details-by-uuid, webhooks-event-reference (errata 1, 5; forage errata 5)',
    settings: variant({
      frontpayment: { detailLineIds: false, historyUuids: false },
      forage: { webhookErrorInPayload: false },
    }),
  },
} satisfies Record<string, SandboxProfile>;

export type ProfileName = keyof typeof PROFILES;

export const PROFILE_NAMES = Object.keys(PROFILES) as ProfileName[];

export const isProfileName = (name: unknown): name is ProfileName =>
  typeof name === 'string' && Object.prototype.hasOwnProperty.call(PROFILES, name);

export class UnknownProfileError extends Error {
  override name = 'UnknownProfileError';
  constructor(readonly requested: string) {
    super(`Unknown sandbox profile "${requested}"; the profiles are: ${PROFILE_NAMES.join(', ')}`);
  }
}

export function profile(name: string): SandboxProfile {
  if (!isProfileName(name)) throw new UnknownProfileError(name);
  return PROFILES[name];
}

/** A deep copy of a profile's settings, safe to put into a config that is mutated later. */
export function profileSettings(name: string): ProfileSettings {
  return structuredClone(profile(name).settings);
}

/** The bundle's fields as a config holds them now. */
export function currentSettings(config: SandboxConfig): ProfileSettings {
  const { statusAmounts, detailLineIds, historyUuids, checksum } = config.frontpayment;
  const { webhookErrorInPayload, productKey } = config.forage;
  return structuredClone({
    frontpayment: { statusAmounts, detailLineIds, historyUuids, checksum },
    forage: { webhookErrorInPayload, productKey },
  });
}

/** Applies a profile's settings in full, and makes it the active profile. */
export function applyProfile(config: SandboxConfig, name: string) {
  const settings = profileSettings(name);
  Object.assign(config.frontpayment, settings.frontpayment);
  Object.assign(config.forage, settings.forage);
  config.profile = name;
}

/**
 * What `GET /__control/profile` answers: the active profile, the settings in force, and the
 * fields where they differ from the profile's (an environment switch at start, or
 * `POST /__control/config` since).
 */
export function describeProfile(config: SandboxConfig) {
  const active = profile(config.profile);
  const settings = currentSettings(config);
  const overrides: Record<string, unknown> = {};
  for (const provider of ['frontpayment', 'forage'] as const) {
    const wanted = active.settings[provider] as Record<string, unknown>;
    const actual = settings[provider] as Record<string, unknown>;
    for (const key of Object.keys(wanted)) {
      if (JSON.stringify(actual[key]) !== JSON.stringify(wanted[key])) overrides[`${provider}.${key}`] = actual[key];
    }
  }
  return {
    name: config.profile,
    description: active.description,
    source: active.source,
    settings,
    overrides,
    profiles: PROFILE_NAMES,
  };
}
