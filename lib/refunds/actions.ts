'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { defineAction } from '@/lib/actions/action';
import { log } from '@/lib/log';
import { getProviderClient } from '@/lib/providers';
import { submitApprovedRefund } from './pipeline';
import { requestProviderApproval } from './provider-approval';
import { createRefundInput } from './schemas';
import { createRefund } from './service';

export const createRefundAction = defineAction(
  { name: 'refunds.create', permission: 'refunds.create', input: createRefundInput },
  async (input, { db, user, audit }) => {
    const created = await createRefund(db, user, audit, input);
    if (created.status === 'approved' && !created.duplicate) {
      // Send now rather than at the worker's next poll; the queued job is the fallback, and only
      // one of them can move the refund from approved to submitting.
      void submitApprovedRefund(db, created.refundId, getProviderClient, audit).catch((error) =>
        log.error({ err: error, refundId: created.refundId }, 'immediate submission failed; the job will retry'),
      );
    }
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
