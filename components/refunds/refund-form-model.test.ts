import { describe, expect, it } from 'vitest';
import type { RefundFormData } from '@/lib/refunds/types';
import {
  approvalChecks,
  emptyLine,
  mapServerErrors,
  resolveLines,
  selectedLine,
  tenderSplit,
  toDrafts,
  totalOf,
  validate,
  withQuantity,
  type LineState,
} from './refund-form-model';
import { parseTypedAmount } from '@/lib/money';

const forage: RefundFormData = {
  orderId: '00000000-0000-4000-8000-000000000001',
  orderNumber: 'RD-100001',
  provider: 'forage',
  kind: 'forage',
  currency: 'USD',
  customerName: 'Maria Lopez',
  blocker: null,
  lines: [
    line('milk', 449, 1, 'ebt_snap', 'EBT SNAP'),
    line('bananas', 69, 3, 'ebt_snap', 'EBT SNAP'),
    line('towels', 1199, 1, 'credit_tpp', 'Card'),
    { ...line('gone', 500, 1, 'credit_tpp', 'Card'), refundableMinor: 0, refundableQuantity: 0 },
  ],
  paymentChoices: [],
  orderRefundableMinor: 449 + 207 + 1199,
  rules: { wholeUnitsOnly: true, amountPerLine: false, note: '' },
  policy: { approvalThresholdMinor: 10_000, perRefundLimitMinor: 50_000, perDayLimitMinor: 100_000, usedTodayMinor: 0 },
};

function line(id: string, unit: number, quantity: number, tender: 'ebt_snap' | 'credit_tpp' | 'regular', label: string) {
  return {
    orderLineId: id,
    providerLineId: `p-${id}`,
    name: id,
    unitPriceMinor: unit,
    quantity,
    paidMinor: unit * quantity,
    refundableMinor: unit * quantity,
    refundableQuantity: quantity,
    eligibility: null,
    tender,
    tenderLabel: label,
  };
}

function states(data: RefundFormData, patch: Record<string, Partial<LineState>>) {
  const out: Record<string, LineState> = {};
  for (const l of data.lines) {
    out[l.orderLineId] = patch[l.orderLineId] ? { ...selectedLine(data, l, emptyLine()), ...patch[l.orderLineId] } : emptyLine();
  }
  return out;
}

describe('parseTypedAmount (lib/money)', () => {
  it('reads major units exactly, with the local separators', () => {
    expect(parseTypedAmount('12.50', 'USD')).toBe(1250);
    expect(parseTypedAmount('1,499.50', 'USD')).toBe(149950);
    expect(parseTypedAmount('1 499,50', 'NOK')).toBe(149950);
    expect(parseTypedAmount('0.1', 'USD')).toBe(10);
  });
  it('refuses what it cannot read exactly rather than guessing', () => {
    expect(parseTypedAmount('12,50', 'USD')).toBeNull();
    expect(parseTypedAmount('1.234', 'USD')).toBeNull();
    expect(parseTypedAmount('abc', 'USD')).toBeNull();
    expect(parseTypedAmount('', 'USD')).toBeNull();
  });
});

