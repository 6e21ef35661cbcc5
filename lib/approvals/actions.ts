'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { defineAction } from '@/lib/actions/action';
import { getProviderClient } from '@/lib/providers';
import { approveRefund, cancelRefund, rejectRefund } from './service';

const decisionInput = z.object({
  refundId: z.uuid(),
  linesDigest: z.string().regex(/^[0-9a-f]{64}$/, 'reloadRequest'),
  comment: z.string().trim().max(1000, 'commentTooLong').optional(),
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
      comment: z.string({ error: 'sayWhy' }).trim().min(1, 'sayWhy').max(1000, 'commentTooLong'),
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
