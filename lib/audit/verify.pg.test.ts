import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshPostgres, TEST_DATABASE_URL, warnPostgresSkipped } from '@/test/db';
import { recordAudit, SYSTEM_CONTEXT, verifyAuditChain } from '.';

/**
 * The chain check reads through a cursor that holds a pooled connection; the payloads it must ask
 * the database about (numbers JavaScript prints otherwise) are asked once the cursor is closed, so
 * the check finishes with a pool of one instead of waiting for itself.
 */
warnPostgresSkipped('the chain check through a PostgreSQL cursor with a pool of one');

describe.skipIf(!TEST_DATABASE_URL)('verifyAuditChain on PostgreSQL with one connection', () => {
  let handle: Awaited<ReturnType<typeof freshPostgres>>;
  beforeAll(async () => {
    handle = await freshPostgres(1);
    for (let i = 0; i < 5; i++) {
      await recordAudit(handle.db, SYSTEM_CONTEXT, { action: 'thing', entityType: 'thing', after: { amountMinor: 1e21, i } });
    }
  });
  afterAll(() => handle?.close());

  it('verifies payloads it has to ask the database about', async () => {
    expect(await verifyAuditChain(handle.db, 2)).toMatchObject({ ok: true, verified: 5 });
  });

  it('finds one rewritten in a spelling JavaScript cannot tell apart, before a later break', async () => {
    await handle.superuser.unsafe('alter table audit_events disable trigger user');
    try {
      await handle.superuser.unsafe(
        `update audit_events set after = '{"amountMinor": 1e21, "i": 2.0000000000000000001}' where seq = 3`,
      );
      await handle.superuser.unsafe(`update audit_events set prev_hash = repeat('f', 64) where seq = 5`);
      expect(await verifyAuditChain(handle.db, 2)).toMatchObject({
        ok: false,
        verified: 2,
        firstBreak: { seq: 3, reason: 'hash_mismatch' },
      });
    } finally {
      await handle.superuser.unsafe('alter table audit_events enable trigger user');
    }
  });
});
