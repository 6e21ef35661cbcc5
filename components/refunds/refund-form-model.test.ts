import { describe, expect, it, vi } from 'vitest';
import * as rules from '@/lib/refunds/approval-rules';
import { createRefundInput } from '@/lib/refunds/schemas';
import type { RefundFormData } from '@/lib/refunds/types';
import {
  approvalChecks,
  buildPayload,
  emptyLine,
  ENGLISH_WORDS,
  mapServerErrors,
  resolveLines,
  selectedLine,
  tenderSplit,
  totalOf,
  validate,
  withQuantity,
  type FormWords,
  type LineState,
} from './refund-form-model';
import { formatMoney, parseTypedAmount } from '@/lib/money';
import englishErrors from '@/messages/en/errors.json';

/** The form's English words, the server schema's messages said from the catalogue as the page does. */
const WORDS: FormWords = { ...ENGLISH_WORDS, schema: (m) => (englishErrors.field as Record<string, string>)[m] ?? m };

// Wrapped, not replaced: the form must call the very function the server calls.
vi.mock('@/lib/refunds/approval-rules', async (importOriginal) => {
  const original = await importOriginal<typeof import('@/lib/refunds/approval-rules')>();
  return { ...original, approvalReasons: vi.fn(original.approvalReasons) };
});

const REQUEST_KEY = '00000000-0000-4000-8000-0000000000ee';
/** Order line ids are UUIDs: the server's schema, which the form runs too, refuses anything else. */
const ID = {
  milk: '00000000-0000-4000-8000-00000000a001',
  bananas: '00000000-0000-4000-8000-00000000a002',
  towels: '00000000-0000-4000-8000-00000000a003',
  gone: '00000000-0000-4000-8000-00000000a004',
  night: '00000000-0000-4000-8000-00000000a005',
};
type LineName = keyof typeof ID;
const key = (name: LineName, field: string) => `lines.${ID[name]}.${field}`;

const forage: RefundFormData = {
  orderId: '00000000-0000-4000-8000-000000000001',
  orderNumber: 'RD-100001',
  provider: 'forage',
  providerLabel: 'Forage',
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

const fp: RefundFormData = {
  ...forage,
  provider: 'frontpayment',
  providerLabel: 'Frontpayment',
  kind: 'reservation',
  currency: 'NOK',
  lines: [line('night', 189000, 3, 'regular', 'Card / Vipps')],
  paymentChoices: [{ ref: 'CAP1', tender: 'captured', label: 'Reservation capture CAP1', refundableMinor: 200000 }],
  orderRefundableMinor: 567000,
  rules: { wholeUnitsOnly: false, amountPerLine: true, note: '' },
};

function line(name: LineName, unit: number, quantity: number, tender: 'ebt_snap' | 'credit_tpp' | 'regular', label: string) {
  return {
    orderLineId: ID[name],
    providerLineId: `p-${name}`,
    name,
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

function states(data: RefundFormData, patch: Partial<Record<LineName, Partial<LineState>>>) {
  const out: Record<string, LineState> = {};
  for (const l of data.lines) {
    const p = patch[l.name as LineName];
    out[l.orderLineId] = p ? { ...selectedLine(data, l, emptyLine()), ...p } : emptyLine();
  }
  return out;
}

/** What the form does before review: build the payload it would send and check it. */
function check(data: RefundFormData, lines: Record<string, LineState>, extra: { note?: string; paymentRef?: string } = {}) {
  const resolved = resolveLines(data, lines);
  const payload = buildPayload(data, resolved, {
    note: extra.note ?? '',
    paymentRef: extra.paymentRef ?? '',
    requestKey: REQUEST_KEY,
  });
  return { payload, ...validate(data, resolved, payload, createRefundInput, WORDS) };
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
    const { errors, input } = check(
      forage,
      states(forage, { bananas: { quantity: '4', reason: '' }, milk: { reason: 'other', reasonNote: ' ' } }),
    );
    expect(errors[key('bananas', 'quantity')]).toBe('At most 3 can be refunded.');
    expect(errors[key('bananas', 'amountMinor')]).toBeUndefined();
    expect(errors[key('bananas', 'reason')]).toBe('Choose a reason.');
    expect(errors[key('milk', 'reasonNote')]).toMatch(/Explain/);
    expect(input).toBeNull();
  });

  it('says once, on the quantity, when a derived amount cannot be worked out', () => {
    const { errors } = check(forage, states(forage, { bananas: { quantity: 'two', reason: 'damaged' } }));
    expect(errors[key('bananas', 'quantity')]).toBe('Enter a whole number of units.');
    expect(errors[key('bananas', 'amountMinor')]).toBeUndefined();
  });

  it('a quantity of 0 is a price adjustment with a typed amount, refunded on its own', () => {
    const s = states(forage, { milk: { quantity: '0', amount: '5.00', reason: 'price_adjustment' } });
    const alone = resolveLines(forage, s);
    expect(alone[0]).toMatchObject({ derived: false, amountMinor: 500 });
    expect(check(forage, s).errors[key('milk', 'amountMinor')]).toMatch(/At most \$4\.49/);
    const both = { ...s, [ID.towels]: { ...selectedLine(forage, forage.lines[2]!, emptyLine()), reason: 'damaged' as const } };
    expect(check(forage, both).errors._form).toMatch(/on its own/);
  });
});

