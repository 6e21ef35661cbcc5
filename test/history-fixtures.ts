import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { queryRows, type Db } from '@/db';
import {
  orderLines,
  orders,
  providerRefunds,
  refundLines,
  refundReasonEnum,
  refunds,
  refundStatusEnum,
  RELEASED_REFUND_STATUSES,
  users,
  type RefundReason,
  type RefundStatus,
} from '@/db/schema';

/**
 * Extra refunds for the history tests, on top of `seedDemo`: every status and reason, four
 * requesters, both currencies, some with two lines of different reasons, and ties that a keyset
 * cursor must get right — many refunds at the same instant (ordered by id) and a run within one
 * millisecond that differs only in microseconds (which a JS Date cannot hold).
 */
export async function addHistoryRefunds(db: Db, count = 120) {
  const requesters = await db
    .select({ id: users.id })
    .from(users)
    .where(sql`${users.role} in ('agent', 'manager')`)
    .orderBy(users.email);
  // What each line can still hold, so the database's refundable guard accepts every row.
  const lines = await queryRows<{ id: string; order_id: string; currency: string; room: string }>(
    db,
    sql`select l.id, l.order_id, o.currency,
          l.paid_minor - l.externally_refunded_minor - coalesce((
            select sum(rl.amount_minor) from ${refundLines} rl join ${refunds} r on r.id = rl.refund_id
            where rl.order_line_id = l.id and r.status not in ('rejected', 'expired', 'canceled', 'failed')), 0) as room
        from ${orderLines} l join ${orders} o on o.id = l.order_id
        where l.paid_minor > 0 order by o.order_number, l.position`,
  );
  const room = new Map(lines.map((l) => [l.id, Number(l.room)]));
  const statuses = refundStatusEnum.enumValues;
  const reasons = refundReasonEnum.enumValues;
  const amounts = [150, 150, 275, 990, 1, 42, 1250, 150, 5000, 275, 12_50, 99];
  const base = Date.parse('2026-11-10T09:00:00.000Z');

  for (let i = 0; i < count; i++) {
    const status: RefundStatus = statuses[i % statuses.length]!;
    const held = !(RELEASED_REFUND_STATUSES as readonly string[]).includes(status);
    const want = amounts[i % amounts.length]!;
    const start = (i * 7) % lines.length;
    // Two lines of the same order for every fifth refund, so "any line has the reason" is tested.
    const picked: { id: string; order_id: string; currency: string }[] = [];
    for (let k = 0; k < lines.length && picked.length < (i % 5 === 0 ? 2 : 1); k++) {
      const line = lines[(start + k) % lines.length]!;
      if (picked.length && line.order_id !== picked[0]!.order_id) continue;
      if (held && room.get(line.id)! < want) continue;
      picked.push(line);
    }
    if (!picked.length) throw new Error(`no line has room for refund ${i}`);
    if (held) for (const line of picked) room.set(line.id, room.get(line.id)! - want);
    const lineReasons: RefundReason[] = picked.map((_, k) => reasons[(i + k * 3) % reasons.length]!);
    // 30 refunds at one instant (ties broken by id), the rest a minute apart.
    const createdAt = new Date(i < 30 ? base : base + i * 60_000);
    const [refund] = await db
      .insert(refunds)
      .values({
        orderId: picked[0]!.order_id,
        requestKey: randomUUID(),
        status,
        currency: picked[0]!.currency,
        amountMinor: want * picked.length,
        requestedBy: requesters[i % requesters.length]!.id,
        createdAt,
        updatedAt: createdAt,
      })
      .returning({ id: refunds.id });
    await db.insert(refundLines).values(
      picked.map((line, k) => ({
        refundId: refund!.id,
        orderLineId: line.id,
        quantity: 0,
        amountMinor: want,
        reason: lineReasons[k]!,
        reasonNote: lineReasons[k] === 'other' ? 'History test' : null,
      })),
    );
  }
  // 20 refunds inside one millisecond: microseconds apart, in an order unrelated to their ids.
  await db.execute(sql`
    update ${refunds} set created_at = timestamptz '2026-11-12T08:00:00.000Z' + interval '1 microsecond' * ((n * 7) % 20)
    from (select id, row_number() over (order by request_key) as n from ${refunds}
          where created_at >= timestamptz '2026-11-10T09:30:00Z' and created_at < timestamptz '2026-11-10T09:49:30Z') picked
    where ${refunds.id} = picked.id`);
}

/** A provider refund reference on one refund, for the export's provider_refund_refs column. */
export async function addProviderRef(db: Db, refundId: string, ref: string) {
  const [refund] = await db
    .select({ orderId: refunds.orderId, amountMinor: refunds.amountMinor })
    .from(refunds)
    .where(eq(refunds.id, refundId));
  const [order] = await db.select({ provider: orders.provider }).from(orders).where(eq(orders.id, refund!.orderId));
  await db.insert(providerRefunds).values({
    refundId,
    provider: order!.provider,
    providerRefundRef: ref,
    tender: 'credit_tpp',
    amountMinor: refund!.amountMinor,
    status: 'succeeded',
  });
}

export interface TruthRow {
  id: string;
  /** created_at in microseconds since the epoch: exact, unlike a Date. */
  micros: bigint;
  status: RefundStatus;
  amountMinor: number;
  currency: string;
  provider: string;
  orderNumber: string;
  providerRef: string;
  requestedBy: string;
  reasons: RefundReason[];
}

/** Every refund, read with plain queries, for filters and sorts computed in JS. */
export async function loadTruth(db: Db): Promise<TruthRow[]> {
  const rows = await queryRows<Record<string, string>>(
    db,
    sql`select r.id, (extract(epoch from r.created_at) * 1000000)::bigint::text as micros,
          r.status::text, r.amount_minor::text as amount, r.currency, o.provider::text, o.order_number, o.provider_ref,
          r.requested_by::text as requested_by
        from ${refunds} r join ${orders} o on o.id = r.order_id`,
  );
  const lines = await db.select({ refundId: refundLines.refundId, reason: refundLines.reason }).from(refundLines);
  return rows.map((r) => ({
    id: r.id!,
    micros: BigInt(r.micros!),
    status: r.status as RefundStatus,
    amountMinor: Number(r.amount),
    currency: r.currency!,
    provider: r.provider!,
    orderNumber: r.order_number!,
    providerRef: r.provider_ref!,
    requestedBy: r.requested_by!,
    reasons: lines.filter((l) => l.refundId === r.id).map((l) => l.reason),
  }));
}
