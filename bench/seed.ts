import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type Db } from '@/db';
import { describeChange, rollupDifferences, staleRefundCopies } from '@/db/queries/rollups';
import { timestamp } from '@/db/sql';
import { seedAudit } from './audit';
import { BENCH_USERS, benchUuid, DAY_S, HISTORY_DAYS, paid, pick, quantity, SPAN_S, unitPrice, uuidSql } from './derive';

/**
 * Bulk data for the benchmark, written with set-based SQL (`insert … select … from
 * generate_series`) so a million refunds take seconds rather than hours. Everything is derived
 * from the row number with hash functions, so a run is reproducible, and every row passes the
 * schema's checks, foreign keys and the refund_guard_order trigger (migration 0003): each order
 * has three lines and at most two refunds, each refund takes at most a quarter of a line.
 *
 * Ids are md5-derived UUIDs with the version (4) and variant (8) nibbles set, so the app's
 * `z.uuid()` checks (the history cursor) accept them and rows can refer to each other without
 * reading ids back.
 */

export interface SeedSizes {
  refunds: number;
  audit: number;
}

export interface SeedReport {
  orders: number;
  orderLines: number;
  refunds: number;
  refundLines: number;
  providerRefunds: number;
  auditEvents: number;
  steps: { name: string; ms: number; rows: number }[];
  /** A refund id with several audit events, for the entity filter. */
  auditEntityId: string;
  /** A user with audit events (bench.user3), for the "who" filter. */
  auditActorId: string;
  /** An order number prefix that matches about a thousand orders, and one exact order number. */
  orderPrefix: string;
  orderExact: string;
  /** An order with two refunds (for getOrderFigures). */
  orderId: string;
}

async function count(db: Db, table: string) {
  const [row] = await queryRows<{ n: string }>(db, sql.raw(`select count(*)::text as n from ${table}`));
  return Number(row?.n ?? 0);
}

