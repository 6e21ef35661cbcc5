'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { PROVIDERS } from '@/db/schema/enums';
import { defineAction } from '@/lib/actions/action';
import { getProviderClient } from '@/lib/providers';
import { importOrder, refreshOrder } from './import';

export const importOrderAction = defineAction(
  {
    name: 'orders.import',
    permission: 'orders.import',
    input: z.object({
      provider: z.enum(PROVIDERS, { error: 'Choose the provider that took the payment.' }),
      providerRef: z
        .string()
        .trim()
        .min(3, 'Enter the provider reference.')
        .max(64, 'That reference is too long.')
        .regex(/^[A-Za-z0-9_-]+$/, 'Use only letters, digits, - and _.'),
    }),
  },
  async (input, { db, audit }) => {
    const result = await importOrder(db, getProviderClient(input.provider), audit, input.providerRef);
    revalidatePath('/orders');
    return result;
  },
);

export const refreshOrderAction = defineAction(
  // A refresh calls the provider: only those who may import orders start one (auditors only read).
  { name: 'orders.refresh', permission: 'orders.import', input: z.object({ orderId: z.uuid() }) },
  async (input, { db, audit }) => {
    const result = await refreshOrder(db, getProviderClient, audit, input.orderId);
    if (result.changes.length) revalidatePath(`/orders/${input.orderId}`);
    return { changes: result.changes, syncedAt: new Date().toISOString() };
  },
);
