'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { defineAction } from '@/lib/actions/action';
import { getProviderClient } from '@/lib/providers';
import { requestProviderApproval } from './provider-approval';
import { createRefundInput } from './schemas';
import { resolveByHand, resolveByHandInput } from './resolve';
import { createRefund } from './service';

export const createRefundAction = defineAction(
  { name: 'refunds.create', permission: 'refunds.create', input: createRefundInput },
  async (input, { db, user, audit }) => {
    const created = await createRefund(db, user, audit, input, getProviderClient);
    revalidatePath(`/orders/${input.orderId}`);
    return created;
  },
);

export const requestProviderApprovalAction = defineAction(
  { name: 'refunds.requestProviderApproval', permission: 'refunds.create', input: z.object({ refundId: z.uuid() }) },
  async (input, { db, user, audit }) => {
    const followUp = await requestProviderApproval(db, user, audit, input.refundId, getProviderClient);
    revalidatePath(`/refunds/${input.refundId}`);
    return followUp;
  },
);

export const resolveByHandAction = defineAction(
  { name: 'refunds.resolveByHand', permission: 'refunds.reconcile', input: resolveByHandInput },
  async (input, { db, user, audit }) => {
    const resolved = await resolveByHand(db, user, audit, input);
    revalidatePath(`/refunds/${input.refundId}`);
    return resolved;
  },
);
