import { describe, expect, it } from 'vitest';
import { orderFromDetails, orderFromReservation, ResponseShapeError } from './orders';

/** The order read models → ProviderOrder, for the shapes the published docs give (frontpayment.md errata). */

const line = (extra: Record<string, unknown> = {}) => ({
  name: 'Kaffe',
  productId: 'SKU-1',
  quantity: 2,
  rate: 49.9,
  discount: 0,
  tax: 15,
  amount: 99.8,
  ...extra,
});

const details = (productList: unknown[], extra: Record<string, unknown> = {}) => ({
  type: 'regular',
  orderUuid: 'ODR1000000001',
  status: 'PAID',
  productList,
  orderSummary: { subTotal: 0, tax: 0, discount: 0, grandTotal: 199.6 },
  customerDetails: { uuid: 'CSRT1', name: 'Kari', email: 'kari@example.no' },
  ...extra,
});

const STATUS = { uuid: 'ODR1000000001', status: 'PAID', orderAmount: 199.6, refundedAmount: 0 };

describe('orderFromDetails', () => {
  it('keeps Frontpayment line ids where given (numbers or digit strings)', () => {
    const order = orderFromDetails('ODR1000000001', details([line({ id: 11 }), line({ id: '12' })]), STATUS);
    expect(order.lines.map((l) => l.providerLineId)).toEqual(['11', '12']);
    expect(order.lineIdsKnown).toBe(true);
  });

  it('imports lines without ids as line-<position>, and says the ids are unknown (errata 1)', () => {
    const order = orderFromDetails('ODR1000000001', details([line(), line({ name: 'Te' })]), STATUS);
    expect(order.lines).toEqual([
      {
        providerLineId: 'line-1',
        productId: 'SKU-1',
        name: 'Kaffe',
        unitPriceMinor: 4990,
        quantity: 2,
        taxRateBp: 1500,
        eligibility: null,
      },
      {
        providerLineId: 'line-2',
        productId: 'SKU-1',
        name: 'Te',
        unitPriceMinor: 4990,
        quantity: 2,
        taxRateBp: 1500,
        eligibility: null,
      },
    ]);
    expect(order.lineIdsKnown).toBe(false);
    // One line without an id is enough.
    expect(orderFromDetails('ODR1000000001', details([line({ id: 11 }), line()]), STATUS).lineIdsKnown).toBe(false);
  });

  it('tolerates an order type the docs do not name, or none: imported as a regular order', () => {
    for (const type of ['terminal', undefined]) {
      const order = orderFromDetails('ODR1000000001', details([line({ id: 11 })], { type }), STATUS);
      expect(order).toMatchObject({ kind: 'regular', providerStatus: 'PAID' });
      expect(order.lines).toHaveLength(1);
    }
  });

  it('reads the customer from customerDetails.uuid, and still from customerUuid (errata 4)', () => {
    expect(orderFromDetails('ODR1000000001', details([line()]), STATUS).customer.providerCustomerId).toBe('CSRT1');
    const older = details([line()], { customerDetails: { customerUuid: 'CSRT2', name: 'Ola' } });
    expect(orderFromDetails('ODR1000000001', older, STATUS).customer.providerCustomerId).toBe('CSRT2');
  });

  it('imports with a status of {uuid, status} only (errata 2)', () => {
    const order = orderFromDetails('ODR1000000001', details([line()]), { uuid: 'ODR1000000001', status: 'PARTIAL REFUNDED' });
    expect(order).toMatchObject({
      providerStatus: 'PARTIAL REFUNDED',
      payments: [{ ref: 'PAY1000000001', tender: 'regular', amountMinor: 19960 }],
      refundedMinor: 0,
      refundedMinorKnown: false,
    });
    const noSummary = details([line()], { orderSummary: undefined });
    expect(orderFromDetails('ODR1000000001', noSummary, { status: 'REFUNDED' })).toMatchObject({
      payments: [{ amountMinor: 9980 }],
      refundedMinor: 9980,
      refundedMinorKnown: false,
    });
    expect(orderFromDetails('ODR1000000001', details([line()]), { ...STATUS, refundedAmount: 10 })).toMatchObject({
      refundedMinor: 1000,
      refundedMinorKnown: true,
    });
    expect(() => orderFromDetails('ODR1000000001', details([line()]), { ...STATUS, refundedAmount: 'lots' })).toThrow(
      ResponseShapeError,
    );
  });

  it('keeps a fractional quantity as one line at its charged amount (errata 5)', () => {
    const order = orderFromDetails('ODR1000000001', details([line({ id: 7, quantity: 1.5, rate: 45.9, amount: 68.85 })]), STATUS);
    expect(order.lines[0]).toMatchObject({
      providerLineId: '7',
      name: 'Kaffe (quantity 1.5)',
      unitPriceMinor: 6885,
      quantity: 1,
    });
    expect(() => orderFromDetails('ODR1000000001', details([line({ quantity: 0.333, amount: undefined })]), STATUS)).toThrow(
      /fractional quantity and no amount/,
    );
    expect(() => orderFromDetails('ODR1000000001', details([line({ quantity: -1 })]), STATUS)).toThrow(/quantity is invalid/);
  });

  it('keeps a discounted line whose amount does not split into whole øre per unit as one line at its amount', () => {
    // 3 × 49,90 kr with a discount: 100,00 kr charged. At 49,90 kr a unit it would offer 149,70 kr.
    const order = orderFromDetails('ODR1000000001', details([line({ id: 8, quantity: 3, amount: 100, discount: 49.7 })]), STATUS);
    expect(order.lines[0]).toMatchObject({ name: 'Kaffe (quantity 3)', unitPriceMinor: 10000, quantity: 1 });
    // One that does split keeps its units.
    const even = orderFromDetails('ODR1000000001', details([line({ id: 9, quantity: 3, amount: 120 })]), STATUS);
    expect(even.lines[0]).toMatchObject({ name: 'Kaffe', unitPriceMinor: 4000, quantity: 3 });
    const noAmount = orderFromDetails('ODR1000000001', details([line({ id: 9, quantity: 3, amount: undefined })]), STATUS);
    expect(noAmount.lines[0]).toMatchObject({ unitPriceMinor: 4990, quantity: 3 });
  });
});

