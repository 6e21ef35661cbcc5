import type { CheckedProvider } from './report';

/**
 * Where a base URL points: the provider's own test environment, a sandbox on this machine, its
 * production host, or somewhere unknown. A test refund goes only to the first two.
 */
export type HostKind = 'test' | 'loopback' | 'production' | 'unknown';

/** forage.md §1; frontpayment.md §1. */
const HOSTS: Record<CheckedProvider, { test: string[]; production: string[] }> = {
  forage: { test: ['api.sandbox.joinforage.app'], production: ['api.joinforage.app'] },
  frontpayment: { test: ['demo-api.frontpayment.no'], production: ['apigo.frontpayment.no'] },
};

export function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

export function hostKind(provider: CheckedProvider, baseUrl: string): { host: string; kind: HostKind } {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return { host: baseUrl, kind: 'unknown' };
  }
  const host = url.hostname.toLowerCase();
  if (isLoopback(host)) return { host: url.host, kind: 'loopback' };
  if (HOSTS[provider].test.includes(host)) return { host: url.host, kind: 'test' };
  if (HOSTS[provider].production.includes(host)) return { host: url.host, kind: 'production' };
  return { host: url.host, kind: 'unknown' };
}

export const HOST_KIND_LABEL: Record<HostKind, string> = {
  test: "the provider's test environment",
  loopback: 'a sandbox on this machine',
  production: 'PRODUCTION',
  unknown: 'a host not known as a test host',
};

/** Why a test refund may not go to this base URL, or null when it may. */
export function testRefundRefusal(provider: CheckedProvider, label: string, baseUrl: string): string | null {
  const { host, kind } = hostKind(provider, baseUrl);
  if (kind === 'test' || kind === 'loopback') return null;
  const allowed = [...HOSTS[provider].test, 'a loopback sandbox (127.0.0.1, localhost)'].join(' or ');
  return (
    `Refusing to send a test refund: ${label}'s base URL points at ${host}, ${HOST_KIND_LABEL[kind]}. ` +
    `Test refunds go only to ${allowed}. Nothing was sent.`
  );
}
