import { and, asc, count, eq, gte, inArray, isNotNull, lt, lte, min, sql } from 'drizzle-orm';
import type { DbOrTx } from '@/db';
import { timestamp } from '@/db/sql';
import {
  orders,
  PROVIDERS,
  refundLines,
  refunds,
  refundStatusEnum,
  SETTLED_REFUND_STATUSES,
  type Provider,
  type RefundStatus,
} from '@/db/schema';
import {
  DEADLINE_SOON_DAYS,
  IN_FLIGHT_STATUSES,
  NEAR_DEADLINE_LIMIT,
  OLDEST_IN_FLIGHT,
  overviewWindows,
  TOP_REASONS,
  WAITING_STATUSES,
  type FailureRate,
  type InFlightRefund,
  type NearDeadlineRefund,
  type Overview,
  type OverviewDay,
  type OverviewWindows,
  type ProviderDay,
  type RefundedTotal,
} from '@/db/queries/overview';

/**
 * The overview as it was computed before the rollups (db/queries/overview.ts before migration
 * 0017): every figure by scanning refunds, joined to their orders and lines. Kept only as the
 * reference the rollup tests hold getOverview to, on the same data.
 */

const DAY_MS = 86_400_000;
const endedAt = sql`coalesce(${refunds.completedAt}, ${refunds.createdAt})`;
const endedDay = sql<string>`to_char(${endedAt} at time zone 'UTC', 'YYYY-MM-DD')`;
const endedWithin = (from: Date, to: Date) => sql`(${endedAt} >= ${timestamp(from)} and ${endedAt} < ${timestamp(to)})`;
const utcDay = (date: Date) => date.toISOString().slice(0, 10);

function settledByDay(db: DbOrTx, w: OverviewWindows) {
  return db
    .select({
      day: endedDay,
      provider: orders.provider,
      currency: refunds.currency,
      amountMinor: sql<number>`sum(${refunds.amountMinor})::bigint`.mapWith(Number),
      refunds: count(),
    })
    .from(refunds)
    .innerJoin(orders, eq(orders.id, refunds.orderId))
    .where(and(inArray(refunds.status, [...SETTLED_REFUND_STATUSES]), endedWithin(w.windowStart, w.end)))
    .groupBy(endedDay, orders.provider, refunds.currency);
}

async function failureRate(db: DbOrTx, w: OverviewWindows): Promise<FailureRate> {
  const [row] = await db
    .select({
      failed: sql<number>`count(*) filter (where ${refunds.status} = 'failed')`.mapWith(Number),
      settled: sql<number>`count(*) filter (where ${inArray(refunds.status, [...SETTLED_REFUND_STATUSES])})`.mapWith(Number),
    })
    .from(refunds)
    .where(and(inArray(refunds.status, ['failed', ...SETTLED_REFUND_STATUSES]), endedWithin(w.windowStart, w.end)));
  const failed = row?.failed ?? 0;
  const settled = row?.settled ?? 0;
  return { failed, settled, ratio: failed + settled > 0 ? failed / (failed + settled) : null };
}

async function statusCounts(db: DbOrTx): Promise<Record<RefundStatus, number>> {
  const rows = await db.select({ status: refunds.status, refunds: count() }).from(refunds).groupBy(refunds.status);
  const counts = Object.fromEntries(refundStatusEnum.enumValues.map((s) => [s, 0])) as Record<RefundStatus, number>;
  for (const row of rows) counts[row.status] = row.refunds;
  return counts;
}

async function oldestPending(db: DbOrTx) {
  const [row] = await db
    .select({ at: min(refunds.createdAt) })
    .from(refunds)
    .where(eq(refunds.status, 'pending_approval'));
  return row?.at ?? null;
}

function topReasons(db: DbOrTx, w: OverviewWindows) {
  const refundCount = sql<number>`count(distinct ${refundLines.refundId})`.mapWith(Number);
  return db
    .select({ reason: refundLines.reason, refunds: refundCount })
    .from(refundLines)
    .innerJoin(refunds, eq(refunds.id, refundLines.refundId))
    .where(and(gte(refunds.createdAt, w.windowStart), lt(refunds.createdAt, w.end)))
    .groupBy(refundLines.reason)
    .orderBy(sql`${refundCount} desc`, asc(refundLines.reason))
    .limit(TOP_REASONS);
}

