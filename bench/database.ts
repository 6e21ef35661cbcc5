import { randomUUID } from 'node:crypto';
import postgres from 'postgres';
import { openDb, type Db, type DbHandle } from '@/db';

/**
 * The database the benchmark runs on: a throwaway database on the PostgreSQL server named by
 * BENCH_DATABASE_URL (created here, dropped at the end, like test/db.ts freshPostgres), or an
 * in-memory PGlite. Both are migrated with the committed migrations.
 */
export interface BenchDb extends DbHandle {
  /** What to print: which database this is. */
  label: string;
  /** Runs SQL text with positional parameters on the underlying client (for EXPLAIN). */
  raw: (text: string, params: unknown[]) => Promise<Record<string, unknown>[]>;
}

export async function openBenchDb(url: string | undefined, keep: boolean): Promise<BenchDb> {
  if (!url) {
    const handle = await openDb({ dataDir: 'memory://' });
    const client = (handle.db as unknown as { $client: { query: (t: string, p: unknown[]) => Promise<{ rows: unknown[] }> } })
      .$client;
    const [row] = (await client.query(`select current_setting('server_version') as version`, [])).rows as { version: string }[];
    return {
      ...handle,
      label: `PGlite (PostgreSQL ${row?.version ?? '?'}, in-memory, in-process WebAssembly)`,
      raw: async (text, params) => (await client.query(text, params)).rows as Record<string, unknown>[],
    };
  }
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  const name = `rd_bench_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  await admin.unsafe(`create database ${name}`);
  const target = new URL(url);
  target.pathname = `/${name}`;
  let handle: DbHandle;
  try {
    handle = await openDb({ url: target.toString(), max: 4 });
  } catch (error) {
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end({ timeout: 5 });
    throw error;
  }
  const [{ version }] = (await admin`select current_setting('server_version') as version`) as unknown as [{ version: string }];
  const client = (handle.db as unknown as { $client: postgres.Sql }).$client;
  const shown = new URL(target);
  shown.password = shown.password ? '***' : '';
  return {
    ...handle,
    label: `PostgreSQL ${version}, throwaway database ${shown.toString()}${keep ? ' (kept: BENCH_KEEP=1)' : ''}`,
    raw: async (text, params) =>
      (await client.unsafe(text, params as postgres.ParameterOrJSON<never>[])) as unknown as Record<string, unknown>[],
    close: async () => {
      await handle.close();
      if (!keep) await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end({ timeout: 5 });
    },
  };
}

interface CapturedQuery {
  sql: string;
  params: unknown[];
}

/**
 * Records the SQL that drizzle sends (through the session's logger), so EXPLAIN runs on exactly
 * the query the app code built rather than a hand-written copy of it.
 */
export function captureQueries(db: Db) {
  const session = (db as unknown as { session: { logger: { logQuery: (sql: string, params: unknown[]) => void } } }).session;
  const original = session.logger;
  const captured: CapturedQuery[] = [];
  session.logger = { logQuery: (sql, params) => captured.push({ sql, params }) };
  return {
    captured,
    stop: () => {
      session.logger = original;
    },
  };
}