describe('orderFromReservation', () => {
  const reservation = (history: Record<string, unknown[]>) => ({
    reservationUuid: 'RES1000000001',
    status: 'CAPTURED',
    productList: [line({ id: 1, quantity: 1.5, rate: 45.9, amount: 68.85, reserved: 1.5, captured: 1.5 })],
    paymentDetails: { capturedAmount: 68.85, amountRefunded: { fromCaptured: 0, fromCharge: 0 } },
    paymentHistory: history,
    customerDetails: { uuid: 'CSRT3' },
  });

  it('reads payment history entries of {at, amount}: a stable ref from position and time (errata 5)', () => {
    const data = reservation({
      reserved: [{ at: '2026-01-10T10:00:00Z', amount: 68.85 }],
      captured: [
        { at: '2026-01-10T11:00:00Z', amount: 50 },
        { at: '2026-01-10T12:00:00Z', amount: 18.85 },
      ],
      charged: [{ at: '2026-01-11T12:00:00Z', amount: 10 }],
    });
    const order = orderFromReservation('RES1000000001', data);
    expect(order.payments).toEqual([
      { ref: 'captured-1-1768042800', tender: 'captured', amountMinor: 5000 },
      { ref: 'captured-2-1768046400', tender: 'captured', amountMinor: 1885 },
      { ref: 'charged-1-1768132800', tender: 'charged', amountMinor: 1000 },
    ]);
    expect(orderFromReservation('RES1000000001', structuredClone(data)).payments).toEqual(order.payments);
    expect(order.lines[0]).toMatchObject({ unitPriceMinor: 6885, quantity: 1 });
    expect(order.customer.providerCustomerId).toBe('CSRT3');
  });

  it('keeps a uuid where an entry has one', () => {
    const order = orderFromReservation(
      'RES1000000001',
      reservation({ captured: [{ uuid: 'CAP1', at: '2026-01-10T11:00:00Z', amount: 50 }] }),
    );
    expect(order.payments).toEqual([{ ref: 'CAP1', tender: 'captured', amountMinor: 5000 }]);
  });
});
