import { asc, sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '@/db';
import { auditEvents, type AuditEvent } from '@/db/schema';
import { freshPglite } from '@/test/db';
import { appendAudit, recordAudit, verifyAuditChain, type AuditContext } from '.';
import { chainHash, GENESIS_HASH } from '@/db/audit-hash';

const CONTEXT: AuditContext = {
  actorId: '00000000-0000-4000-8000-000000000001',
  actorRole: 'manager',
  actorEmail: 'm@example.com',
  ip: '203.0.113.7',
  userAgent: 'vitest',
  requestId: 'req-1',
};

const allEvents = (db: Db): Promise<AuditEvent[]> => db.select().from(auditEvents).orderBy(asc(auditEvents.seq));

async function appendMany(db: Db, count: number) {
  for (let i = 1; i <= count; i += 1) {
    await db.transaction((tx) =>
      appendAudit(tx, CONTEXT, {
        action: 'test.event',
        entityType: 'thing',
        entityId: String(i),
        before: { i: i - 1 },
        after: { i, tags: ['a', 'b'] },
      }),
    );
  }
}

/** The error message and every cause's message, since drizzle wraps driver errors. */
function errorText(error: unknown): string {
  const parts: string[] = [];
  for (let e = error as { message?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e)
    parts.push(String(e.message));
  return parts.join(' | ');
}

async function expectRejected(promise: Promise<unknown>, pattern: RegExp) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, 'expected the statement to be rejected').not.toBeNull();
  expect(errorText(error)).toMatch(pattern);
}

describe('appendAudit and verifyAuditChain (PGlite)', () => {
  let db: Db;
  let close: () => Promise<void>;
  beforeAll(async () => ({ db, close } = await freshPglite()));
  afterAll(() => close());

  it('verifies an empty chain', async () => {
    expect(await verifyAuditChain(db)).toEqual({ ok: true, verified: 0, headHash: GENESIS_HASH });
  });

  it('writes seq 1, 2, 3 in one transaction, each chained to the one before', async () => {
    const written = await db.transaction(async (tx) => [
      await appendAudit(tx, CONTEXT, {
        action: 'refund.create',
        entityType: 'refund',
        entityId: 'r1',
        after: { amountMinor: 100 },
      }),
      await appendAudit(tx, CONTEXT, { action: 'refund.approve', entityType: 'refund', entityId: 'r1', outcome: 'failure' }),
      await appendAudit(tx, CONTEXT, { action: 'refund.cancel', entityType: 'refund', before: { status: 'approved' } }),
    ]);
    const rows = await allEvents(db);
    expect(rows.map((r) => r.seq)).toEqual([1, 2, 3]);
    expect(rows.map((r) => r.hash)).toEqual(written.map((w) => w.hash));
    expect(rows[0]!.prevHash).toBe(GENESIS_HASH);
    expect(rows[1]!.prevHash).toBe(rows[0]!.hash);
    expect(rows[2]!.prevHash).toBe(rows[1]!.hash);
    for (const row of rows) {
      expect(row.hash).toMatch(/^[0-9a-f]{64}$/);
      expect(chainHash(row)).toBe(row.hash);
    }
    expect(rows[0]).toMatchObject({
      ...CONTEXT,
      action: 'refund.create',
      entityId: 'r1',
      before: null,
      after: { amountMinor: 100 },
      outcome: 'success',
    });
    expect(rows[1]).toMatchObject({ outcome: 'failure', before: null, after: null });
    expect(rows[2]).toMatchObject({ entityId: null, before: { status: 'approved' } });
  });

  it('an event appended in a transaction that rolls back leaves no trace', async () => {
    const before = await allEvents(db);
    await expect(
      db.transaction(async (tx) => {
        await appendAudit(tx, CONTEXT, { action: 'refund.create', entityType: 'refund', after: { doomed: true } });
        throw new Error('business rule failed');
      }),
    ).rejects.toThrow('business rule failed');
    expect(await allEvents(db)).toEqual(before);

    const next = await recordAudit(db, CONTEXT, { action: 'after.rollback', entityType: 'thing' });
    expect(next.seq).toBe(before.length + 1);
    const check = await verifyAuditChain(db);
    expect(check).toEqual({ ok: true, verified: before.length + 1, headHash: next.hash });
  });

  it('verifies across pages and reports the count and head hash', async () => {
    await appendMany(db, 6);
    const rows = await allEvents(db);
    expect(rows).toHaveLength(10);
    for (const pageSize of [1, 3, 10, 1000]) {
      expect(await verifyAuditChain(db, pageSize)).toEqual({ ok: true, verified: 10, headHash: rows.at(-1)!.hash });
    }
  });

  it('rejects UPDATE, DELETE and TRUNCATE and leaves the rows unchanged', async () => {
    const before = await allEvents(db);
    expect(before.length).toBeGreaterThan(0);
    await expectRejected(db.execute(sql`update audit_events set action = 'forged' where seq = 2`), /append-only: UPDATE/);
    await expectRejected(db.update(auditEvents).set({ outcome: 'success' }), /append-only: UPDATE/);
    await expectRejected(db.execute(sql`delete from audit_events where seq = 2`), /append-only: DELETE/);
    await expectRejected(db.delete(auditEvents), /append-only: DELETE/);
    await expectRejected(db.execute(sql`truncate audit_events`), /append-only: TRUNCATE/);
    expect(await allEvents(db)).toEqual(before);
    expect((await verifyAuditChain(db)).ok).toBe(true);
  });

  it('round-trips arbitrary JSON payloads through jsonb without breaking the chain', async () => {
    // jsonb cannot hold U+0000, so strings are drawn without it (see report).
    const payload = fc.jsonValue({ maxDepth: 3, stringUnit: 'binary' }).filter((v) => !JSON.stringify(v).includes('\\u0000'));
    await fc.assert(
      fc.asyncProperty(payload, payload, async (before, after) => {
        await recordAudit(db, CONTEXT, { action: 'prop', entityType: 'thing', before, after });
      }),
      { numRuns: 60 },
    );
    const result = await verifyAuditChain(db);
    expect(result.ok, JSON.stringify(result)).toBe(true);
  });
});