export async function seed(db: Db, sizes: SeedSizes, now: Date, log: (line: string) => void): Promise<SeedReport> {
  const R = sizes.refunds;
  const O = Math.max(1, Math.ceil(R / 2));
  const NOW = timestamp(now);
  const placed = (o: string) => sql.raw(`(((${o}) - 1)::bigint * ${SPAN_S} / ${O})`);
  const placedAt = (o: string) =>
    sql`(${NOW} - interval '${sql.raw(String(HISTORY_DAYS))} days' + interval '1 second' * ${placed(o)})`;
  const steps: SeedReport['steps'] = [];

  async function step(name: string, run: () => Promise<number>) {
    const started = performance.now();
    const rows = await run();
    const ms = performance.now() - started;
    steps.push({ name, ms, rows });
    log(`  ${name.padEnd(34)} ${String(rows).padStart(9)} rows  ${(ms / 1000).toFixed(1).padStart(6)} s`);
  }

  await step('users', async () => {
    await db.execute(sql`
      insert into users (id, email, name, role)
      select ${uuidSql('u', 'n')}, 'bench.user' || n || '@refund-desk.test', 'Bench User ' || n,
             (case when n % 4 = 0 then 'manager' when n = ${BENCH_USERS + 1} then 'auditor' else 'agent' end)::role
      from generate_series(1, ${sql.raw(String(BENCH_USERS + 1))}) n`);
    return BENCH_USERS + 1;
  });

  const firstNames = `array['Maria','Ola','Kari','James','Linda','Ahmed','Ingrid','Chen','Fatima','Lars','Emily','Jonas','Sofia','Noah','Aisha','Erik']`;
  const lastNames = `array['Lopez','Nordmann','Hansen','Smith','Johnson','Khan','Berg','Wang','Ali','Olsen','Brown','Dahl','Garcia','Lee','Haugen','Miller']`;
  await step('orders', async () => {
    await db.execute(sql`
      insert into orders (id, provider, provider_ref, order_number, kind, status, provider_status, currency, total_minor,
                          customer_name, customer_email, placed_at, refund_deadline, synced_at)
      select ${uuidSql('o', 'n')},
             (case when n % 2 = 0 then 'forage' else 'frontpayment' end)::text,
             case when n % 2 = 0 then 'fb' || lpad(to_hex(n), 8, '0') else 'ODR' || upper(md5('fp' || n)) end,
             'BN-' || lpad(n::text, 8, '0'),
             (case when n % 2 = 0 then 'forage' when n % 6 = 1 then 'invoiced' else 'regular' end)::order_kind,
             'paid', case when n % 2 = 0 then 'succeeded' else 'PAID' end,
             case when n % 2 = 0 then 'USD' else 'NOK' end,
             ${sql.raw(`${paid('n', '1')} + ${paid('n', '2')} + ${paid('n', '3')}`)},
             (${sql.raw(firstNames)})[1 + ${sql.raw(pick('n', 1, 16))}] || ' ' || (${sql.raw(lastNames)})[1 + ${sql.raw(pick('n', 2, 16))}],
             'customer' || n || '@example.test',
             ${placedAt('n')}, ${placedAt('n')} + interval '90 days', ${NOW}
      from generate_series(1, ${sql.raw(String(O))}) n`);
    return O;
  });

  await step('order_lines', async () => {
    await db.execute(sql`
      insert into order_lines (id, order_id, position, provider_line_id, product_id, name, unit_price_minor, quantity,
                               paid_minor, tax_rate_bp, eligibility)
      select ${uuidSql('l', 'n * 4 + k')}, ${uuidSql('o', 'n')}, k,
             case when n % 2 = 0 then lpad((n * 4 + k)::text, 13, '0') else (n * 4 + k)::text end,
             'SKU-' || (1000 + ${sql.raw(pick('n * 4 + k', 3, 500))}),
             'Product ' || (1000 + ${sql.raw(pick('n * 4 + k', 3, 500))}),
             ${sql.raw(unitPrice('n', 'k'))}, ${sql.raw(quantity('n', 'k'))}, ${sql.raw(paid('n', 'k'))},
             case when n % 2 = 0 then 0 else 2500 end,
             case when n % 2 = 0 then ((array['snap', 'ebt_cash', 'non_ebt'])[k])::eligibility end
      from generate_series(1, ${sql.raw(String(O))}) n cross join generate_series(1, 3) k`);
    return O * 3;
  });

  await step('order_payments', async () => {
    await db.execute(sql`
      insert into order_payments (order_id, provider_payment_ref, tender, amount_minor, created_at)
      select id, 'pay_' || substr(md5(id::text), 1, 16),
             (case when provider = 'forage' then 'ebt_snap' else 'regular' end)::tender, total_minor, placed_at
      from orders`);
    return O;
  });

  // Refund n belongs to order ((n-1) mod O)+1; the first refund of an order takes line 1 (and 2
  // for every fifth refund), the second line 2 (and 3): at most two refunds on a line, each at
  // most a quarter of what the line paid, so the refundable guard always passes.
  // The reason of refund n's k-th line; the refund's row carries the distinct reasons of its lines.
  const lineReason = (k: string) =>
    `((array['damaged', 'not_delivered', 'wrong_item', 'missing_item', 'quality', 'price_adjustment',
             'duplicate_charge', 'other'])[1 + ${pick(`n * 2 + ${k}`, 41, 8)}])::refund_reason`;
  // Forage refunds that reached the provider have one refund object there (the provider_refunds step).
  const AT_PROVIDER = `('processing', 'succeeded', 'partially_succeeded', 'failed', 'outcome_unknown')`;
  const forageRef = (id: SQL) => sql`'rf_' || substr(md5((${id})::text), 1, 20)`;

  const calc = sql`
    base as (
      select n::bigint as n, ((n - 1) % ${sql.raw(String(O))}) + 1 as o, ((n - 1) / ${sql.raw(String(O))}) % 3 + 1 as j,
             n % 5 = 0 as two, ${sql.raw(pick('n', 31, 100))} as p
      from generate_series(1, ${sql.raw(String(R))}) n
    ),
    calc as (
      select n, o, j, (j % 3) + 1 as j2,
        (case when p < 60 then 'succeeded' when p < 63 then 'partially_succeeded' when p < 71 then 'failed'
              when p < 76 then 'processing' when p < 77 then 'outcome_unknown' when p < 78 then 'submitting'
              when p < 82 then 'approved' when p < 88 then 'pending_approval' when p < 92 then 'rejected'
              when p < 94 then 'expired' else 'canceled' end)::refund_status as status,
        ${placedAt('o')}
          + interval '1 second' * ${sql.raw(pick('n', 32, `least(${20 * DAY_S}, ${HISTORY_DAYS * DAY_S} - (o - 1)::bigint * ${SPAN_S} / ${O} - 120)`))}
          + interval '1 microsecond' * ${sql.raw(pick('n', 33, 1_000_000))} as created,
        1 + ${sql.raw(pick('n', 34, `${paid('o', 'j')} / 4`))} as a1,
        case when two then 1 + ${sql.raw(pick('n', 35, `${paid('o', '(j % 3) + 1')} / 4`))} else 0 end as a2
      from base
    )`;

  await step('refunds', async () => {
    await db.execute(sql`
      with ${calc},
      timed as (
        select *,
          case when status in ('submitting', 'processing', 'succeeded', 'partially_succeeded', 'failed', 'outcome_unknown')
               then created + interval '2 minutes' end as submitted,
          case when status in ('succeeded', 'partially_succeeded', 'failed', 'rejected', 'expired', 'canceled')
               then least(created + interval '1 minute' * ${sql.raw(pick('n', 36, 4320))}, ${NOW}) end as completed
        from calc
      )
      insert into refunds (id, order_id, request_key, status, currency, amount_minor, requested_by, note, status_reason,
                           provider_error_code, expires_at, submitted_at, completed_at, created_at, updated_at,
                           reasons, provider_refund_refs)
      select ${uuidSql('r', 'n')}, ${uuidSql('o', 'o')}, ${uuidSql('k', 'n')}, status,
             case when o % 2 = 0 then 'USD' else 'NOK' end, a1 + a2, ${uuidSql('u', `1 + n % ${BENCH_USERS}`)},
             case when n % 7 = 0 then 'Customer called about the order.' end,
             case status when 'failed' then 'The provider declined the refund.' when 'rejected' then 'Not covered by policy.' end,
             case when status = 'failed' then 'refund_declined' end,
             case when status = 'pending_approval' then created + interval '48 hours' end,
             submitted, completed, created, coalesce(completed, created),
             array(select distinct x::text from unnest(array[${sql.raw(lineReason('1'))},
                                                             case when a2 > 0 then ${sql.raw(lineReason('2'))} end]) x
                    where x is not null order by 1)::refund_reason[],
             case when o % 2 = 0 and status in ${sql.raw(AT_PROVIDER)}
                  then array[${forageRef(uuidSql('r', 'n'))}] else '{}' end
      from timed`);
    return R;
  });

  // The refundable guard (migration 0003) runs two aggregate queries per inserted refund line;
  // in a bulk load that is most of the seeding time (minutes on PGlite). It is switched off for
  // this one statement of the throwaway database, the same invariant is then checked for every
  // line and order at once, and the trigger is back on before anything is measured.
  // Likewise the copy of each refund's reasons (migration 0022): the refunds step wrote them, and
  // they are checked against a recount below.
  await step('refund_lines', async () => {
    await db.execute(sql`alter table refund_lines disable trigger refund_lines_within_paid`);
    await db.execute(sql`alter table refund_lines disable trigger refund_lines_copy_reasons_insert`);
    try {
      await db.execute(sql`
        with ${calc}
        insert into refund_lines (refund_id, order_line_id, quantity, amount_minor, reason, reason_note)
        select ${uuidSql('r', 'n')}, ${uuidSql('l', 'o * 4 + line')}, 0, amount, reason,
               case when reason = 'other' then 'Goodwill gesture.' end
        from (
          select n, o, v.line, v.amount,
                 ${sql.raw(lineReason('v.k'))} as reason
          from calc cross join lateral (values (1, j, a1), (2, j2, a2)) v(k, line, amount)
          where v.amount > 0
        ) lines`);
    } finally {
      await db.execute(sql`alter table refund_lines enable trigger refund_lines_within_paid`);
      await db.execute(sql`alter table refund_lines enable trigger refund_lines_copy_reasons_insert`);
    }
    return count(db, 'refund_lines');
  });

  await step('refundable guard, checked set-based', async () => {
    const [bad] = await queryRows<{ lines: string; orders: string }>(
      db,
      sql`with held as (
            select l.id, l.order_id, l.paid_minor - l.externally_refunded_minor as allowed, sum(rl.amount_minor) as held
            from order_lines l
            join refund_lines rl on rl.order_line_id = l.id
            join refunds r on r.id = rl.refund_id
            where r.status not in ('rejected', 'expired', 'canceled', 'failed')
            group by l.id
          ), per_order as (
            select o.id, sum(l.paid_minor) - o.externally_refunded_minor as allowed
            from orders o join order_lines l on l.order_id = o.id group by o.id
          )
          select (select count(*) from held where held > allowed)::text as lines,
                 (select count(*) from (select order_id, sum(held) as held from held group by order_id) h
                    join per_order p on p.id = h.order_id where h.held > p.allowed)::text as orders`,
    );
    if (Number(bad?.lines) || Number(bad?.orders)) {
      throw new Error(`seed broke the refundable guard: ${bad?.lines} lines, ${bad?.orders} orders over what was paid`);
    }
    return 0;
  });

  // The overview's rollups were kept by the triggers of migration 0017 through the set-based
  // inserts above (one aggregate per statement, a few seconds at 200k refunds): proved here.
  await step('overview rollups, checked against a recount', async () => {
    const differences = await rollupDifferences(db);
    if (differences.length) {
      throw new Error(`seed left the overview rollups wrong: ${differences.slice(0, 5).map(describeChange).join('; ')}`);
    }
    return 0;
  });

  // The refunds step wrote each refund's provider reference too: the copy trigger is off here.
  await step('provider_refunds', async () => {
    await db.execute(sql`alter table provider_refunds disable trigger provider_refunds_copy_refs_insert`);
    try {
      await db.execute(sql`
        insert into provider_refunds (refund_id, provider, provider_refund_ref, tender, amount_minor, status, created_at, updated_at)
        select r.id, o.provider, case when o.provider = 'forage' then ${forageRef(sql`r.id`)} end,
               (case when o.provider = 'forage' then 'ebt_snap' else 'regular' end)::tender, r.amount_minor,
               (case r.status when 'succeeded' then 'succeeded' when 'partially_succeeded' then 'succeeded'
                              when 'failed' then 'failed' else 'processing' end)::provider_refund_status,
               r.submitted_at, r.updated_at
        from refunds r join orders o on o.id = r.order_id
        where r.status in ${sql.raw(AT_PROVIDER)}`);
    } finally {
      await db.execute(sql`alter table provider_refunds enable trigger provider_refunds_copy_refs_insert`);
    }
    return count(db, 'provider_refunds');
  });

  await step('reason and reference copies, checked', async () => {
    const stale = await staleRefundCopies(db);
    if (stale.reasons || stale.refs) {
      throw new Error(`seed wrote ${stale.reasons} stale reason copies and ${stale.refs} stale reference copies`);
    }
    return 0;
  });

  const users = await queryRows<{ id: string; email: string; role: string }>(
    db,
    sql`select id::text, email, role::text from users where role in ('agent', 'manager') order by email`,
  );
  let auditEntityId = benchUuid('r', 1);
  await step('audit_events (hash chain in JS)', async () => {
    auditEntityId = await seedAudit(db, sizes.audit, R, O, users, now);
    return sizes.audit;
  });

  await step('vacuum analyze', async () => {
    await db.execute(sql`vacuum analyze`);
    return 0;
  });

  const [sample] = await queryRows<{ order_number: string }>(
    db,
    sql.raw(`select order_number from orders where order_number = 'BN-${String(Math.ceil(O / 2)).padStart(8, '0')}'`),
  );
  const exact = sample?.order_number ?? 'BN-00000001';
  // One digit fewer than the full number: ~1,000 orders whatever the size (fewer on small runs).
  const prefix = exact.slice(0, O >= 10_000 ? -3 : -1);
  return {
    orders: O,
    orderLines: O * 3,
    refunds: R,
    refundLines: steps.find((s) => s.name.startsWith('refund_lines'))!.rows,
    providerRefunds: steps.find((s) => s.name === 'provider_refunds')!.rows,
    auditEvents: sizes.audit,
    steps,
    auditEntityId,
    auditActorId: benchUuid('u', 3),
    orderPrefix: prefix,
    orderExact: exact,
    orderId: benchUuid('o', 1),
  };
}
