'use server';

import { z } from 'zod';
import { PROVIDERS } from '@/db/schema/enums';
import { defineAction } from '@/lib/actions/action';
import { recordAudit } from '@/lib/audit';
import { serverTranslator } from '@/lib/i18n';
import { testProviderConnection } from './connection';
import { connectionFailureWords, type ProviderErrorsT } from './error-words';

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
    if (result.ok) return result;
    // The audit record keeps the English detail; the admin reads it in their language.
    const t = (await serverTranslator('providerErrors')) as unknown as ProviderErrorsT;
    return { ...result, detail: connectionFailureWords(t, result) };
  },
);
