'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { defineAction } from '@/lib/actions/action';
import { getProviderClient } from '@/lib/providers';
import { approveRefund, cancelRefund, rejectRefund } from './service';

const decisionInput = z.object({
  refundId: z.uuid(),
  linesDigest: z.string().regex(/^[0-9a-f]{64}$/, 'Reload the request and try again.'),
  comment: z.string().trim().max(1000, 'Keep the comment under 1000 characters.').optional(),
});

export const approveRefundAction = defineAction(
  { name: 'approvals.approve', permission: 'approvals.decide', input: decisionInput },
  async (input, { db, user, audit }) => {
    const result = await approveRefund(db, user, audit, input, getProviderClient);
    revalidatePath('/approvals');
    return result;
  },
);

export const rejectRefundAction = defineAction(
  {
    name: 'approvals.reject',
    permission: 'approvals.decide',
    input: decisionInput.extend({
      comment: z
        .string({ error: 'Say why, so the agent knows.' })
        .trim()
        .min(1, 'Say why, so the agent knows.')
        .max(1000, 'Keep the comment under 1000 characters.'),
    }),
  },
  async (input, { db, user, audit }) => {
    const result = await rejectRefund(db, user, audit, input);
    revalidatePath('/approvals');
    return result;
  },
);

export const cancelRefundAction = defineAction(
  { name: 'refunds.cancel', permission: 'refunds.cancel', input: z.object({ refundId: z.uuid() }) },
  async (input, { db, user, audit }) => {
    const result = await cancelRefund(db, user, audit, input.refundId);
    revalidatePath(`/refunds/${input.refundId}`);
    revalidatePath('/approvals');
    return result;
  },
);