describe('the Forage form', () => {
  it('derives amounts from whole units, splits by tender and totals in cents', () => {
    const resolved = resolveLines(forage, states(forage, { milk: {}, bananas: { quantity: '2' }, towels: {} }));
    expect(resolved.map((r) => r.amountMinor)).toEqual([449, 138, 1199]);
    expect(totalOf(resolved)).toBe(1786);
    expect(tenderSplit(forage, resolved, '')).toEqual([
      { label: 'EBT SNAP', amountMinor: 587 },
      { label: 'Card', amountMinor: 1199 },
    ]);
  });

  it('flags a quantity above what is left and a missing reason, keyed by line', () => {
    const s = states(forage, { bananas: { quantity: '4', reason: '' }, milk: { reason: 'other', reasonNote: ' ' } });
    const errors = validate(forage, resolveLines(forage, s), { note: '', paymentRef: '' });
    expect(errors['lines.bananas.quantity']).toBe('At most 3 can be refunded.');
    expect(errors['lines.bananas.amountMinor']).toBeUndefined();
    expect(errors['lines.bananas.reason']).toBe('Choose a reason.');
    expect(errors['lines.milk.reasonNote']).toMatch(/Explain/);
  });

  it('a quantity of 0 is a price adjustment with a typed amount, refunded on its own', () => {
    const s = states(forage, { milk: { quantity: '0', amount: '5.00', reason: 'price_adjustment' } });
    const alone = resolveLines(forage, s);
    expect(alone[0]).toMatchObject({ derived: false, amountMinor: 500 });
    expect(validate(forage, alone, { note: '', paymentRef: '' })['lines.milk.amountMinor']).toMatch(/At most \$4\.49/);
    const both = resolveLines(forage, {
      ...s,
      towels: { ...selectedLine(forage, forage.lines[2]!, emptyLine()), reason: 'damaged' },
    });
    expect(validate(forage, both, { note: '', paymentRef: '' })._form).toMatch(/on its own/);
  });

  it('says which limit needs approval', () => {
    expect(approvalChecks(forage, 9_000)).toEqual([]);
    expect(approvalChecks(forage, 10_001).map((c) => c.kind)).toEqual(['threshold']);
    expect(approvalChecks({ ...forage, policy: { ...forage.policy, usedTodayMinor: 95_000 } }, 6_000).map((c) => c.kind)).toEqual(
      ['per_day'],
    );
    expect(approvalChecks(forage, 60_000).map((c) => c.kind)).toEqual(['threshold', 'per_refund']);
  });
});

describe('the Frontpayment form', () => {
  const fp: RefundFormData = {
    ...forage,
    provider: 'frontpayment',
    kind: 'reservation',
    currency: 'NOK',
    lines: [line('night', 189000, 3, 'regular', 'Card / Vipps')],
    paymentChoices: [{ ref: 'CAP1', tender: 'captured', label: 'Reservation capture CAP1', refundableMinor: 200000 }],
    orderRefundableMinor: 567000,
    rules: { wholeUnitsOnly: false, amountPerLine: true, note: '' },
  };

  it('lets the amount be typed, resets it when the quantity changes, and caps a reservation at its capture', () => {
    const l = fp.lines[0]!;
    let s = selectedLine(fp, l, emptyLine());
    expect(s.amount).toBe('5670.00');
    s = withQuantity(fp, l, s, '1');
    expect(s.amount).toBe('1890.00');
    s = { ...s, amount: '1 000,50', reason: 'quality' };
    const resolved = resolveLines(fp, { night: s });
    expect(resolved[0]!.amountMinor).toBe(100050);
    expect(tenderSplit(fp, resolved, 'CAP1')).toEqual([{ label: 'Reservation capture CAP1', amountMinor: 100050 }]);
    expect(validate(fp, resolved, { note: '', paymentRef: 'CAP1' })).toEqual({});
    const tooMuch = resolveLines(fp, { night: { ...s, quantity: '2', amount: '3780' } });
    expect(validate(fp, tooMuch, { note: '', paymentRef: 'CAP1' }).paymentRef).toMatch(/At most/);
    expect(toDrafts(resolved)).toEqual([
      { orderLineId: 'night', quantity: 1, amountMinor: 100050, reason: 'quality', reasonNote: undefined },
    ]);
  });
});

describe('mapServerErrors', () => {
  it('maps lines.N.* back to the line that was sent N-th', () => {
    expect(
      mapServerErrors(
        {
          'lines.1.amountMinor': ['Too much.'],
          'lines.0.reasonNote': ['Explain.'],
          note: ['Too long.'],
          confirmedTotalMinor: ['Changed.'],
        },
        ['a', 'b'],
      ),
    ).toEqual({ 'lines.b.amountMinor': 'Too much.', 'lines.a.reasonNote': 'Explain.', note: 'Too long.', _form: 'Changed.' });
  });
});
