import { randomUUID } from 'node:crypto';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { getDbHandle, migrateAppDb } from '@/db';
import { TEST_DATABASE_URL, warnPostgresSkipped } from '@/test/db';

/**
 * Issue #14: the readiness probe on PostgreSQL, through the app's own database handle (getDbHandle,
 * pointed at a database of its own by DATABASE_URL). The database goes away (its connections
 * terminated, new ones refused) and comes back; a migration goes missing and comes back. The
 * probe's body never says more than ready or not ready; liveness never touches the database.
 */

warnPostgresSkipped('lib/observability/health.pg.test.ts — readiness when the database goes away and returns');

const name = `rd_health_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
let admin: postgres.Sql;
let appUrl: string;

async function probe(path: 'ready' | 'live' | 'alias') {
  const route =
    path === 'ready'
      ? await import('@/app/api/health/ready/route')
      : path === 'live'
        ? await import('@/app/api/health/live/route')
        : await import('@/app/api/health/route');
  const response = await route.GET();
  return { status: response.status, body: (await response.json()) as unknown, cache: response.headers.get('cache-control') };
}

async function takeDatabaseAway() {
  await admin.unsafe(`alter database ${name} allow_connections false`);
  await admin.unsafe(
    `select pg_terminate_backend(pid) from pg_stat_activity where datname = '${name}' and pid <> pg_backend_pid()`,
  );
}

describe.skipIf(!TEST_DATABASE_URL)('readiness on PostgreSQL', () => {
  beforeAll(async () => {
    admin = postgres(TEST_DATABASE_URL!, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name}`);
    const url = new URL(TEST_DATABASE_URL!);
    url.pathname = `/${name}`;
    appUrl = url.toString();
    vi.stubEnv('DATABASE_URL', appUrl);
    vi.stubEnv('MIGRATION_DATABASE_URL', '');
    vi.stubEnv('MIGRATE_ON_START', '');
    // No provider configured: readiness never waits for one anyway (lib/observability/health.ts).
    vi.stubEnv('PROVIDERS', '');
  });

  afterAll(async () => {
    await admin.unsafe(`alter database ${name} allow_connections true`).catch(() => undefined);
    await (await getDbHandle().catch(() => null))?.close();
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end({ timeout: 5 });
    vi.unstubAllEnvs();
  });

  it('is not ready before the migrations are applied, and ready after; the body says only that', async () => {
    // Serving never migrates PostgreSQL (db/index.ts): the deploy step does.
    expect(await probe('ready')).toEqual({ status: 503, body: { status: 'not_ready' }, cache: 'no-store' });
    await migrateAppDb();
    expect(await probe('ready')).toEqual({ status: 200, body: { status: 'ready' }, cache: 'no-store' });
    expect(await probe('alias')).toEqual({ status: 200, body: { status: 'ready' }, cache: 'no-store' });
  });

  it('turns not ready when the database goes away, while liveness still answers, and ready again when it returns', async () => {
    await takeDatabaseAway();
    const started = Date.now();
    expect(await probe('ready')).toEqual({ status: 503, body: { status: 'not_ready' }, cache: 'no-store' });
    expect(await probe('alias')).toEqual({ status: 503, body: { status: 'not_ready' }, cache: 'no-store' });
    // Within the probe's own timeout (2 s), not the driver's connect timeout (30 s).
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await probe('live')).toEqual({ status: 200, body: { status: 'live' }, cache: 'no-store' });

    await admin.unsafe(`alter database ${name} allow_connections true`);
    expect(await probe('ready')).toEqual({ status: 200, body: { status: 'ready' }, cache: 'no-store' });
  });

  it('is not ready while a migration of this build is missing from the database', async () => {
    const db = postgres(appUrl, { max: 1, onnotice: () => {} });
    try {
      const [last] = await db`select id, hash, created_at from drizzle.__drizzle_migrations order by created_at desc limit 1`;
      await db`delete from drizzle.__drizzle_migrations where id = ${last!.id as number}`;
      expect(await probe('ready')).toEqual({ status: 503, body: { status: 'not_ready' }, cache: 'no-store' });
      await db`insert into drizzle.__drizzle_migrations (id, hash, created_at) values (${last!.id as number}, ${last!.hash as string}, ${last!.created_at as string})`;
      expect(await probe('ready')).toEqual({ status: 200, body: { status: 'ready' }, cache: 'no-store' });
    } finally {
      await db.end({ timeout: 5 });
    }
  });
});
