import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import postgres from 'postgres';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { getDbHandle, MIGRATION_LOCK_KEY, MIGRATIONS_FOLDER, openDb } from '@/db';
import { migrationsCurrent, pendingMigrations } from '@/db/migration-state';
import { TEST_DATABASE_URL, warnPostgresSkipped } from '@/test/db';

warnPostgresSkipped('db/migrate.pg.test.ts — migrations under an advisory lock, and a server that does not migrate unasked');

const journal = (
  JSON.parse(readFileSync(path.join(MIGRATIONS_FOLDER, 'meta', '_journal.json'), 'utf8')) as { entries: { tag: string }[] }
).entries.map((e) => e.tag);

/** An empty database (freshPostgres migrates; these tests must start before any migration). */
async function emptyDatabase() {
  const admin = postgres(TEST_DATABASE_URL!, { max: 1, onnotice: () => {} });
  const name = `rd_test_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  await admin.unsafe(`create database ${name}`);
  const url = new URL(TEST_DATABASE_URL!);
  url.pathname = `/${name}`;
  const sql = postgres(url.toString(), { max: 2, onnotice: () => {} });
  return {
    url: url.toString(),
    sql,
    async drop() {
      await sql.end({ timeout: 5 });
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end({ timeout: 5 });
    },
  };
}

const tableExists = async (sql: postgres.Sql, name: string) =>
  (await sql<{ t: string | null }[]>`select to_regclass(${name})::text as t`)[0]!.t !== null;

describe.skipIf(!TEST_DATABASE_URL)('migrations on PostgreSQL', () => {
  let db: Awaited<ReturnType<typeof emptyDatabase>>;
  beforeAll(async () => {
    db = await emptyDatabase();
  });
  afterAll(() => db?.drop());

  it('two instances migrating at once both succeed, one after the other under the advisory lock, and apply each migration once', async () => {
    // Someone holds the migration lock: neither run may start until it is released.
    const holder = await db.sql.reserve();
    await holder`select pg_advisory_lock(${MIGRATION_LOCK_KEY.toString()}::bigint)`;
    const runs = [openDb({ url: db.url, max: 1 }), openDb({ url: db.url, max: 1 })];
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(await tableExists(db.sql, 'drizzle.__drizzle_migrations')).toBe(false);
    expect(await tableExists(db.sql, 'public.refunds')).toBe(false);
    await holder`select pg_advisory_unlock(${MIGRATION_LOCK_KEY.toString()}::bigint)`;
    holder.release();

    const handles = await Promise.all(runs);
    await Promise.all(handles.map((h) => h.close()));
    const applied = await db.sql<{ hash: string }[]>`select hash from drizzle.__drizzle_migrations`;
    expect(applied).toHaveLength(journal.length);
    expect(new Set(applied.map((r) => r.hash)).size).toBe(journal.length);
    expect(await tableExists(db.sql, 'public.refunds')).toBe(true);
    // Nobody is left holding the lock.
    const [lock] = await db.sql<{ n: number }[]>`select count(*)::int as n from pg_locks
      where locktype = 'advisory' and database = (select oid from pg_database where datname = current_database())`;
    expect(lock!.n).toBe(0);
  });
});

describe.skipIf(!TEST_DATABASE_URL)('a serving instance and pending migrations', () => {
  const saved = { ...process.env };
  let db: Awaited<ReturnType<typeof emptyDatabase>>;
  beforeAll(async () => {
    db = await emptyDatabase();
  });
  afterEach(async () => {
    const global = globalThis as { __refundDeskDb?: Promise<{ close(): Promise<void> }> };
    await (await global.__refundDeskDb?.catch(() => null))?.close();
    global.__refundDeskDb = undefined;
    process.env = { ...saved };
  });
  afterAll(() => db?.drop());

  it('does not migrate PostgreSQL on start unless MIGRATE_ON_START=1, and readiness sees what is pending', async () => {
    process.env.DATABASE_URL = db.url;
    delete process.env.MIGRATION_DATABASE_URL;
    delete process.env.MIGRATE_ON_START;
    const { db: unmigrated } = await getDbHandle();
    expect(await tableExists(db.sql, 'public.refunds')).toBe(false);
    expect(await pendingMigrations(unmigrated)).toEqual(journal);
    expect(await migrationsCurrent(unmigrated)).toBe(false);
  });

  it('migrates on start with MIGRATE_ON_START=1; then nothing is pending', async () => {
    process.env.DATABASE_URL = db.url;
    process.env.MIGRATE_ON_START = '1';
    const { db: migrated } = await getDbHandle();
    expect(await pendingMigrations(migrated)).toEqual([]);
    expect(await migrationsCurrent(migrated)).toBe(true);
  });

  it("the app's runtime role can read what is applied (migration 0016), and nothing more of drizzle's log", async () => {
    const role = `rd_app_${randomUUID().replace(/-/g, '').slice(0, 8)}`;
    await db.sql.unsafe(`create role ${role} login`);
    try {
      const url = new URL(db.url);
      url.username = role;
      const asApp = await openDb({ url: url.toString(), max: 1, migrate: false });
      try {
        expect(await migrationsCurrent(asApp.db)).toBe(true);
        await expect(asApp.db.execute('delete from drizzle.__drizzle_migrations')).rejects.toThrow();
      } finally {
        await asApp.close();
      }
      // Before 0016 the same read is refused, which readiness counts as 0016 (and on) pending.
      await db.sql.unsafe(`revoke usage on schema drizzle from public`);
      const before = await openDb({ url: url.toString(), max: 1, migrate: false });
      try {
        expect(await pendingMigrations(before.db)).toEqual(journal.filter((tag) => tag >= '0016'));
      } finally {
        await before.close();
        await db.sql.unsafe(`grant usage on schema drizzle to public`);
      }
    } finally {
      await db.sql.unsafe(`drop role ${role}`);
    }
  });
});
