import { describe, expect, it } from 'vitest';
import { forageSettings } from '../config';

describe('Forage settings', () => {
  it('products[] key: upc unless FORAGE_PRODUCT_KEY says otherwise (errata 3)', () => {
    const read = (env: Record<string, string>) => {
      const settings = forageSettings({ PROVIDERS: 'sandbox', ...env });
      if (!settings.configured) throw new Error('not configured');
      return settings.settings.productKey;
    };
    expect(read({})).toBe('upc');
    expect(read({ FORAGE_PRODUCT_KEY: ' product_code ' })).toBe('product_code');
  });
});