describe("the server's schema checks what the form will send", () => {
  it('nothing chosen: one sentence for the whole form, not an echo about the total', () => {
    const { errors, input } = check(forage, states(forage, {}));
    expect(errors).toEqual({ _form: 'Choose at least one line to refund.' });
    expect(input).toBeNull();
  });

  it("puts the schema's messages on the line and field they belong to", () => {
    const { errors } = check(
      fp,
      {
        [ID.night]: {
          ...selectedLine(fp, fp.lines[0]!, emptyLine()),
          amount: '0',
          reason: 'quality',
          reasonNote: 'x'.repeat(501),
        },
      },
      { note: 'y'.repeat(1001), paymentRef: 'CAP1' },
    );
    expect(errors).toEqual({
      [key('night', 'amountMinor')]: 'Enter an amount above zero.',
      [key('night', 'reasonNote')]: 'Keep the note under 500 characters.',
      note: 'Keep the note under 1000 characters.',
    });
  });

  it('asks for the "Other" explanation even while the amount is still missing', () => {
    const { errors } = check(
      fp,
      { [ID.night]: { ...selectedLine(fp, fp.lines[0]!, emptyLine()), amount: '', reason: 'other', reasonNote: '' } },
      { paymentRef: 'CAP1' },
    );
    expect(errors[key('night', 'amountMinor')]).toBe('Enter an amount such as 12.50.');
    expect(errors[key('night', 'reasonNote')]).toBe('Explain the reason when you choose "Other".');
  });

  it('what it sends is what the server parses, and it parses', () => {
    const { payload, errors, input } = check(forage, states(forage, { milk: { reason: 'damaged', reasonNote: '  late ' } }), {
      note: ' checked with the customer ',
    });
    expect(errors).toEqual({});
    expect(input).toEqual(createRefundInput.parse(payload));
    expect(input).toEqual({
      orderId: forage.orderId,
      requestKey: REQUEST_KEY,
      note: 'checked with the customer',
      lines: [{ orderLineId: ID.milk, quantity: 1, amountMinor: 449, reason: 'damaged', reasonNote: 'late' }],
      confirmedTotalMinor: 449,
      paymentRef: undefined,
    });
  });

  it('while the schema is still loading: the figure checks only, and nothing to send', () => {
    const lines = states(forage, { milk: { reason: 'damaged' } });
    const resolved = resolveLines(forage, lines);
    const payload = buildPayload(forage, resolved, { note: '', paymentRef: '', requestKey: REQUEST_KEY });
    expect(validate(forage, resolved, payload, null)).toEqual({ errors: {}, input: null });
    expect(validate(forage, resolved, payload, createRefundInput).input).not.toBeNull();

    // Too many units is the form's own check: it is shown before the schema arrives.
    const tooMany = resolveLines(forage, states(forage, { milk: { reason: 'damaged', quantity: '99' } }));
    const early = validate(
      forage,
      tooMany,
      buildPayload(forage, tooMany, { note: '', paymentRef: '', requestKey: REQUEST_KEY }),
      null,
    );
    expect(early.input).toBeNull();
    expect(early.errors[key('milk', 'quantity')]).toMatch(/^At most \d+ can be refunded\.$/);
  });
});

