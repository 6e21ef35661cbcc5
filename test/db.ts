import { randomUUID } from 'node:crypto';
import postgres from 'postgres';
import { openDb, type DbHandle } from '@/db';

/** A fresh, migrated, in-memory PGlite database for one test file. */
export function freshPglite(): Promise<DbHandle> {
  return openDb({ dataDir: 'memory://' });
}

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL;

/**
 * Tests that need real concurrency (locks, several connections) run on PostgreSQL. Each file gets
 * its own database, created from TEST_DATABASE_URL and dropped afterwards.
 */
export async function freshPostgres(max = 20): Promise<DbHandle & { url: string; superuser: postgres.Sql }> {
  if (!TEST_DATABASE_URL) throw new Error('TEST_DATABASE_URL is not set');
  const admin = postgres(TEST_DATABASE_URL, { max: 1, onnotice: () => {} });
  const name = `rd_test_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  await admin.unsafe(`create database ${name}`);
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  const handle = await openDb({ url: url.toString(), max });
  const superuser = postgres(url.toString(), { max: 1, onnotice: () => {} });
  return {
    ...handle,
    url: url.toString(),
    superuser,
    close: async () => {
      await handle.close();
      await superuser.end({ timeout: 5 });
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end({ timeout: 5 });
    },
  };
}

/** Loud, so a run without PostgreSQL never looks like a full pass. */
export function warnPostgresSkipped(what: string) {
  if (!TEST_DATABASE_URL) {
    console.warn(
      `\n⚠️  SKIPPED (no TEST_DATABASE_URL): ${what}\n   Set TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres to run it.\n`,
    );
  }
}
