/**
 * Pure helpers the list queries share: how a typed search becomes a LIKE pattern, how UTC days
 * become a time range. No SQL here, so the zod schemas in lib/ can use them too.
 */

/** LIKE wildcards typed by a person are literal characters. */
export function escapeLike(text: string) {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** `to` is inclusive for people; queries want `from <= t < to`, so the end moves to the next UTC midnight. */
export function utcDayRange(days: { from?: string; to?: string }): { from: Date | undefined; to: Date | undefined } {
  const from = days.from ? new Date(`${days.from}T00:00:00.000Z`) : undefined;
  const to = days.to ? new Date(Date.parse(`${days.to}T00:00:00.000Z`) + 86_400_000) : undefined;
  return { from, to };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (value: string | null | undefined): value is string => !!value && UUID.test(value);

/**
 * The audit log's "who" (PRODUCT.md §2.7): a user's id, or an actor that is no person, by the role
 * its events carry — `system` (jobs, scripts), `provider:forage` (webhooks) — or NO_ACCOUNT, a
 * sign-in attempt by an address that has no account (no id, no role).
 */
export const NO_ACCOUNT_ACTOR = 'no-account';
const NON_PERSON_ACTOR = /^(?:system|no-account|provider:[a-z0-9_-]+)$/;
export const isNonPersonActor = (value: string) => NON_PERSON_ACTOR.test(value);
