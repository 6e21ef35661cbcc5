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
  AT_PROVIDER_REFUND_STATUSES,
  NOT_SENT_REFUND_STATUSES,
  type Provider,
  type RefundReason,
  type RefundStatus,
} from '@/db/schema';

/**
 * The overview page's figures (PRODUCT.md §2.8). All days are UTC days; "today" is the UTC day
 * that contains `now`, and every window ends at the end of today.
 *
 * - **Refunded** means a settled status (SETTLED_REFUND_STATUSES: the money moved), counted on the
 *   day it settled: `completed_at`, which the pipeline sets when a refund reaches a final status,
 *   falling back to `created_at` for a settled row without one. A refund requested on Sunday that
 *   the provider settles on Monday belongs to Monday, and to the new week.
 * - **This week** starts on Monday 00:00 UTC.
 * - **The last 30 days** are today and the 29 UTC days before it.
 * - **Failure rate** over the last 30 days: refunds that ended `failed` divided by those that ended
 *   `failed` or settled, each on the day it ended. `outcome_unknown` is not a failure (the money
 *   may have moved) and is left out until it is reconciled; rejected, expired and canceled
 *   requests never reached a provider and are left out too.
 * - **Top reasons**: refunds requested (`created_at`) in the last 30 days, whatever their status,
 *   counted once per reason they carry on any line; most frequent first, ties in the reasons'
 *   declared order.
 * - **Oldest in flight**: refunds still `processing` or `outcome_unknown`, oldest request first.
 *
 * Money stays in integer minor units per currency; amounts in different currencies are never added.
 */

export const OVERVIEW_DAYS = 30;
export const TOP_REASONS = 5;
export const OLDEST_IN_FLIGHT = 10;
/** At the provider: sent, being sent or possibly sent (the lifecycle's group). */
export const IN_FLIGHT_STATUSES = AT_PROVIDER_REFUND_STATUSES;

const DAY_MS = 86_400_000;

export interface OverviewWindows {
  todayStart: Date;
  /** Monday 00:00 UTC of the week that contains `now`. */
  weekStart: Date;
  /** First day of the last-30-days window. */
  windowStart: Date;
  /** End (exclusive) of every window: tomorrow 00:00 UTC. */
  end: Date;
}

export function overviewWindows(now: Date): OverviewWindows {
  const todayStart = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const sinceMonday = (new Date(todayStart).getUTCDay() + 6) % 7;
  return {
    todayStart: new Date(todayStart),
    weekStart: new Date(todayStart - sinceMonday * DAY_MS),
    windowStart: new Date(todayStart - (OVERVIEW_DAYS - 1) * DAY_MS),
    end: new Date(todayStart + DAY_MS),
  };
}

export interface CurrencyAmount {
  currency: string;
  amountMinor: number;
}

export interface RefundedTotal extends CurrencyAmount {
  provider: Provider;
  refunds: number;
}

export interface ProviderDay {
  refunds: number;
  /** One entry per currency refunded that day, by currency code. */
  amounts: CurrencyAmount[];
}

export interface OverviewDay {
  /** `YYYY-MM-DD`, UTC. */
  day: string;
  providers: Record<Provider, ProviderDay>;
}

export interface FailureRate {
  failed: number;
  settled: number;
  /** failed / (failed + settled); null when nothing ended in the window. */
  ratio: number | null;
}

export interface InFlightRefund {
  id: string;
  orderId: string;
  orderNumber: string;
  provider: Provider;
  status: (typeof IN_FLIGHT_STATUSES)[number];
  amountMinor: number;
  currency: string;
  createdAt: Date;
  submittedAt: Date | null;
  /** now − created_at, in milliseconds. */
  ageMs: number;
}

export interface Overview {
  now: Date;
  windows: OverviewWindows;
  refundedToday: RefundedTotal[];
  refundedThisWeek: RefundedTotal[];
  /** Every status, zero included. */
  statusCounts: Record<RefundStatus, number>;
  pendingApprovals: { count: number; oldestCreatedAt: Date | null };
  failureRate: FailureRate;
  /** Settled refunds per UTC day and provider, every day of the last 30 present, oldest first. */
  days: OverviewDay[];
  topReasons: { reason: RefundReason; refunds: number }[];
  oldestInFlight: InFlightRefund[];
  /** How many refunds are `processing` or `outcome_unknown` in all (the list shows at most 10). */
  inFlightCount: number;
  /** Requests not yet sent whose order's refund deadline is passed or within DEADLINE_SOON_DAYS. */
  nearDeadline: NearDeadlineRefund[];
}

/** Not sent to a provider yet: a deadline passing while they wait means the refund cannot be made. */
/** Not sent yet (the lifecycle's group). */
export const WAITING_STATUSES = NOT_SENT_REFUND_STATUSES;
export const DEADLINE_SOON_DAYS = 7;
export const NEAR_DEADLINE_LIMIT = 10;

export interface NearDeadlineRefund {
  id: string;
  orderId: string;
  orderNumber: string;
  provider: Provider;
  status: (typeof WAITING_STATUSES)[number];
  amountMinor: number;
  currency: string;
  refundDeadline: Date;
  /** When a pending request expires on its own, if it does. */
  expiresAt: Date | null;
}

/** When a refund reached its final status; see the definitions above. */
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
  return (
    db
      .select({ reason: refundLines.reason, refunds: refundCount })
      .from(refundLines)
      .innerJoin(refunds, eq(refunds.id, refundLines.refundId))
      .where(and(gte(refunds.createdAt, w.windowStart), lt(refunds.createdAt, w.end)))
      .groupBy(refundLines.reason)
      // An enum sorts in its declared order, which is the tie-break.
      .orderBy(sql`${refundCount} desc`, asc(refundLines.reason))
      .limit(TOP_REASONS)
  );
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

/** Waiting requests on orders whose refund deadline is passed or near, soonest deadline first. */
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

/** Sums the per-day rows from `from` on, per provider and currency. */
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

/** Every day of the window, zeros included, so the chart has no gaps. */
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

export async function getOverview(db: DbOrTx, now = new Date()): Promise<Overview> {
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
    // Today and this week lie inside the 30-day window, so they are sums of its days.
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
