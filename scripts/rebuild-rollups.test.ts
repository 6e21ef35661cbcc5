import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, queryRows, type Db, type DbHandle } from '@/db';
import { describeChange, rebuildRollups } from '@/db/queries/rollups';
import { freshPglite } from '@/test/db';
import { insertOverviewRows } from '@/test/overview-fixtures';
import { rollupsVersusRecount } from '@/test/rollups';

// `npm run db:rollups` puts the rollups back to a recount of the refunds, and says what it changed.

/** Three kinds of damage that only a write around the triggers can do; returns the keys touched. */
async function corrupt(db: Db) {
  const [row] = await queryRows<{ day: string; provider: string; currency: string; status: string; refunds: number }>(
    db,
    sql`select to_char(day, 'YYYY-MM-DD') as day, provider, currency::text as currency, status::text as status, refunds
          from refund_day_rollups where refunds > 0 order by day desc, provider, currency, status limit 1`,
  );
  await db.execute(
    sql`update refund_day_rollups set refunds = refunds + 5, amount_minor = amount_minor + 7
         where day = ${row!.day}::date and provider = ${row!.provider} and currency = ${row!.currency} and status = ${row!.status}::refund_status`,
  );
  const [reason] = await queryRows<{ day: string; reason: string }>(
    db,
    sql`delete from refund_reason_rollups
         where (day, reason) = (select day, reason from refund_reason_rollups where refunds > 0 order by day, reason limit 1)
        returning to_char(day, 'YYYY-MM-DD') as day, reason::text as reason`,
  );
  await db.execute(
    sql`insert into refund_day_rollups (day, provider, currency, status, refunds, amount_minor)
        values ('2001-02-03', 'forage', 'USD', 'succeeded', 2, 999)`,
  );
  // The deadline copy, with its trigger switched off as a careless bulk load would.
  await db.execute(sql`alter table refunds disable trigger refunds_order_deadline`);
  await db.execute(
    sql`update refunds set order_refund_deadline = '2001-01-01' where id = (select min(id::text)::uuid from refunds)`,
  );
  await db.execute(sql`alter table refunds enable trigger refunds_order_deadline`);
  // The reason and reference copies (migration 0022), written over directly: only the trigger
  // on their source tables keeps them, so a direct write is what goes around it.
  // No reasons at all on a refund that has lines: never right (a made-up reason could be its own).
  await db.execute(sql`update refunds set reasons = '{}' where id = (select min(refund_id::text)::uuid from refund_lines)`);
  await db.execute(
    sql`update refunds set provider_refund_refs = '{forged}' where id = (select max(id::text)::uuid from refunds)`,
  );
  return {
    day: `${row!.day} ${row!.provider} ${row!.currency} ${row!.status}`,
    reason: `${reason!.day} ${reason!.reason}`,
    bogus: '2001-02-03 forage USD succeeded',
    counted: row!.refunds,
  };
}

describe('rebuildRollups', () => {
  let handle: DbHandle;
  beforeAll(async () => {
    handle = await freshPglite();
    await insertOverviewRows(handle.db);
  });
  afterAll(() => handle?.close());

  it('replaces damaged rollups with a recount, reporting each row it changed, and changes nothing when they are right', async () => {
    const { db } = handle;
    expect((await rebuildRollups(db)).changes).toEqual([]);
    const damage = await corrupt(db);
    const damaged = await rollupsVersusRecount(db);
    expect(damaged.stored).not.toEqual(damaged.counted);

    const report = await rebuildRollups(db);
    expect(report.changes.map((c) => [c.table, c.key]).sort()).toEqual(
      [
        ['refund_day_rollups', damage.day],
        ['refund_day_rollups', damage.bogus],
        ['refund_reason_rollups', damage.reason],
      ].sort(),
    );
    const day = report.changes.find((c) => c.key === damage.day)!;
    expect(day.stored!.refunds - day.counted!.refunds).toBe(5);
    expect(day.stored!.amountMinor! - day.counted!.amountMinor!).toBe(7);
    expect(day.counted!.refunds).toBe(damage.counted);
    expect(report.changes.find((c) => c.key === damage.bogus)).toMatchObject({
      stored: { refunds: 2, amountMinor: 999 },
      counted: null,
    });
    expect(report.changes.find((c) => c.key === damage.reason)).toMatchObject({ stored: null, counted: { amountMinor: null } });
    expect(report.deadlineCopiesFixed).toBe(1);
    expect(report.reasonCopiesFixed).toBe(1);
    expect(report.refCopiesFixed).toBe(1);
    expect(describeChange(day)).toMatch(
      /^refund_day_rollups \d{4}-\d\d-\d\d \w+ [A-Z]{3} \w+: \d+ refund\(s\), \d+ minor units → /,
    );

    const { stored, counted } = await rollupsVersusRecount(db);
    expect(stored).toEqual(counted);
    expect((await rebuildRollups(db)).changes).toEqual([]);
  });
});

describe('npm run db:rollups', () => {
  let dir: string;
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('repairs the embedded database when DATABASE_URL is unset, printing what it changed', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'rollups-'));
    const dataDir = path.join(dir, 'pglite');
    let handle = await openDb({ dataDir });
    await insertOverviewRows(handle.db);
    const damage = await corrupt(handle.db);
    await handle.close();

    const { stdout } = await promisify(execFile)('npx', ['tsx', 'scripts/rebuild-rollups.ts'], {
      env: { NODE_ENV: 'test', PATH: process.env.PATH!, HOME: process.env.HOME!, PGLITE_DATA_DIR: dataDir },
      timeout: 120_000,
    });
    expect(stdout).toMatch(/Rollups rebuilt on pglite/);
    expect(stdout).toMatch(/3 row\(s\) differed from a recount of the refunds and were corrected/);
    for (const key of [damage.day, damage.reason, damage.bogus]) expect(stdout).toContain(key);
    expect(stdout).toMatch(/1 refund\(s\) had a stale copy of their order's refund deadline/);
    expect(stdout).toMatch(/1 refund\(s\) had a stale copy of their lines' reasons/);
    expect(stdout).toMatch(/1 refund\(s\) had a stale copy of their provider refund references/);

    handle = await openDb({ dataDir });
    try {
      const { stored, counted } = await rollupsVersusRecount(handle.db);
      expect(stored).toEqual(counted);
    } finally {
      await handle.close();
    }
  }, 180_000);
});
