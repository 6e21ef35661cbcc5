import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { ExtractTablesWithRelations, SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import { auditKeyText } from './audit-key';
import * as schema from './schema';

type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** Queries take this as their first argument so they run alike inside and outside transactions. */
export type DbOrTx = Db | Tx;

export interface DbHandle {
  db: Db;
  kind: 'pglite' | 'postgres';
  close: () => Promise<void>;
}

export const MIGRATIONS_FOLDER = path.join(process.cwd(), 'db', 'migrations');
const DEFAULT_DATA_DIR = process.env.PGLITE_DATA_DIR || path.join(process.cwd(), 'data', 'pglite');

export interface OpenOptions {
  /** PostgreSQL URL; when absent an embedded PGlite database is used. */
  url?: string;
  /** PGlite data directory; `memory://` for a throwaway in-memory database. */
  dataDir?: string;
  /** Apply the committed migrations before returning (default true). */
  migrate?: boolean;
  /** Pool size for PostgreSQL. */
  max?: number;
}

export async function openDb(options: OpenOptions = {}): Promise<DbHandle> {
  const handle = options.url ? await openPostgres(options.url, options.max) : await openPglite(options.dataDir);
  if (options.migrate !== false) await migrateDb(handle, { url: options.url });
  return handle;
}

async function openPostgres(url: string, max = 10): Promise<DbHandle> {
  const { default: postgres } = await import('postgres');
  const { drizzle } = await import('drizzle-orm/postgres-js');
  const client = postgres(url, { max, onnotice: () => {} });
  const db = drizzle(client, { schema, casing: 'snake_case' }) as unknown as Db;
  return { db, kind: 'postgres', close: () => client.end({ timeout: 5 }) };
}

async function openPglite(dataDir = DEFAULT_DATA_DIR): Promise<DbHandle> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle } = await import('drizzle-orm/pglite');
  // PGlite needs the parent of its data directory to exist before it opens.
  if (!dataDir.startsWith('memory://')) mkdirSync(path.dirname(dataDir), { recursive: true });
  const client = await PGlite.create(dataDir);
  const db = drizzle(client, { schema, casing: 'snake_case' }) as unknown as Db;
  return { db, kind: 'pglite', close: () => client.close() };
}

/**
 * The advisory lock every migration run takes on PostgreSQL (any fixed 64-bit number; this one
 * spells "refunds" in ASCII), so instances started at once never migrate side by side: the second
 * waits, then finds nothing left to apply.
 */
export const MIGRATION_LOCK_KEY = 0x726566756e6473n;

export async function migrateDb(handle: DbHandle, options: { url?: string } = {}): Promise<void> {
  if (handle.kind === 'postgres') {
    if (!options.url)
      throw new Error('migrateDb on PostgreSQL needs the URL, to hold the migration lock on a connection of its own');
    await migratePostgres(options.url);
  } else {
    const { migrate } = await import('drizzle-orm/pglite/migrator');
    // @ts-expect-error the generic Db is the PGlite database at run time
    await migrate(handle.db, { migrationsFolder: MIGRATIONS_FOLDER });
  }
}

/**
 * Drizzle's migrator under a session-level advisory lock, on one connection (max: 1), so the lock,
 * the migrations and the unlock all run in the same session. The lock ends with the session if the
 * process dies halfway; each migration is applied in a transaction.
 */
async function migratePostgres(url: string) {
  const { default: postgres } = await import('postgres');
  const { drizzle } = await import('drizzle-orm/postgres-js');
  const { migrate } = await import('drizzle-orm/postgres-js/migrator');
  const client = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await client`select pg_advisory_lock(${MIGRATION_LOCK_KEY.toString()}::bigint)`;
    try {
      await migrate(drizzle(client), { migrationsFolder: MIGRATIONS_FOLDER });
    } finally {
      await client`select pg_advisory_unlock(${MIGRATION_LOCK_KEY.toString()}::bigint)`;
    }
  } finally {
    await client.end({ timeout: 5 });
  }
}

/**
 * Two database roles (README "Database roles"): `DATABASE_URL` is the app's runtime role, which may
 * only add and read audit events; `MIGRATION_DATABASE_URL`, when set, is the role that owns the
 * tables and runs the migrations. Without it, `DATABASE_URL` migrates too (one role, as PGlite has).
 */
export function migrationDatabaseUrl(): string | undefined {
  const url = process.env.DATABASE_URL || undefined;
  const migrationUrl = process.env.MIGRATION_DATABASE_URL || undefined;
  if (migrationUrl && !url) {
    throw new Error('MIGRATION_DATABASE_URL is set but DATABASE_URL is not: the app would run on the embedded database.');
  }
  return migrationUrl ?? url;
}

/** Applies the migrations as the migration role (MIGRATION_DATABASE_URL, else DATABASE_URL, else PGlite). */
export async function migrateAppDb(): Promise<DbHandle['kind']> {
  const url = migrationDatabaseUrl();
  if (url) {
    await migratePostgres(url);
    return 'postgres';
  }
  const handle = await openDb({ max: 1 });
  await handle.close();
  return handle.kind;
}

/** The app's database as its runtime role, after the migrations were applied as the migration role. */
export async function openAppDb(options: { max?: number } = {}): Promise<DbHandle> {
  const url = process.env.DATABASE_URL || undefined;
  const migrationUrl = migrationDatabaseUrl();
  if (migrationUrl === url) return openDb({ url, max: options.max });
  await migrateAppDb();
  return openDb({ url, max: options.max, migrate: false });
}

/** Raw SQL that returns rows, normalised across drivers (PGlite gives `{ rows }`, postgres.js an array). */
export async function queryRows<T extends Record<string, unknown>>(db: DbOrTx, query: SQL): Promise<T[]> {
  const result: unknown = await db.execute(query);
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}

const globalForDb = globalThis as unknown as { __refundDeskDb?: Promise<DbHandle> };

/**
 * The server's database: opened once per process. The embedded database is migrated here, as it
 * always was (npm start, next dev, the end-to-end server). PostgreSQL is migrated by its own step
 * (`npm run db:migrate`, README "Run it in production") and never by a serving instance unless
 * MIGRATE_ON_START=1; without it, pending migrations are logged as an error and readiness stays
 * false (db/migration-state.ts) until they are applied.
 */
export function getDbHandle(): Promise<DbHandle> {
  // No audit event can be written without the key: fail at start, saying what to set.
  globalForDb.__refundDeskDb ??= Promise.resolve()
    .then(() => auditKeyText())
    .then(() => openServerDb())
    .catch((error) => {
      globalForDb.__refundDeskDb = undefined;
      throw error;
    });
  return globalForDb.__refundDeskDb;
}

async function openServerDb(): Promise<DbHandle> {
  const url = process.env.DATABASE_URL || undefined;
  if (!url || process.env.MIGRATE_ON_START === '1') return openAppDb();
  const handle = await openDb({ url, migrate: false });
  const { pendingMigrations } = await import('./migration-state');
  const pending = await pendingMigrations(handle.db).catch(() => null);
  if (pending?.length) {
    const { log } = await import('@/lib/log');
    log.error(
      { pending },
      `the database lacks ${pending.length} migration(s) of this build: run \`npm run db:migrate\` (or start one instance with MIGRATE_ON_START=1); not ready until then`,
    );
  }
  return handle;
}

export async function getDb(): Promise<Db> {
  return (await getDbHandle()).db;
}

export { schema };