describe('tampering is detected (triggers disabled as superuser)', () => {
  /** A fresh database per scenario holding five valid events, with the append-only triggers off. */
  async function tamperable() {
    const handle = await freshPglite();
    await appendMany(handle.db, 5);
    expect(await verifyAuditChain(handle.db)).toMatchObject({ ok: true, verified: 5 });
    await handle.db.execute(sql`alter table audit_events disable trigger user`);
    const rows = await allEvents(handle.db);
    return { ...handle, rows };
  }

  it('(a) an edited `after` is a hash_mismatch at that event', async () => {
    const { db, close, rows } = await tamperable();
    try {
      await db.execute(sql`update audit_events set after = ${JSON.stringify({ i: 999 })}::jsonb where seq = 3`);
      expect(await verifyAuditChain(db)).toMatchObject({
        ok: false,
        verified: 2,
        firstBreak: { reason: 'hash_mismatch', id: rows[2]!.id, seq: 3 },
      });
    } finally {
      await close();
    }
  });

  it('(a2) an edit with a recomputed hash breaks the link to the next event', async () => {
    const { db, close, rows } = await tamperable();
    try {
      const forged = { ...rows[2]!, actorEmail: 'someone-else@example.com' };
      await db.execute(
        sql`update audit_events set actor_email = ${forged.actorEmail}, hash = ${chainHash(forged)} where seq = 3`,
      );
      expect(await verifyAuditChain(db)).toMatchObject({
        ok: false,
        verified: 3,
        firstBreak: { reason: 'prev_hash_mismatch', id: rows[3]!.id, seq: 4 },
      });
    } finally {
      await close();
    }
  });

  it('(b) a deleted middle event is a sequence_gap at the next seq', async () => {
    const { db, close, rows } = await tamperable();
    try {
      await db.execute(sql`delete from audit_events where seq = 3`);
      expect(await verifyAuditChain(db)).toMatchObject({
        ok: false,
        verified: 2,
        firstBreak: { reason: 'sequence_gap', id: rows[3]!.id, seq: 4 },
      });
    } finally {
      await close();
    }
  });

  it('(c) two events swapped in order break the chain at the first affected seq', async () => {
    const { db, close, rows } = await tamperable();
    try {
      await db.execute(sql`update audit_events set seq = -1 where seq = 2`);
      await db.execute(sql`update audit_events set seq = 2 where seq = 3`);
      await db.execute(sql`update audit_events set seq = 3 where seq = -1`);
      const result = await verifyAuditChain(db);
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.verified).toBe(1);
      expect(result.firstBreak.seq).toBe(2);
      expect(result.firstBreak.id).toBe(rows[2]!.id);
      expect(['prev_hash_mismatch', 'hash_mismatch']).toContain(result.firstBreak.reason);
    } finally {
      await close();
    }
  });
});
