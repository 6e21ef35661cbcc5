import { describe, expect, it } from 'vitest';
import { forageSettings, frontpaymentSettings, SANDBOX_DEFAULTS } from './config';

describe('provider settings', () => {
  it('are not configured without credentials unless PROVIDERS=sandbox, and name what is missing', () => {
    const forage = forageSettings({});
    expect(forage.configured).toBe(false);
    if (!forage.configured)
      expect(forage.missing).toEqual(
        expect.arrayContaining(['FORAGE_BASE_URL', 'FORAGE_CLIENT_ID', 'FORAGE_CLIENT_SECRET', 'FORAGE_WEBHOOK_SECRET']),
      );
    expect(frontpaymentSettings({}).configured).toBe(false);
  });

  it('use the sandbox values only when asked to', () => {
    const forage = forageSettings({ PROVIDERS: 'sandbox', SANDBOX_URL: 'http://127.0.0.1:4999' });
    expect(forage).toMatchObject({
      configured: true,
      sandbox: true,
      settings: { baseUrl: 'http://127.0.0.1:4999', clientSecret: SANDBOX_DEFAULTS.forage.clientSecret },
    });
    const fp = frontpaymentSettings({ PROVIDERS: 'sandbox' });
    expect(fp).toMatchObject({
      configured: true,
      settings: { baseUrl: `${SANDBOX_DEFAULTS.url}/api/v1`, token: SANDBOX_DEFAULTS.frontpayment.token },
    });
  });

  it('never mix real credentials with sandbox secrets', () => {
    const forage = forageSettings({ PROVIDERS: 'sandbox', FORAGE_CLIENT_ID: 'real-id' });
    expect(forage.configured).toBe(false);
    if (!forage.configured) expect(forage.missing).toContain('FORAGE_CLIENT_SECRET');
  });
});
