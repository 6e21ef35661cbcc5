import { z } from 'zod';
import { REFUND_REASONS } from './constants';

// Messages are keys of errors.field (messages/<locale>/errors.json): the server and the form both
// show them in the reader's language.

const minor = z.coerce.number({ error: 'enterAmount' }).int('wholeMinorUnits').positive('amountAboveZero');

export const refundLineInput = z
  .object({
    orderLineId: z.uuid(),
    quantity: z.coerce.number().int('wholeUnits').min(0, 'quantityNotNegative'),
    amountMinor: minor,
    reason: z.enum(REFUND_REASONS, { error: 'chooseReason' }),
    reasonNote: z.string().trim().max(500, 'reasonNoteTooLong').optional(),
  })
  .refine((line) => line.reason !== 'other' || (line.reasonNote ?? '').length > 0, {
    path: ['reasonNote'],
    error: 'explainOther',
    // Zod skips a refinement once any field has failed; this one needs only the reason and its
    // note, so it still runs when, say, the amount is missing, and both messages show at once.
    when: ({ issues }) => issues.every((i) => i.path?.[0] !== undefined && i.path[0] !== 'reason' && i.path[0] !== 'reasonNote'),
  });

export const createRefundInput = z
  .object({
    orderId: z.uuid(),
    /** Made by the form when it opens: a double click, second tab or retry reuses it. */
    requestKey: z.uuid(),
    note: z.string().trim().max(1000, 'noteTooLong').optional(),
    lines: z.array(refundLineInput).min(1, 'chooseLine').max(200),
    /** The total the agent confirmed; if the server computes another, nothing is sent. */
    confirmedTotalMinor: minor,
    /** Frontpayment reservations: the capture or charge to refund from (its payment reference). */
    paymentRef: z.string().trim().max(64).optional(),
  })
  .refine((input) => new Set(input.lines.map((l) => l.orderLineId)).size === input.lines.length, {
    path: ['lines'],
    error: 'lineOnce',
  });

export type CreateRefundInput = z.infer<typeof createRefundInput>;
