import { describe, expect, it } from 'vitest';
import { oidcSignInAllowed } from './oidc';

describe('an OIDC sign-in linked by email', () => {
  const active = { active: true };

  it('is allowed only when the identity provider says the email is verified', () => {
    expect(oidcSignInAllowed(active, { email_verified: true })).toBe(true);
    expect(oidcSignInAllowed(active, { email_verified: 'true' })).toBe(true);
  });

  it('is refused when the claim is missing or anything but true (it was allowed when missing before)', () => {
    expect(oidcSignInAllowed(active, {})).toBe(false);
    expect(oidcSignInAllowed(active, { email_verified: undefined })).toBe(false);
    expect(oidcSignInAllowed(active, { email_verified: false })).toBe(false);
    expect(oidcSignInAllowed(active, { email_verified: 'false' })).toBe(false);
    expect(oidcSignInAllowed(active, { email_verified: 1 })).toBe(false);
    expect(oidcSignInAllowed(active, null)).toBe(false);
  });

  it('is refused for an unknown or deactivated account, verified or not', () => {
    expect(oidcSignInAllowed(null, { email_verified: true })).toBe(false);
    expect(oidcSignInAllowed({ active: false }, { email_verified: true })).toBe(false);
  });
});
