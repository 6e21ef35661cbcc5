import { readFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { MIGRATIONS_FOLDER, queryRows, type DbOrTx } from './index';

interface JournalEntry {
  tag: string;
  when: number;
}

let shipped: JournalEntry[] | null = null;

/** The migrations this build ships (db/migrations/meta/_journal.json), oldest first. */
function shippedMigrations(): JournalEntry[] {
  shipped ??= (
    JSON.parse(readFileSync(path.join(MIGRATIONS_FOLDER, 'meta', '_journal.json'), 'utf8')) as { entries: JournalEntry[] }
  ).entries;
  return shipped;
}

/** PostgreSQL's "insufficient privilege": the app's role cannot read drizzle's log yet. */
const PERMISSION_DENIED = '42501';

/**
 * The migrations this build ships that the database does not hold, by tag ('0016_…'), oldest
 * first. Drizzle's migrator records each applied migration in `drizzle.__drizzle_migrations` with
 * its journal entry's `when` as `created_at`. A database ahead of this build (a newer instance
 * migrated it during a rolling deploy) has nothing pending for this build.
 *
 * The app's runtime role may read that log from migration 0016 on; before it, reading is refused,
 * which can only mean 0016 (at least) is pending. Throws when the database does not answer.
 */
export async function pendingMigrations(db: DbOrTx): Promise<string[]> {
  const all = shippedMigrations();
  let applied: Set<number>;
  try {
    const [log] = await queryRows<{ table: string | null }>(
      db,
      sql`select to_regclass('drizzle.__drizzle_migrations')::text as "table"`,
    );
    if (!log?.table) return all.map((m) => m.tag);
    const rows = await queryRows<{ createdAt: string | number }>(
      db,
      sql`select created_at as "createdAt" from drizzle.__drizzle_migrations`,
    );
    applied = new Set(rows.map((row) => Number(row.createdAt)));
  } catch (error) {
    const code = ((error as { cause?: { code?: string } }).cause ?? error) as { code?: string };
    if (code.code !== PERMISSION_DENIED) throw error;
    const readable = all.findIndex((m) => m.tag.startsWith('0016_'));
    return all.slice(Math.max(readable, 0)).map((m) => m.tag);
  }
  return all.filter((m) => !applied.has(m.when)).map((m) => m.tag);
}

/**
 * Whether the database holds every migration this build ships: readiness is false until it does
 * (README "Run it in production": serving never migrates unless MIGRATE_ON_START=1).
 */
export async function migrationsCurrent(db: DbOrTx): Promise<boolean> {
  return (await pendingMigrations(db)).length === 0;
}
