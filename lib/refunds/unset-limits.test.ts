import { describe, expect, it } from 'vitest';
import { deleteRefundLimits, listRefundLimits } from '@/db/queries/settings';
import { SYSTEM_CONTEXT } from '@/lib/audit';
import { refundInput, seededPglite, userId } from '@/test/refunds';
import { createRefund } from './service';

describe('a currency with no limits row in the database', () => {
  it('sends every refund to a manager (a migrated but unseeded database approved any amount before)', async () => {
    const handle = await seededPglite();
    try {
      for (const row of (await listRefundLimits(handle.db)).filter((r) => r.currency === 'NOK')) {
        await deleteRefundLimits(handle.db, row.id);
      }
      const created = await createRefund(
        handle.db,
        { id: await userId(handle.db) },
        SYSTEM_CONTEXT,
        await refundInput(handle.db, 'RD-100031', [{ line: '5442', amount: 100, quantity: 0 }]),
      );
      expect(created.status).toBe('pending_approval');
    } finally {
      await handle.close();
    }
  });
});
