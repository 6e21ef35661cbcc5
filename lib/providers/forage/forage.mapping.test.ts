import { describe, expect, it } from 'vitest';
import { orderSchema, parseForageTime, refundSchema, toProviderOrder, toRefundInfo, withTax } from './mapping';

/** forage.md errata 6: timestamps come in more than one shape; one bad one never fails a response. */

describe('parseForageTime', () => {
  const iso = (value: unknown) => parseForageTime(value)?.toISOString() ?? null;

  it('reads microseconds with an offset', () => {
    expect(iso('2025-03-04T10:15:06.698516-08:00')).toBe('2025-03-04T18:15:06.698Z');
  });

  it('reads the documented "…000000Z-07:00" example, taking the offset', () => {
    expect(iso('2023-11-08T10:57:31.000000Z-07:00')).toBe('2023-11-08T17:57:31.000Z');
  });

  it('reads UTC with Z, with or without fractions, and positive offsets', () => {
    expect(iso('2025-03-04T18:15:06Z')).toBe('2025-03-04T18:15:06.000Z');
    expect(iso('2025-03-04T18:15:06.1Z')).toBe('2025-03-04T18:15:06.100Z');
    expect(iso('2025-03-04T18:15:06.123456789z')).toBe('2025-03-04T18:15:06.123Z');
    expect(iso('2025-03-05T03:15:06.5+09:00')).toBe('2025-03-04T18:15:06.500Z');
    expect(iso('2025-03-04T18:15:06+00:00')).toBe('2025-03-04T18:15:06.000Z');
  });

  it('reads an offset without a colon or minutes, a space instead of T, no seconds, a bare date', () => {
    expect(iso('2025-03-04T10:15:06-0800')).toBe('2025-03-04T18:15:06.000Z');
    expect(iso('2025-03-04T10:15:06-08')).toBe('2025-03-04T18:15:06.000Z');
    expect(iso('2025-03-04 10:15:06.698516-08:00')).toBe('2025-03-04T18:15:06.698Z');
    expect(iso('2025-03-04T18:15Z')).toBe('2025-03-04T18:15:00.000Z');
    expect(iso('2025-03-04')).toBe('2025-03-04T00:00:00.000Z');
  });

  it('reads a timestamp without an offset as UTC, whatever the host time zone', () => {
    expect(iso('2025-03-04T18:15:06.698516')).toBe('2025-03-04T18:15:06.698Z');
  });

  it('gives null, never throws, for anything else', () => {
    for (const bad of [
      '',
      'yesterday',
      '2025-13-01T00:00:00Z',
      '2025-02-30T00:00:00Z',
      '2025-03-04T25:00:00Z',
      '2025-03-04T10:15:06+99:00',
      1741112106,
      null,
      undefined,
      {},
    ]) {
      expect(iso(bad)).toBeNull();
    }
  });
});

describe('one bad timestamp never fails a whole response', () => {
  const refund = {
    ref: '4c1e9a72bd',
    payment: 'f587edf124',
    funding_type: 'ebt_snap',
    amount: '4.99',
    status: 'succeeded',
    last_processing_error: null,
  };

  it('a refund with an unreadable or non-string `updated` is still read, with no updatedAt', () => {
    for (const updated of ['not a time', 1741112106, { at: 'now' }, null]) {
      const parsed = refundSchema.safeParse({ ...refund, updated });
      expect(parsed.success).toBe(true);
      expect(toRefundInfo(parsed.data!)).toMatchObject({ ref: refund.ref, amountMinor: 499, updatedAt: null });
    }
    const odd = refundSchema.parse({ ...refund, updated: '2023-11-08T10:57:31.000000Z-07:00' });
    expect(toRefundInfo(odd).updatedAt?.toISOString()).toBe('2023-11-08T17:57:31.000Z');
  });

  it('an order with an unreadable `success_date` is still read, with no placedAt', () => {
    const parsed = orderSchema.safeParse({
      ref: 'e0f7607d5f',
      status: 'succeeded',
      product_list: [{ name: 'Milk', upc: '860', unit_price: '4.49', quantity: 1, tax_rate: '0.000000', eligibility: 'snap' }],
      payments: [],
      refunds: [],
      success_date: 20250304,
    });
    expect(parsed.success).toBe(true);
    expect(toProviderOrder(parsed.data!, [], [], null).placedAt).toBeNull();
  });
});

/** forage.md errata 2: `unit_price` is before tax; what the customer paid, and can get back, includes it. */
describe('tax on Forage lines', () => {
  it('adds tax per unit, rounded half up to the cent, in integers', () => {
    expect(withTax(1118, 725)).toBe(1199); // 11.18 × 1.0725 = 11.99055
    expect(withTax(652, 725)).toBe(699); // 6.52 × 1.0725 = 6.9927
    expect(withTax(200, 725)).toBe(215); // 2.145 → 2.15: half up
    expect(withTax(449, 0)).toBe(449);
  });

  it('prices an imported line at what the customer paid per unit', () => {
    const parsed = orderSchema.safeParse({
      ref: 'e0f7607d5f',
      status: 'succeeded',
      product_list: [
        { name: 'Paper towels', upc: '407', unit_price: '11.18', quantity: 2, tax_rate: '0.072500', eligibility: 'non_ebt' },
        { name: 'Milk', upc: '860', unit_price: '4.49', quantity: 1, tax_rate: '0.000000', eligibility: 'snap' },
      ],
      payments: [],
      refunds: [],
    });
    const lines = toProviderOrder(parsed.data!, [], [], null).lines;
    expect(lines.map((l) => [l.providerLineId, l.unitPriceMinor, l.taxRateBp])).toEqual([
      ['407', 1199, 725],
      ['860', 449, 0],
    ]);
  });
});
