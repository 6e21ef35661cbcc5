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
  if (options.migrate !== false) await migrateDb(handle);
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

export async function migrateDb(handle: DbHandle): Promise<void> {
  if (handle.kind === 'postgres') {
    const { migrate } = await import('drizzle-orm/postgres-js/migrator');
    // @ts-expect-error the generic Db is the postgres-js database at run time
    await migrate(handle.db, { migrationsFolder: MIGRATIONS_FOLDER });
  } else {
    const { migrate } = await import('drizzle-orm/pglite/migrator');
    // @ts-expect-error the generic Db is the PGlite database at run time
    await migrate(handle.db, { migrationsFolder: MIGRATIONS_FOLDER });
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
  const handle = await openDb({ url: migrationDatabaseUrl(), max: 1 });
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

/** The app's database: opened (and migrated) once per process. */
export function getDbHandle(): Promise<DbHandle> {
  // No audit event can be written without the key: fail at start, saying what to set.
  globalForDb.__refundDeskDb ??= Promise.resolve()
    .then(() => auditKeyText())
    .then(() => openAppDb())
    .catch((error) => {
      globalForDb.__refundDeskDb = undefined;
      throw error;
    });
  return globalForDb.__refundDeskDb;
}

export async function getDb(): Promise<Db> {
  return (await getDbHandle()).db;
}

export { schema };
