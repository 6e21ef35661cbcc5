import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, newNonce, oidcFormTargets } from './csp';

const directive = (csp: string, name: string) =>
  csp
    .split('; ')
    .find((part) => part.startsWith(`${name} `))
    ?.split(' ')
    .slice(1);

describe('contentSecurityPolicy', () => {
  it('allows scripts by nonce only; eval only under next dev', () => {
    const csp = contentSecurityPolicy({ nonce: 'abc123==' });
    expect(directive(csp, 'script-src')).toEqual(["'self'", "'nonce-abc123=='", "'strict-dynamic'"]);
    expect(directive(contentSecurityPolicy({ nonce: 'n', dev: true }), 'script-src')).toContain("'unsafe-eval'");
    expect(directive(csp, 'object-src')).toEqual(["'none'"]);
    expect(directive(csp, 'frame-ancestors')).toEqual(["'none'"]);
    expect(directive(csp, 'base-uri')).toEqual(["'self'"]);
    expect(directive(csp, 'form-action')).toEqual(["'self'"]);
  });

  it('lets forms reach the OIDC issuer only when single sign-on is configured', () => {
    expect(oidcFormTargets({})).toEqual([]);
    expect(oidcFormTargets({ AUTH_OIDC_ISSUER: 'https://login.example.com/tenant/v2.0' })).toEqual([]);
    const targets = oidcFormTargets({ AUTH_OIDC_ISSUER: 'https://login.example.com/tenant/v2.0', AUTH_OIDC_CLIENT_ID: 'rd' });
    expect(targets).toEqual(['https://login.example.com']);
    expect(directive(contentSecurityPolicy({ nonce: 'n', formTargets: targets }), 'form-action')).toEqual([
      "'self'",
      'https://login.example.com',
    ]);
    expect(oidcFormTargets({ AUTH_OIDC_ISSUER: 'not a url', AUTH_OIDC_CLIENT_ID: 'rd' })).toEqual([]);
    expect(oidcFormTargets({ AUTH_OIDC_ISSUER: "javascript:alert('x')", AUTH_OIDC_CLIENT_ID: 'rd' })).toEqual([]);
  });

  it('makes a different 128-bit nonce each time', () => {
    const nonces = new Set(Array.from({ length: 100 }, newNonce));
    expect(nonces.size).toBe(100);
    for (const nonce of nonces) expect(Buffer.from(nonce, 'base64')).toHaveLength(16);
  });
});