describe('approval checks', () => {
  const usd = (minor: number) => formatMoney(minor, 'USD');

  it('says which limit needs approval, with the figures', () => {
    expect(approvalChecks(forage, 9_000)).toEqual([]);
    expect(approvalChecks(forage, 10_001)).toEqual([
      { reason: 'above_threshold', text: `above the approval threshold of ${usd(10_000)}` },
    ]);
    expect(approvalChecks({ ...forage, policy: { ...forage.policy, usedTodayMinor: 95_000 } }, 6_000)).toEqual([
      { reason: 'above_daily_limit', text: `beyond what is left of your daily limit (${usd(5_000)} of ${usd(100_000)})` },
    ]);
    expect(approvalChecks(forage, 60_000)).toEqual([
      { reason: 'above_threshold', text: `above the approval threshold of ${usd(10_000)}` },
      { reason: 'above_per_refund_limit', text: `above your limit of ${usd(50_000)} per refund` },
    ]);
  });

  it('agrees with the server for the same figures, boundaries included', () => {
    const policies: RefundFormData['policy'][] = [
      forage.policy,
      { ...forage.policy, usedTodayMinor: 95_000 },
      { ...forage.policy, usedTodayMinor: 120_000 },
      { approvalThresholdMinor: null, perRefundLimitMinor: 50_000, perDayLimitMinor: null, usedTodayMinor: 0 },
      { approvalThresholdMinor: 10_000, perRefundLimitMinor: null, perDayLimitMinor: 20_000, usedTodayMinor: 10_000 },
      { approvalThresholdMinor: null, perRefundLimitMinor: null, perDayLimitMinor: null, usedTodayMinor: 500_000 },
    ];
    for (const policy of policies) {
      // What the server reads from refund_limits for the same agent and currency.
      const limits: rules.Limits = {
        approvalThresholdMinor: policy.approvalThresholdMinor,
        perRefundMinor: policy.perRefundLimitMinor,
        perDayMinor: policy.perDayLimitMinor,
      };
      const edges = [
        limits.approvalThresholdMinor,
        limits.perRefundMinor,
        limits.perDayMinor === null ? null : limits.perDayMinor - policy.usedTodayMinor,
      ];
      const totals = [1, ...edges.flatMap((e) => (e === null || e < 1 ? [] : [e - 1, e, e + 1])), 1_000_000];
      for (const total of totals) {
        expect(
          approvalChecks({ ...forage, policy }, total).map((c) => c.reason),
          `${JSON.stringify(policy)} at ${total}`,
        ).toEqual(rules.approvalReasons(total, limits, policy.usedTodayMinor));
      }
    }
  });

  it("derives from the shared approvalReasons with the form's figures", () => {
    const shared = vi.mocked(rules.approvalReasons);
    shared.mockClear();
    const policy = { ...forage.policy, usedTodayMinor: 1_234 };
    approvalChecks({ ...forage, policy }, 7_000);
    expect(shared).toHaveBeenCalledWith(
      7_000,
      { approvalThresholdMinor: 10_000, perRefundMinor: 50_000, perDayMinor: 100_000 },
      1_234,
    );
    // Whatever the rules answer is what the form shows.
    shared.mockReturnValueOnce(['above_per_refund_limit']);
    expect(approvalChecks(forage, 1).map((c) => c.reason)).toEqual(['above_per_refund_limit']);
  });

  it('asks nothing before there is an amount', () => {
    expect(approvalChecks({ ...forage, policy: { ...forage.policy, usedTodayMinor: 200_000 } }, 0)).toEqual([]);
  });
});

describe('the Frontpayment form', () => {
  it('lets the amount be typed, resets it when the quantity changes, and caps a reservation at its capture', () => {
    const l = fp.lines[0]!;
    let s = selectedLine(fp, l, emptyLine());
    expect(s.amount).toBe('5670.00');
    s = withQuantity(fp, l, s, '1');
    expect(s.amount).toBe('1890.00');
    s = { ...s, amount: '1 000,50', reason: 'quality' };
    const resolved = resolveLines(fp, { [ID.night]: s });
    expect(resolved[0]!.amountMinor).toBe(100050);
    expect(tenderSplit(fp, resolved, 'CAP1')).toEqual([{ label: 'Reservation capture CAP1', amountMinor: 100050 }]);
    const ok = check(fp, { [ID.night]: s }, { paymentRef: 'CAP1' });
    expect(ok.errors).toEqual({});
    expect(ok.input?.lines).toEqual([{ orderLineId: ID.night, quantity: 1, amountMinor: 100050, reason: 'quality' }]);
    expect(ok.input?.paymentRef).toBe('CAP1');
    const tooMuch = check(fp, { [ID.night]: { ...s, quantity: '2', amount: '3780' } }, { paymentRef: 'CAP1' });
    expect(tooMuch.errors.paymentRef).toMatch(/At most/);
    expect(tooMuch.input).toBeNull();
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
