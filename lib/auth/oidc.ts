/**
 * Whether an OIDC sign-in may use the Refund Desk account with that email: the account exists and
 * is active, and the identity provider says the email is verified. An IdP that does not say so
 * (no `email_verified` claim) is not taken at its word: otherwise anyone who can register that
 * address at the IdP would sign in as its owner here. Some IdPs send the claim as a string.
 */
export function oidcSignInAllowed(
  user: { active: boolean } | null | undefined,
  profile: { email_verified?: unknown } | null | undefined,
): boolean {
  const verified = profile?.email_verified === true || profile?.email_verified === 'true';
  return Boolean(user?.active && verified);
}
