import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows, type DbHandle } from '@/db';
import { freshPglite } from '@/test/db';
import { recordAudit, SYSTEM_CONTEXT, verifyAuditChain } from '.';

/**
 * Found while writing the proof's audit part (prove/parts/audit.ts): the hash covers the payload as JavaScript
 * parses it, and jsonb holds numbers JavaScript cannot. Rewriting `null` as 1e400 (read back as
 * Infinity, hashed as null) or 100 as 100.000000000000000001 (read back as 100) kept every hash
 * valid, so the verifier vouched for a payload a reader of the database sees changed.
 */
describe('a payload rewritten in numbers JavaScript cannot tell apart', () => {
  let handle: DbHandle;
  beforeAll(async () => {
    handle = await freshPglite();
    await recordAudit(handle.db, SYSTEM_CONTEXT, { action: 'first', entityType: 'thing', after: { amountMinor: 100 } });
    await recordAudit(handle.db, SYSTEM_CONTEXT, {
      action: 'second',
      entityType: 'thing',
      before: { note: null },
      after: { amountMinor: 1e21, ratio: 0.1, nested: [1, 'x', { deep: null }] },
    });
    await recordAudit(handle.db, SYSTEM_CONTEXT, { action: 'third', entityType: 'thing' });
    await handle.db.execute(sql`alter table audit_events disable trigger user`);
  });
  afterAll(() => handle?.close());

  it('accepts the payloads as the app wrote them', async () => {
    expect(await verifyAuditChain(handle.db)).toMatchObject({ ok: true, verified: 3 });
  });

  it.each([
    ['after', 1, `{"amountMinor": 100.000000000000000001}`],
    ['before', 2, `{"note": 1e400}`],
  ])('%s of event #%i rewritten as %s is a hash_mismatch', async (column, seq, forged) => {
    const [original] = await queryRows<{ v: string }>(
      handle.db,
      sql.raw(`select ${column}::text as v from audit_events where seq = ${seq}`),
    );
    await handle.db.execute(sql.raw(`update audit_events set ${column} = '${forged}'::jsonb where seq = ${seq}`));
    try {
      expect(await verifyAuditChain(handle.db, 2)).toMatchObject({ ok: false, firstBreak: { reason: 'hash_mismatch', seq } });
    } finally {
      await handle.db.execute(sql.raw(`update audit_events set ${column} = '${original!.v}'::jsonb where seq = ${seq}`));
    }
    expect(await verifyAuditChain(handle.db)).toMatchObject({ ok: true, verified: 3 });
  });
});

/** Also found by the proof's audit part: the newest event renumbered below 1 fell out of the walk. */
describe('an event renumbered outside the chain', () => {
  let handle: DbHandle;
  beforeAll(async () => {
    handle = await freshPglite();
    for (const action of ['first', 'second', 'third'])
      await recordAudit(handle.db, SYSTEM_CONTEXT, { action, entityType: 'thing' });
    await handle.db.execute(sql`alter table audit_events disable trigger user`);
  });
  afterAll(() => handle?.close());

  it.each([-3, 0])('the newest event stored as #%i is a sequence_gap, not a shorter chain', async (forged) => {
    await handle.db.execute(sql.raw(`update audit_events set seq = ${forged} where seq = 3`));
    try {
      expect(await verifyAuditChain(handle.db)).toMatchObject({ ok: false, firstBreak: { reason: 'sequence_gap', seq: forged } });
    } finally {
      await handle.db.execute(sql.raw(`update audit_events set seq = 3 where seq = ${forged}`));
    }
    expect(await verifyAuditChain(handle.db)).toMatchObject({ ok: true, verified: 3 });
  });
});
