import { describe, expect, it } from 'vitest';
import { demoConflict, demoMode, realProviders } from './mode';
import { REAL_FORAGE_ENV as REAL_FORAGE } from '@/test/deploy';

describe('demo mode', () => {
  it('is the fresh-machine default only: embedded database and sandbox providers', () => {
    expect(demoMode({ PROVIDERS: 'sandbox' })).toBe(true);
    expect(demoMode({ PROVIDERS: 'sandbox', DATABASE_URL: 'postgres://db/x' })).toBe(false);
    expect(demoMode({})).toBe(false);
    expect(demoMode({ DATABASE_URL: 'postgres://db/x', DEMO: '1' })).toBe(true);
    expect(demoMode({ PROVIDERS: 'sandbox', DEMO: '0' })).toBe(false);
  });

  it('knows real credentials from the sandbox', () => {
    expect(realProviders({ PROVIDERS: 'sandbox' })).toEqual([]);
    expect(realProviders(REAL_FORAGE)).toEqual(['Forage']);
  });

  it('refuses to start with active demo accounts, or DEMO=1, beside real providers', () => {
    expect(demoConflict(REAL_FORAGE, ['admin@refund-desk.test'])).toMatch(/Refusing to start/);
    expect(demoConflict({ ...REAL_FORAGE, DEMO: '1' }, [])).toMatch(/Unset DEMO/);
    expect(demoConflict(REAL_FORAGE, [])).toBeNull();
    expect(demoConflict({ PROVIDERS: 'sandbox' }, ['admin@refund-desk.test'])).toBeNull();
  });
});