function oldestInFlight(db: DbOrTx) {
  return db
    .select({
      id: refunds.id,
      orderId: orders.id,
      orderNumber: orders.orderNumber,
      provider: orders.provider,
      status: refunds.status,
      amountMinor: refunds.amountMinor,
      currency: refunds.currency,
      createdAt: refunds.createdAt,
      submittedAt: refunds.submittedAt,
    })
    .from(refunds)
    .innerJoin(orders, eq(orders.id, refunds.orderId))
    .where(inArray(refunds.status, [...IN_FLIGHT_STATUSES]))
    .orderBy(asc(refunds.createdAt), asc(refunds.id))
    .limit(OLDEST_IN_FLIGHT);
}

function nearDeadline(db: DbOrTx, now: Date) {
  return db
    .select({
      id: refunds.id,
      orderId: orders.id,
      orderNumber: orders.orderNumber,
      provider: orders.provider,
      status: refunds.status,
      amountMinor: refunds.amountMinor,
      currency: refunds.currency,
      refundDeadline: orders.refundDeadline,
      expiresAt: refunds.expiresAt,
    })
    .from(refunds)
    .innerJoin(orders, eq(orders.id, refunds.orderId))
    .where(
      and(
        inArray(refunds.status, [...WAITING_STATUSES]),
        isNotNull(orders.refundDeadline),
        lte(orders.refundDeadline, new Date(now.getTime() + DEADLINE_SOON_DAYS * 86_400_000)),
      ),
    )
    .orderBy(asc(orders.refundDeadline), asc(refunds.id))
    .limit(NEAR_DEADLINE_LIMIT);
}

const providerOrder = (p: Provider) => PROVIDERS.indexOf(p);
const byProviderThenCurrency = (a: RefundedTotal, b: RefundedTotal) =>
  providerOrder(a.provider) - providerOrder(b.provider) || a.currency.localeCompare(b.currency);

function totalsSince(rows: Awaited<ReturnType<typeof settledByDay>>, from: Date): RefundedTotal[] {
  const first = utcDay(from);
  const totals = new Map<string, RefundedTotal>();
  for (const row of rows) {
    if (row.day < first) continue;
    const key = `${row.provider}|${row.currency}`;
    const total = totals.get(key) ?? { provider: row.provider, currency: row.currency, amountMinor: 0, refunds: 0 };
    total.amountMinor += row.amountMinor;
    total.refunds += row.refunds;
    totals.set(key, total);
  }
  return [...totals.values()].sort(byProviderThenCurrency);
}

function fillDays(rows: Awaited<ReturnType<typeof settledByDay>>, w: OverviewWindows): OverviewDay[] {
  const days: OverviewDay[] = [];
  const byDay = new Map<string, OverviewDay>();
  for (let t = w.windowStart.getTime(); t < w.end.getTime(); t += DAY_MS) {
    const day: OverviewDay = {
      day: utcDay(new Date(t)),
      providers: Object.fromEntries(PROVIDERS.map((p) => [p, { refunds: 0, amounts: [] }])) as unknown as Record<
        Provider,
        ProviderDay
      >,
    };
    days.push(day);
    byDay.set(day.day, day);
  }
  for (const row of rows) {
    const slot = byDay.get(row.day)?.providers[row.provider];
    if (!slot) continue;
    slot.refunds += row.refunds;
    slot.amounts.push({ currency: row.currency, amountMinor: row.amountMinor });
    slot.amounts.sort((a, b) => a.currency.localeCompare(b.currency));
  }
  return days;
}

export async function referenceOverview(db: DbOrTx, now: Date): Promise<Overview> {
  const windows = overviewWindows(now);
  const [perDay, counts, failures, pendingSince, reasons, oldest, deadlines] = await Promise.all([
    settledByDay(db, windows),
    statusCounts(db),
    failureRate(db, windows),
    oldestPending(db),
    topReasons(db, windows),
    oldestInFlight(db),
    nearDeadline(db, now),
  ]);
  return {
    now,
    windows,
    refundedToday: totalsSince(perDay, windows.todayStart),
    refundedThisWeek: totalsSince(perDay, windows.weekStart),
    statusCounts: counts,
    pendingApprovals: { count: counts.pending_approval, oldestCreatedAt: pendingSince },
    failureRate: failures,
    days: fillDays(perDay, windows),
    topReasons: reasons,
    oldestInFlight: oldest.map((r) => ({
      ...r,
      status: r.status as InFlightRefund['status'],
      ageMs: now.getTime() - r.createdAt.getTime(),
    })),
    inFlightCount: IN_FLIGHT_STATUSES.reduce((sum, s) => sum + counts[s], 0),
    nearDeadline: deadlines.map((r) => ({
      ...r,
      status: r.status as NearDeadlineRefund['status'],
      refundDeadline: r.refundDeadline!,
    })),
  };
}
