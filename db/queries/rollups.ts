import { sql } from 'drizzle-orm';
import { queryRows, type Db, type DbOrTx } from '@/db';

/**
 * Recomputing the overview's rollups (db/schema/rollups.ts) from the base tables, for
 * `npm run db:rollups` (scripts/rebuild-rollups.ts). The triggers of migration 0017 keep them right
 * on every write; this is the repair for anything that went around them (a trigger disabled for a
 * bulk load, a rollup row edited by hand) and the proof that nothing did: it prints what it changed.
 */

export type RollupTable = 'refund_day_rollups' | 'refund_reason_rollups';

export interface RollupChange {
  table: RollupTable;
  /** The row's key, e.g. `2026-11-19 forage USD succeeded` or `2026-11-19 damaged`. */
  key: string;
  /** What the table held (null: no row, or a row of zeros). */
  stored: { refunds: number; amountMinor: number | null } | null;
  /** What the refunds say (null: nothing to count under this key). */
  counted: { refunds: number; amountMinor: number | null } | null;
}

export interface RebuildReport {
  dayRows: number;
  reasonRows: number;
  changes: RollupChange[];
  /** Refunds whose copy of their order's refund deadline was not the order's. */
  deadlineCopiesFixed: number;
  /** Refunds whose copy of their lines' reasons (migration 0022) was not the lines'. */
  reasonCopiesFixed: number;
  /** Refunds whose copy of their provider refunds' references was not theirs. */
  refCopiesFixed: number;
}

// The definitions of db/queries/overview.ts: the day a refund ended (else was made), and each
// refund once per reason on its lines, on the day it was made.
const DAY_RECOUNT = sql`
  select refund_rollup_day(r.completed_at, r.created_at) as day, o.provider, r.currency, r.status,
         count(*)::int as refunds, sum(r.amount_minor)::bigint as amount_minor
    from refunds r join orders o on o.id = r.order_id
   group by 1, 2, 3, 4`;

const REASON_RECOUNT = sql`
  select (r.created_at at time zone 'UTC')::date as day, l.reason, count(distinct r.id)::int as refunds
    from refund_lines l join refunds r on r.id = l.refund_id
   group by 1, 2`;

interface DiffRow extends Record<string, unknown> {
  key: string;
  stored_refunds: number | null;
  stored_amount: string | null;
  counted_refunds: number | null;
  counted_amount: string | null;
}

const figures = (refunds: number | null, amount: string | null) =>
  refunds === null ? null : { refunds: Number(refunds), amountMinor: amount === null ? null : Number(amount) };

const asChanges = (table: RollupTable, rows: DiffRow[]): RollupChange[] =>
  rows.map((r) => ({
    table,
    key: r.key,
    stored: figures(r.stored_refunds, r.stored_amount),
    counted: figures(r.counted_refunds, r.counted_amount),
  }));

/**
 * Where the rollups differ from a recount of the base tables (nothing, when every write went through
 * the triggers). Reads only; inside a transaction that holds off writers, the answer is exact.
 */
export async function rollupDifferences(db: DbOrTx): Promise<RollupChange[]> {
  // Rows of zeros are what the triggers leave behind when a key's refunds move on: not a difference.
  const dayDiff = await queryRows<DiffRow>(
    db,
    sql`with counted as (${DAY_RECOUNT}),
             stored as (select * from refund_day_rollups where refunds <> 0 or amount_minor <> 0)
        select concat_ws(' ', coalesce(s.day, c.day)::text, coalesce(s.provider, c.provider), coalesce(s.currency, c.currency),
                         coalesce(s.status, c.status)::text) as key,
               s.refunds as stored_refunds, s.amount_minor::text as stored_amount,
               c.refunds as counted_refunds, c.amount_minor::text as counted_amount
          from stored s full join counted c using (day, provider, currency, status)
         where (s.refunds, s.amount_minor) is distinct from (c.refunds, c.amount_minor)
         order by 1`,
  );
  const reasonDiff = await queryRows<DiffRow>(
    db,
    sql`with counted as (${REASON_RECOUNT}),
             stored as (select * from refund_reason_rollups where refunds <> 0)
        select concat_ws(' ', coalesce(s.day, c.day)::text, coalesce(s.reason, c.reason)::text) as key,
               s.refunds as stored_refunds, null::text as stored_amount, c.refunds as counted_refunds, null::text as counted_amount
          from stored s full join counted c using (day, reason)
         where s.refunds is distinct from c.refunds
         order by 1`,
  );
  return [...asChanges('refund_day_rollups', dayDiff), ...asChanges('refund_reason_rollups', reasonDiff)];
}

