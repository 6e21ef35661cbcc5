import { afterEach, describe, expect, it, vi } from 'vitest';
import { callbackChecksumFrom } from '@/sandbox/frontpayment-callbacks';
import { sandboxConfig } from '@/sandbox/config';
import { frontpaymentSettings } from '../config';
import { parseChecksumFormula } from './checksum';

/** Choosing the callback checksum formula (frontpayment.md errata 3), in the app and the sandbox. */

const WITH_AMOUNT = ['orderUuid', 'status', 'createdAt', 'amount', 'timestamp'];
const checksumOf = (env: Record<string, string>) => {
  const settings = frontpaymentSettings({ PROVIDERS: 'sandbox', ...env });
  if (!settings.configured) throw new Error(settings.missing.join(', '));
  return settings.settings.checksum;
};

describe('FRONTPAYMENT_CHECKSUM', () => {
  it('defaults to every parameter in the order received', () => {
    expect(checksumOf({})).toEqual({ kind: 'all-in-order' });
    expect(checksumOf({ FRONTPAYMENT_CHECKSUM: 'all-in-order' })).toEqual({ kind: 'all-in-order' });
  });

  it('takes fields:<list> for the older formulas, and FRONTPAYMENT_CHECKSUM_FIELDS as its synonym', () => {
    expect(checksumOf({ FRONTPAYMENT_CHECKSUM: `fields:${WITH_AMOUNT.join(',')}` })).toEqual({
      kind: 'fields',
      fields: WITH_AMOUNT,
    });
    expect(checksumOf({ FRONTPAYMENT_CHECKSUM: 'fields: orderUuid, status ,createdAt' })).toEqual({
      kind: 'fields',
      fields: ['orderUuid', 'status', 'createdAt'],
    });
    expect(checksumOf({ FRONTPAYMENT_CHECKSUM_FIELDS: WITH_AMOUNT.join(',') })).toEqual({ kind: 'fields', fields: WITH_AMOUNT });
    // Both set: the new variable wins.
    expect(checksumOf({ FRONTPAYMENT_CHECKSUM: 'all-in-order', FRONTPAYMENT_CHECKSUM_FIELDS: 'orderUuid' })).toEqual({
      kind: 'all-in-order',
    });
  });

  it('reports a value it cannot read as a configuration problem, not a silent default', () => {
    for (const value of ['all', 'fields:', 'orderUuid,status']) {
      const settings = frontpaymentSettings({ PROVIDERS: 'sandbox', FRONTPAYMENT_CHECKSUM: value });
      expect(settings.configured, value).toBe(false);
      if (!settings.configured) expect(settings.missing.join(' '), value).toMatch(/FRONTPAYMENT_CHECKSUM/);
    }
    expect(() => parseChecksumFormula('sha1')).toThrow(/not a checksum formula/);
  });
});

describe('SANDBOX_FP_CHECKSUM', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('reads the same values, default the current formula', () => {
    expect(callbackChecksumFrom(undefined, undefined)).toEqual({ kind: 'all-in-order' });
    expect(callbackChecksumFrom('fields:orderUuid,status,createdAt', undefined)).toEqual({
      kind: 'fields',
      fields: ['orderUuid', 'status', 'createdAt'],
    });
    expect(callbackChecksumFrom(undefined, WITH_AMOUNT.join(','))).toEqual({ kind: 'fields', fields: WITH_AMOUNT });
    expect(() => callbackChecksumFrom('md5', undefined)).toThrow(/SANDBOX_FP_CHECKSUM/);
  });

  it('is what the sandbox config uses', () => {
    const dataset = { version: 1, merchants: {}, orders: [] };
    expect(sandboxConfig({ dataset }).frontpayment.checksum).toEqual({ kind: 'all-in-order' });
    vi.stubEnv('SANDBOX_FP_CHECKSUM', 'fields:orderUuid,status,createdAt');
    expect(sandboxConfig({ dataset }).frontpayment.checksum).toEqual({
      kind: 'fields',
      fields: ['orderUuid', 'status', 'createdAt'],
    });
  });
});
