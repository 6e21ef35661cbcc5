import { z } from 'zod';
import { REFUND_REASONS } from './constants';

const minor = z.coerce
  .number({ error: 'Enter an amount.' })
  .int('Amounts are whole cents/øre.')
  .positive('Enter an amount above zero.');

export const refundLineInput = z
  .object({
    orderLineId: z.uuid(),
    quantity: z.coerce.number().int('Quantities are whole units.').min(0, 'Quantity cannot be negative.'),
    amountMinor: minor,
    reason: z.enum(REFUND_REASONS, { error: 'Choose a reason.' }),
    reasonNote: z.string().trim().max(500, 'Keep the note under 500 characters.').optional(),
  })
  .refine((line) => line.reason !== 'other' || (line.reasonNote ?? '').length > 0, {
    path: ['reasonNote'],
    error: 'Explain the reason when you choose "Other".',
    // Zod skips a refinement once any field has failed; this one needs only the reason and its
    // note, so it still runs when, say, the amount is missing, and both messages show at once.
    when: ({ issues }) => issues.every((i) => i.path?.[0] !== undefined && i.path[0] !== 'reason' && i.path[0] !== 'reasonNote'),
  });

export const createRefundInput = z
  .object({
    orderId: z.uuid(),
    /** Made by the form when it opens: a double click, second tab or retry reuses it. */
    requestKey: z.uuid(),
    note: z.string().trim().max(1000, 'Keep the note under 1000 characters.').optional(),
    lines: z.array(refundLineInput).min(1, 'Choose at least one line to refund.').max(200),
    /** The total the agent confirmed; if the server computes another, nothing is sent. */
    confirmedTotalMinor: minor,
    /** Frontpayment reservations: the capture or charge to refund from (its payment reference). */
    paymentRef: z.string().trim().max(64).optional(),
  })
  .refine((input) => new Set(input.lines.map((l) => l.orderLineId)).size === input.lines.length, {
    path: ['lines'],
    error: 'Each line can appear only once.',
  });

export type CreateRefundInput = z.infer<typeof createRefundInput>;
