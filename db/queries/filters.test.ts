import { describe, expect, it } from 'vitest';
import { actionMatch } from './audit';
import { escapeLike, isUuid, utcDayRange } from './filters';

describe('audit action filter', () => {
  it('reads a trailing dot or star as a prefix', () => {
    expect(actionMatch('refund.approved')).toEqual({ exact: 'refund.approved' });
    expect(actionMatch('refund.')).toEqual({ prefix: 'refund.' });
    expect(actionMatch('refund.*')).toEqual({ prefix: 'refund.' });
    expect(actionMatch('refund*')).toEqual({ prefix: 'refund' });
  });
});

describe('utcDayRange', () => {
  it('turns UTC days into a half-open range that includes the whole last day', () => {
    expect(utcDayRange({ from: '2026-03-01', to: '2026-03-01' })).toEqual({
      from: new Date('2026-03-01T00:00:00.000Z'),
      to: new Date('2026-03-02T00:00:00.000Z'),
    });
    expect(utcDayRange({ to: '2024-02-29' }).to).toEqual(new Date('2024-03-01T00:00:00.000Z'));
    expect(utcDayRange({})).toEqual({ from: undefined, to: undefined });
  });
});

describe('escapeLike and isUuid', () => {
  it('makes LIKE wildcards literal', () => {
    expect(escapeLike('50%_off\\')).toBe('50\\%\\_off\\\\');
  });

  it('knows a uuid in any case from anything else', () => {
    expect(isUuid('6F1C2B8E-3D4A-4B5C-8D6E-7F8091A2B3C4')).toBe(true);
    expect(isUuid('../admin')).toBe(false);
    expect(isUuid(null)).toBe(false);
  });
});