/** Refunds whose copies of their lines' reasons or provider references (migration 0022) are stale. */
export async function staleRefundCopies(db: DbOrTx): Promise<{ reasons: number; refs: number }> {
  const [row] = await queryRows<{ reasons: number; refs: number }>(
    db,
    sql`select count(*) filter (where reasons is distinct from refund_reasons_of(id))::int as reasons,
               count(*) filter (where provider_refund_refs is distinct from refund_provider_refs_of(id))::int as refs
          from refunds`,
  );
  return { reasons: Number(row?.reasons ?? 0), refs: Number(row?.refs ?? 0) };
}

/**
 * In one transaction: waits for every writer of refunds, refund lines and orders to finish and
 * holds off new ones (SHARE locks; a writer needs ROW EXCLUSIVE), so no change is counted twice or
 * lost; compares the rollups with a recount; replaces them with it; re-copies order deadlines and
 * each refund's reasons and provider references (migration 0022's definitions).
 */
export async function rebuildRollups(db: Db): Promise<RebuildReport> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`lock table refunds, refund_lines, provider_refunds, orders in share mode`);
    await tx.execute(sql`lock table refund_day_rollups, refund_reason_rollups in exclusive mode`);
    const changes = await rollupDifferences(tx);

    await tx.execute(sql`delete from refund_day_rollups`);
    await tx.execute(sql`insert into refund_day_rollups (day, provider, currency, status, refunds, amount_minor) ${DAY_RECOUNT}`);
    await tx.execute(sql`delete from refund_reason_rollups`);
    await tx.execute(sql`insert into refund_reason_rollups (day, reason, refunds) ${REASON_RECOUNT}`);

    const [fixed] = await queryRows<{ n: number }>(
      tx,
      sql`with fixed as (
            update refunds r set order_refund_deadline = o.refund_deadline
              from orders o
             where o.id = r.order_id and r.order_refund_deadline is distinct from o.refund_deadline
            returning 1)
          select count(*)::int as n from fixed`,
    );
    // Two statements: one statement may not update a row twice.
    const recopy = async (column: 'reasons' | 'provider_refund_refs', of: 'refund_reasons_of' | 'refund_provider_refs_of') => {
      const [row] = await queryRows<{ n: number }>(
        tx,
        sql`with fixed as (
              update refunds r set ${sql.identifier(column)} = ${sql.identifier(of)}(r.id)
               where r.${sql.identifier(column)} is distinct from ${sql.identifier(of)}(r.id)
              returning 1)
            select count(*)::int as n from fixed`,
      );
      return Number(row?.n ?? 0);
    };
    const reasonCopiesFixed = await recopy('reasons', 'refund_reasons_of');
    const refCopiesFixed = await recopy('provider_refund_refs', 'refund_provider_refs_of');
    const [sizes] = await queryRows<{ day_rows: number; reason_rows: number }>(
      tx,
      sql`select (select count(*)::int from refund_day_rollups) as day_rows,
                 (select count(*)::int from refund_reason_rollups) as reason_rows`,
    );
    return {
      dayRows: Number(sizes?.day_rows ?? 0),
      reasonRows: Number(sizes?.reason_rows ?? 0),
      changes,
      deadlineCopiesFixed: Number(fixed?.n ?? 0),
      reasonCopiesFixed,
      refCopiesFixed,
    };
  });
}

/** One line per change, for the command's output. */
export function describeChange(change: RollupChange): string {
  const show = (f: RollupChange['stored']) =>
    f === null ? 'nothing' : `${f.refunds} refund(s)${f.amountMinor === null ? '' : `, ${f.amountMinor} minor units`}`;
  return `${change.table} ${change.key}: ${show(change.stored)} → ${show(change.counted)}`;
}
