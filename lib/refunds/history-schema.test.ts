import { describe, expect, it } from 'vitest';
import {
  AMOUNT_RANGE_MESSAGE,
  historyExportQuery,
  historyQuery,
  historySearchParams,
  parseHistorySearch,
  searchParamsToRecord,
} from './history-schema';

const AGENT = '0f8fad5b-d9cb-469f-a165-70867728950e';

describe('history URL state', () => {
  it('parses every filter, amounts exactly to minor units', () => {
    const params = historySearchParams.parse({
      from: '2026-11-01',
      to: '2026-11-30',
      status: ['succeeded', 'failed,succeeded'],
      provider: 'frontpayment',
      agent: AGENT,
      reason: 'damaged',
      min: '12.5',
      max: '1000',
      order: ' RD-1000 ',
      currency: 'nok',
      sort: 'amount_asc',
      cursor: 'abc',
    });
    expect(params).toEqual({
      from: '2026-11-01',
      to: '2026-11-30',
      status: ['succeeded', 'failed'],
      provider: 'frontpayment',
      agent: AGENT,
      reason: 'damaged',
      min: 1250,
      max: 100000,
      order: 'RD-1000',
      currency: 'NOK',
      sort: 'amount_asc',
      cursor: 'abc',
    });
    expect(historySearchParams.parse({ min: '0.10', max: '19,99' })).toMatchObject({ min: 10, max: 1999 });
  });

  it('drops what it cannot use on the page instead of failing it', () => {
    const params = historySearchParams.parse({
      from: 'yesterday',
      status: 'bogus',
      provider: 'paypal',
      agent: 'not-a-uuid',
      reason: 'because',
      min: '12.345',
      max: '-5',
      currency: 'EUR',
      sort: 'random',
    });
    expect(params).toEqual({ sort: 'created_desc' });
    expect(historySearchParams.parse({ min: '', status: '', sort: '' })).toEqual({ sort: 'created_desc' });
  });

  it('does not apply a minimum above the maximum and says so, keeping what was typed', () => {
    const { params, amounts, rangeError } = parseHistorySearch({ min: '20', max: '10.5', provider: 'forage' });
    expect(rangeError).toBe(AMOUNT_RANGE_MESSAGE);
    expect(params).toMatchObject({ provider: 'forage', min: undefined, max: undefined });
    expect(amounts).toEqual({ min: '20.00', max: '10.50' });
    expect(parseHistorySearch({ min: '10', max: '10' })).toMatchObject({
      params: { min: 1000, max: 1000 },
      rangeError: undefined,
    });
  });

  it('refuses bad values for the export, naming the field', () => {
    for (const [query, field] of [
      ['status=bogus', 'status'],
      ['min=abc', 'min'],
      ['min=5&max=1', 'max'],
      ['agent=42', 'agent'],
      ['sort=sideways', 'sort'],
      ['from=2026-02-30', 'from'],
    ] as const) {
      const result = historyExportQuery.safeParse(searchParamsToRecord(new URLSearchParams(query)));
      expect(result.success, query).toBe(false);
      expect(result.error!.issues[0]!.path[0], query).toBe(field);
    }
  });

  it('round-trips through the query string the links are built from', () => {
    const params = historySearchParams.parse({ status: ['failed', 'expired'], min: '1.5', order: 'RD-1', sort: 'amount_desc' });
    const query = historyQuery(params);
    expect(query.toString()).toBe('status=failed&status=expired&min=1.50&order=RD-1&sort=amount_desc');
    expect(historySearchParams.parse(searchParamsToRecord(query))).toEqual(params);
    expect(historyQuery(historySearchParams.parse({})).toString()).toBe('');
  });
});
