import type { Provider } from '@/db/schema/enums';
import { forageProfile } from './forage/profile';
import { frontpaymentProfile } from './frontpayment/profile';
import type { ProviderProfile } from './types';

/**
 * Every provider Refund Desk knows, by id. Adding one: its folder under lib/providers (a profile
 * and a client), a line here and one in lib/providers/index.ts, and its module in the sandbox.
 * Nothing outside lib/providers asks which provider it is talking to; it asks the profile.
 */
const PROFILES = new Map<string, ProviderProfile>([
  [forageProfile.id, forageProfile],
  [frontpaymentProfile.id, frontpaymentProfile],
]);

export function providerProfile(id: Provider | string): ProviderProfile {
  const profile = PROFILES.get(id);
  if (!profile) throw new Error(`unknown provider ${id}`);
  return profile;
}

/** A provider's name for people; the id itself for one this build does not know (old data). */
export const providerLabel = (id: string) => PROFILES.get(id)?.label ?? id;

export const providerProfiles = () => [...PROFILES.values()];

/**
 * Adds a provider at run time. The built-in ones are listed above; tests use this to show a third
 * provider needs nothing outside its own folder (lib/providers/third-provider.test.ts).
 */
export function registerProvider(profile: ProviderProfile) {
  PROFILES.set(profile.id, profile);
}
