import { sql } from 'drizzle-orm';
import { queryRows, type DbOrTx } from '@/db';

/**
 * The rollup tests' side of the bargain: the overview's rollups as stored, and the same figures
 * recounted from the base tables by queries written apart from the app's (no refund_rollup_day,
 * days as text, reasons through a distinct pair list), so a mistake shared with
 * db/queries/rollups.ts or migration 0017 shows as a difference.
 */

export interface RollupState {
  days: Record<string, unknown>[];
  reasons: Record<string, unknown>[];
  /** Refunds whose `order_refund_deadline` is not their order's `refund_deadline`. */
  staleDeadlineCopies: number;
  /** Refunds whose `reasons` is not the sorted distinct reasons of their lines (migration 0022). */
  staleReasonCopies: number;
  /** Refunds whose `provider_refund_refs` is not the sorted distinct refs of their provider refunds. */
  staleRefCopies: number;
}

/** What the rollup tables hold, rows of zeros left out (the triggers leave them; readers skip them). */
export async function storedRollups(
  db: DbOrTx,
): Promise<Omit<RollupState, 'staleDeadlineCopies' | 'staleReasonCopies' | 'staleRefCopies'>> {
  const days = await queryRows(
    db,
    sql`select to_char(day, 'YYYY-MM-DD') as day, provider, currency::text as currency, status::text as status,
               refunds::int as refunds, amount_minor::text as amount
          from refund_day_rollups
         where refunds <> 0 or amount_minor <> 0
         order by 1, 2, 3, 4`,
  );
  const reasons = await queryRows(
    db,
    sql`select to_char(day, 'YYYY-MM-DD') as day, reason::text as reason, refunds::int as refunds
          from refund_reason_rollups
         where refunds <> 0
         order by 1, 2`,
  );
  return { days, reasons };
}

/** The same figures from refunds, refund_lines and orders. */
export async function recountedRollups(db: DbOrTx): Promise<RollupState> {
  const days = await queryRows(
    db,
    sql`select to_char(timezone('UTC', case when r.completed_at is null then r.created_at else r.completed_at end), 'YYYY-MM-DD') as day,
               o.provider, r.currency::text as currency, r.status::text as status,
               count(*)::int as refunds, sum(r.amount_minor)::text as amount
          from orders o join refunds r on r.order_id = o.id
         group by 1, 2, 3, 4
         order by 1, 2, 3, 4`,
  );
  const reasons = await queryRows(
    db,
    sql`select to_char(timezone('UTC', r.created_at), 'YYYY-MM-DD') as day, p.reason::text as reason, count(*)::int as refunds
          from (select distinct refund_id, reason from refund_lines) p
          join refunds r on r.id = p.refund_id
         group by 1, 2
         order by 1, 2`,
  );
  const [stale] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from refunds r join orders o on o.id = r.order_id
         where r.order_refund_deadline is distinct from o.refund_deadline`,
  );
  // Written apart from refund_reasons_of / refund_provider_refs_of: a correlated array per refund.
  const [copies] = await queryRows<{ reasons: number; refs: number }>(
    db,
    sql`select count(*) filter (where r.reasons::text[] is distinct from
                 array(select distinct l.reason::text from refund_lines l where l.refund_id = r.id order by 1))::int as reasons,
               count(*) filter (where r.provider_refund_refs is distinct from
                 array(select distinct p.provider_refund_ref from provider_refunds p
                        where p.refund_id = r.id and p.provider_refund_ref is not null order by 1))::int as refs
          from refunds r`,
  );
  return {
    days,
    reasons,
    staleDeadlineCopies: Number(stale?.n ?? 0),
    staleReasonCopies: Number(copies?.reasons ?? 0),
    staleRefCopies: Number(copies?.refs ?? 0),
  };
}

/** Both, for one `expect(...).toEqual(...)`: the stored side claims no stale copies to match. */
export async function rollupsVersusRecount(db: DbOrTx) {
  const [stored, counted] = await Promise.all([storedRollups(db), recountedRollups(db)]);
  return { stored: { ...stored, staleDeadlineCopies: 0, staleReasonCopies: 0, staleRefCopies: 0 }, counted };
}
