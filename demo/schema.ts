import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { eligibilityEnum, orderKindEnum, PROVIDERS, refundReasonEnum, tenderEnum } from '@/db/schema/enums';

const minor = z.number().int().nonnegative();

export const demoDataset = z.object({
  version: z.literal(1),
  merchants: z.record(z.string(), z.record(z.string(), z.string())),
  orders: z.array(
    z.object({
      provider: z.enum(PROVIDERS),
      providerRef: z.string().min(1),
      orderNumber: z.string().min(1),
      kind: z.enum(orderKindEnum.enumValues),
      providerStatus: z.string().min(1),
      currency: z.string().length(3),
      customer: z.object({
        name: z.string(),
        email: z.string(),
        phone: z.string().nullable(),
        customerId: z.string().nullable().optional(),
      }),
      /** Exists only at the provider (to show importing by reference); the seed skips it. */
      sandboxOnly: z.boolean().optional(),
      placedDaysAgo: z.number().int().nonnegative(),
      placedMinuteOfDay: z.number().int().min(0).max(1439),
      lines: z.array(
        z.object({
          lineId: z.string(),
          productId: z.string().nullable().optional(),
          name: z.string(),
          unitPrice: minor,
          quantity: z.number().int().positive(),
          taxRateBp: z.number().int().nonnegative(),
          eligibility: z.enum(eligibilityEnum.enumValues).nullable(),
        }),
      ),
      payments: z.array(z.object({ ref: z.string(), tender: z.enum(tenderEnum.enumValues), amount: minor })),
      refunds: z.array(
        z.object({
          ref: z.string().nullable(),
          daysAgo: z.number().int().nonnegative(),
          reason: z.enum(refundReasonEnum.enumValues),
          note: z.string().nullable().optional(),
          lines: z.array(z.object({ lineId: z.string(), quantity: z.number().int().nonnegative(), amount: minor })),
          allocations: z.array(z.object({ paymentRef: z.string(), amount: minor })),
        }),
      ),
    }),
  ),
});

export type DemoDataset = z.infer<typeof demoDataset>;
export type DemoOrder = DemoDataset['orders'][number];

/** The one demo world, shared by the database seed and the provider sandbox. */
export function loadDemoDataset(file = path.join(process.cwd(), 'demo', 'dataset.json')): DemoDataset {
  return demoDataset.parse(JSON.parse(readFileSync(file, 'utf8')));
}
