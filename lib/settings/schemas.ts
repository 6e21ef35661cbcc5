import { z } from 'zod';
import { parseTypedAmount } from '@/lib/money';

export const POLICY_CURRENCIES = ['USD', 'NOK'] as const;

/** An amount typed in major units ("2 000,00" for NOK, "2,000.00" for USD); empty means "not set". */
const optionalAmount = z.string().trim().max(20, 'amountTooLong').optional().default('');

function toMinor(value: string, currency: string, path: string, ctx: z.RefinementCtx): number | null {
  if (value === '') return null;
  const minor = parseTypedAmount(value, currency);
  if (minor === null) {
    ctx.addIssue({
      code: 'custom',
      path: [path],
      message: currency === 'NOK' ? 'enterAmountNok' : 'enterAmountUsd',
    });
  } else if (minor <= 0) {
    ctx.addIssue({ code: 'custom', path: [path], message: 'amountAboveZero' });
  }
  return minor !== null && minor > 0 ? minor : null;
}

/**
 * The limits of one currency: for everyone (`userId` empty) or one agent's override. Defaults need
 * every figure; an override may leave a figure empty to inherit the default.
 */
export const updateLimitsInput = z
  .object({
    currency: z.enum(POLICY_CURRENCIES, { error: 'chooseCurrency' }),
    userId: z
      .union([z.uuid({ error: 'chooseAgent' }), z.literal('')])
      .optional()
      .transform((v) => v || null),
    approvalThreshold: optionalAmount,
    perRefund: optionalAmount,
    perDay: optionalAmount,
  })
  .transform((input, ctx) => {
    const approvalThresholdMinor = toMinor(input.approvalThreshold, input.currency, 'approvalThreshold', ctx);
    const perRefundMinor = toMinor(input.perRefund, input.currency, 'perRefund', ctx);
    const perDayMinor = toMinor(input.perDay, input.currency, 'perDay', ctx);
    if (input.userId === null) {
      for (const [key, value] of [
        ['approvalThreshold', input.approvalThreshold],
        ['perRefund', input.perRefund],
        ['perDay', input.perDay],
      ] as const) {
        if (value === '') ctx.addIssue({ code: 'custom', path: [key], message: 'defaultNeedsAmount' });
      }
    } else if (!input.approvalThreshold && !input.perRefund && !input.perDay) {
      ctx.addIssue({ code: 'custom', path: ['perDay'], message: 'setOneLimit' });
    }
    if (perRefundMinor !== null && perDayMinor !== null && perRefundMinor > perDayMinor) {
      ctx.addIssue({ code: 'custom', path: ['perRefund'], message: 'perRefundOverDaily' });
    }
    return { currency: input.currency, userId: input.userId, approvalThresholdMinor, perRefundMinor, perDayMinor };
  });

export type UpdateLimitsInput = z.output<typeof updateLimitsInput>;

export const removeLimitOverrideInput = z.object({ limitId: z.uuid({ error: 'chooseOverride' }) });

export const updateApprovalExpiryInput = z.object({
  hours: z.coerce
    .number({ error: 'enterHours' })
    .int('wholeHours')
    .min(1, 'atLeastOneHour')
    .max(24 * 30, 'atMost720Hours'),
});
