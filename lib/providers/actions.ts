'use server';

import { z } from 'zod';
import { PROVIDERS } from '@/db/schema/enums';
import { defineAction } from '@/lib/actions/action';
import { recordAudit } from '@/lib/audit';
import { testProviderConnection } from './connection';

export const testProviderConnectionAction = defineAction(
  {
    name: 'providers.testConnection',
    permission: 'providers.health',
    input: z.object({ provider: z.enum(PROVIDERS, { error: 'Choose Forage or Frontpayment.' }) }),
  },
  async ({ provider }, { db, audit }) => {
    const result = await testProviderConnection(provider);
    await recordAudit(db, audit, {
      action: 'provider.test_connection',
      entityType: 'provider',
      entityId: provider,
      after: result,
      outcome: result.ok ? 'success' : 'failure',
    });
    return result;
  },
);
