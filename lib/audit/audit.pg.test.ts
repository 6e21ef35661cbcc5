import { asc, sql } from 'drizzle-orm';
import { getTableConfig, PgTable } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows, type Db } from '@/db';
import * as schema from '@/db/schema';
import { auditEvents } from '@/db/schema';
import { freshPostgres, TEST_DATABASE_URL, warnPostgresSkipped } from '@/test/db';
import { appendAudit, recordAudit, verifyAuditChain, type AuditContext } from '.';
import { GENESIS_HASH } from '@/db/audit-hash';

warnPostgresSkipped(
  'lib/audit/audit.pg.test.ts — concurrent audit appends, migrations and the append-only trigger on PostgreSQL',
);

const CONTEXT: AuditContext = {
  actorId: null,
  actorRole: 'system',
  actorEmail: null,
  ip: null,
  userAgent: 'vitest',
  requestId: null,
};

const TABLES = [
  'users',
  'auth_throttle',
  'sessions',
  'security_counts',
  'orders',
  'order_lines',
  'order_payments',
  'refunds',
  'refund_lines',
  'provider_checks',
  'provider_refunds',
  'submissions',
  'approvals',
  'jobs',
  'webhook_events',
  'audit_events',
  'settings',
  'refund_limits',
  'refund_day_rollups',
  'refund_reason_rollups',
];

function errorText(error: unknown): string {
  const parts: string[] = [];
  for (let e = error as { message?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e)
    parts.push(String(e.message));
  return parts.join(' | ');
}

describe.skipIf(!TEST_DATABASE_URL)('audit chain on PostgreSQL', () => {
  let handle: Awaited<ReturnType<typeof freshPostgres>>;
  let db: Db;
  beforeAll(async () => {
    handle = await freshPostgres(20);
    db = handle.db;
  });
  afterAll(() => handle?.close());

  it('applies the migrations: the 20 tables of db/schema exist', async () => {
    const rows = await queryRows<{ table_name: string }>(
      db,
      sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`,
    );
    const present = rows.map((r) => r.table_name);
    expect(present).toEqual(expect.arrayContaining(TABLES));
    // The list above is the schema's own list of tables, no more and no less.
    const declared = (Object.values(schema) as unknown[])
      .filter((value): value is PgTable => value instanceof PgTable)
      .map((table) => getTableConfig(table).name);
    expect([...declared].sort()).toEqual([...TABLES].sort());
  });

  it('installs the append-only and four-eyes triggers', async () => {
    const rows = await queryRows<{ tgname: string }>(
      db,
      sql`select tgname from pg_trigger where not tgisinternal order by tgname`,
    );
    expect(rows.map((r) => r.tgname)).toEqual(
      expect.arrayContaining([
        'approvals_four_eyes',
        'audit_events_no_truncate',
        'audit_events_no_update_delete',
        'provider_checks_append_only',
        'refunds_lifecycle',
        'submissions_write_once',
      ]),
    );
  });

  it('50 concurrent appends, each in its own transaction, form one gapless chain', async () => {
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        db.transaction(async (tx) => {
          const written = await appendAudit(tx, CONTEXT, {
            action: 'concurrent',
            entityType: 'thing',
            entityId: String(i),
            after: { i },
          });
          // Hold the transaction open a little so that appends really overlap.
          await tx.execute(sql`select pg_sleep(0.002)`);
          return written;
        }),
      ),
    );
    const rows = await db.select().from(auditEvents).orderBy(asc(auditEvents.seq));
    expect(rows).toHaveLength(50);
    expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(new Set(results.map((r) => r.seq)).size).toBe(50);
    expect(new Set(rows.map((r) => r.prevHash)).size).toBe(50);
    expect(rows[0]!.prevHash).toBe(GENESIS_HASH);
    expect(new Set(rows.map((r) => r.entityId))).toEqual(new Set(Array.from({ length: 50 }, (_, i) => String(i))));
    const result = await verifyAuditChain(db, 7);
    expect(result).toEqual({ ok: true, verified: 50, headHash: rows.at(-1)!.hash });
  });

  it('the pool really ran the transactions in parallel (≥ 10 connections)', async () => {
    const rows = await queryRows<{ n: number }>(
      handle.db,
      sql`select setting::int as n from pg_settings where name = 'max_connections'`,
    );
    expect(Number(rows[0]!.n)).toBeGreaterThanOrEqual(20);
    // Open 10 transactions at once; each holds a shared lock until all 10 have been seen holding it together,
    // which only happens with ≥ 10 connections in the pool.
    let peak = 0;
    await Promise.all(
      Array.from({ length: 10 }, () =>
        db.transaction(async (tx) => {
          await tx.execute(sql`select pg_advisory_xact_lock_shared(42)`);
          for (let i = 0; i < 300 && peak < 10; i += 1) {
            const [row] = await queryRows<{ n: number }>(
              tx,
              sql`select count(*)::int as n from pg_locks where locktype = 'advisory' and objid = 42 and mode = 'ShareLock'`,
            );
            peak = Math.max(peak, Number(row!.n));
            if (peak < 10) await new Promise((r) => setTimeout(r, 10));
          }
        }),
      ),
    );
    expect(peak).toBe(10);
  });

  it('rejects DELETE, UPDATE and TRUNCATE, also for the superuser', async () => {
    await recordAudit(db, CONTEXT, { action: 'trigger.check', entityType: 'thing' });
    const before = await db.select().from(auditEvents).orderBy(asc(auditEvents.seq));
    expect(before.length).toBeGreaterThan(0);
    for (const statement of [
      sql`delete from audit_events`,
      sql`update audit_events set action = 'forged'`,
      sql`truncate audit_events`,
    ]) {
      const error = await db.execute(statement).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).not.toBeNull();
      expect(errorText(error)).toMatch(/audit_events is append-only/);
    }
    await expect(handle.superuser`delete from audit_events`).rejects.toThrow(/append-only: DELETE/);
    expect(await db.select().from(auditEvents).orderBy(asc(auditEvents.seq))).toEqual(before);
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true, verified: before.length });
  });
});
