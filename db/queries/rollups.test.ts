import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { MIGRATIONS_FOLDER, openDb, queryRows, type DbHandle } from '@/db';
import { rollupsVersusRecount } from '@/test/rollups';
import { rollupDifferences } from './rollups';

// Migration 0017 fills the rollups (and the deadline copies) from the refunds already there, so a
// database that had data before it shows the same overview the moment it is migrated; 0022 does
// the same for each refund's copies of its reasons and provider references.

const journalPath = path.join(MIGRATIONS_FOLDER, 'meta', '_journal.json');
const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { tag: string }[] };

/** The committed migrations before the rollups, in a folder of their own. */
function migrationsBefore(tag: string) {
  const dir = mkdtempSync(path.join(tmpdir(), 'migrations-'));
  cpSync(MIGRATIONS_FOLDER, dir, { recursive: true });
  const upTo = journal.entries.findIndex((e) => e.tag === tag);
  writeFileSync(path.join(dir, 'meta', '_journal.json'), JSON.stringify({ ...journal, entries: journal.entries.slice(0, upTo) }));
  return dir;
}

describe('migration 0017 on a database with refunds', () => {
  let handle: DbHandle;
  let dir: string;
  afterAll(async () => {
    await handle?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('fills the rollups and the deadline copies from the rows already there', async () => {
    handle = await openDb({ dataDir: 'memory://', migrate: false });
    dir = migrationsBefore('0017_overview_rollups');
    const { migrate } = await import('drizzle-orm/pglite/migrator');
    // @ts-expect-error the generic Db is the PGlite database at run time
    await migrate(handle.db, { migrationsFolder: dir });
    expect(await queryRows(handle.db, sql`select to_regclass('refund_day_rollups')::text as t`)).toEqual([{ t: null }]);

    // Plain SQL: the schema of this build has columns the database does not have yet.
    for (const statement of [
      sql`insert into users (id, email, name, role) values ('6f1c2b8e-3d4a-4b5c-8d6e-7f8091a2b3c4', 'a@example.test', 'A', 'agent')`,
      sql`insert into orders (id, provider, provider_ref, order_number, kind, status, provider_status, currency, total_minor,
                            customer_name, customer_email, placed_at, refund_deadline)
        select ('00000000-0000-4000-8000-00000000000' || n)::uuid, case when n % 2 = 0 then 'forage' else 'frontpayment' end,
               'REF' || n, 'MIG-' || n, case when n % 2 = 0 then 'forage' else 'regular' end::order_kind, 'paid', 'PAID',
               case when n % 2 = 0 then 'USD' else 'NOK' end, 1000000000, 'C' || n, 'c' || n || '@example.test',
               now() - interval '50 days', case when n = 3 then null else now() + n * interval '1 day' end
          from generate_series(1, 3) n`,
      sql`insert into order_lines (id, order_id, position, provider_line_id, name, unit_price_minor, quantity, paid_minor)
        select ('00000000-0000-4000-8000-0000000001' || o || k)::uuid, ('00000000-0000-4000-8000-00000000000' || o)::uuid,
               k, 'L' || k, 'P' || k, 100000000, 1, 100000000
          from generate_series(1, 3) o cross join generate_series(0, 2) k`,
      sql`insert into refunds (id, order_id, request_key, status, currency, amount_minor, requested_by, created_at, completed_at)
        select ('00000000-0000-4000-8000-0000000002' || lpad(n::text, 2, '0'))::uuid,
               ('00000000-0000-4000-8000-00000000000' || (1 + n % 3))::uuid, gen_random_uuid(),
               (array['succeeded', 'failed', 'approved', 'pending_approval', 'processing', 'partially_succeeded'])[1 + n % 6]::refund_status,
               case when n % 3 = 1 then 'USD' else 'NOK' end, 100 * n, '6f1c2b8e-3d4a-4b5c-8d6e-7f8091a2b3c4',
               now() - n * interval '1 day 3 hours', case when n % 6 in (0, 1, 5) and n % 4 <> 0 then now() - n * interval '20 hours' end
          from generate_series(1, 40) n`,
      sql`insert into refund_lines (refund_id, order_line_id, quantity, amount_minor, reason)
        select r.id, ('00000000-0000-4000-8000-0000000001' || (1 + n % 3) || k)::uuid, 0, 1,
               (array['damaged', 'quality', 'damaged'])[1 + (n + k) % 3]::refund_reason
          from generate_series(1, 40) n
          join refunds r on r.id = ('00000000-0000-4000-8000-0000000002' || lpad(n::text, 2, '0'))::uuid
          cross join generate_series(0, n % 3) k`,
      sql`insert into provider_refunds (refund_id, provider, provider_refund_ref, tender, amount_minor, status)
        select r.id, 'forage', 'rf_mig_' || n || '_' || k, 'ebt_snap', 1, 'succeeded'
          from generate_series(1, 40) n
          join refunds r on r.id = ('00000000-0000-4000-8000-0000000002' || lpad(n::text, 2, '0'))::uuid
          cross join generate_series(1, 1 + n % 2) k
         where n % 5 = 0`,
    ]) {
      await handle.db.execute(statement);
    }

    const { migrate: migrateAll } = await import('drizzle-orm/pglite/migrator');
    // @ts-expect-error as above
    await migrateAll(handle.db, { migrationsFolder: MIGRATIONS_FOLDER });

    const { stored, counted } = await rollupsVersusRecount(handle.db);
    expect(counted.days.length).toBeGreaterThan(10);
    expect(counted.reasons.length).toBeGreaterThan(10);
    expect(stored).toEqual(counted);
    expect(await rollupDifferences(handle.db)).toEqual([]);
    // Migration 0022 filled each refund's copies of its reasons and provider references too (the
    // recount above holds them to the lines and provider refunds); not vacuously.
    const [copies] = await queryRows<{ reasons: number; two: number; refs: number }>(
      handle.db,
      sql`select count(*) filter (where cardinality(reasons) > 0)::int as reasons,
                 count(*) filter (where cardinality(provider_refund_refs) = 2)::int as two,
                 count(*) filter (where cardinality(provider_refund_refs) > 0)::int as refs
            from refunds`,
    );
    expect(copies).toEqual({ reasons: 40, two: 4, refs: 8 });
  });
});
