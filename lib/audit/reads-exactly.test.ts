import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '@/db';
import { freshPglite } from '@/test/db';
import { recordAudit, SYSTEM_CONTEXT } from '.';
import { readsExactly, verifyAuditChain } from './verify';

/**
 * The verifier's quick test of a stored payload's JSON text (lib/audit/verify.ts): only text that
 * JavaScript may read as another value goes to the database for the exact comparison.
 */
describe('readsExactly', () => {
  it.each([
    null,
    '{}',
    '{"status": "approved"}',
    '{"a": 1, "b": [0.1, -2, 1.5, 0], "c": {"d": null, "e": true}}',
    '{"note": "1e400 and 100.000000000000000001 are only text here", "q": "a \\"quoted\\" 1.0"}',
    '[1234567890123456, "x"]',
  ])('passes %s', (json) => {
    expect(readsExactly(json)).toBe(true);
  });

  it.each([
    // What the payload-respelled attacks store: JavaScript reads 100 and Infinity.
    '{"amountMinor": 100.000000000000000001}',
    `{"note": 1${'0'.repeat(400)}}`,
    // Same value, other spelling: the database decides (jsonb compares 1.0 and 1 as equal).
    '{"a": 1.0}',
    '{"a": -0}',
    // Numbers JavaScript prints with an exponent.
    '{"a": 1000000000000000000000}',
    '{"a": 0.0000001}',
    // A JSON null where the app stores SQL NULL.
    'null',
  ])('sends %s to the database', (json) => {
    expect(readsExactly(json)).toBe(false);
  });
});

describe('a payload the app stored as SQL NULL, rewritten as a JSON null', () => {
  let handle: DbHandle;
  beforeAll(async () => {
    handle = await freshPglite();
    for (const action of ['first', 'second', 'third'])
      await recordAudit(handle.db, SYSTEM_CONTEXT, { action, entityType: 'thing' });
    await handle.db.execute(sql`alter table audit_events disable trigger user`);
  });
  afterAll(() => handle?.close());

  it('is a hash_mismatch at that event, as it was before the quick test', async () => {
    expect(await verifyAuditChain(handle.db)).toMatchObject({ ok: true, verified: 3 });
    await handle.db.execute(sql`update audit_events set before = 'null'::jsonb where seq = 2`);
    expect(await verifyAuditChain(handle.db)).toMatchObject({
      ok: false,
      verified: 1,
      firstBreak: { seq: 2, reason: 'hash_mismatch' },
    });
  });
});
