import { and, asc, eq, gt, gte, inArray, isNotNull, lt, lte, min, sql } from 'drizzle-orm';
import type { DbOrTx } from '@/db';
import {
  orders,
  PROVIDERS,
  refundDayRollups,
  refundReasonRollups,
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
 *
 * Nothing here reads every refund: the figures come from the rollups (db/schema/rollups.ts), which
 * triggers keep equal to a recount of the refunds in the transaction of each change, and the two
 * lists from partial indexes over the few refunds at the provider or waiting. Their cost follows
 * the number of days and of those few refunds, not of all refunds.
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

const utcDay = (date: Date) => date.toISOString().slice(0, 10);

/** A figure summed over rollup rows, as a number (sum() of integers is numeric in PostgreSQL). */
const total = (column: typeof refundDayRollups.refunds | typeof refundReasonRollups.refunds) =>
  sql<number>`coalesce(sum(${column}), 0)::bigint`.mapWith(Number);

/**
 * Refunds that ended in the window, per day, provider, currency and status (settled and failed only),
 * from the day rollup: each refund sits on the day it ended (migration 0017's refund_rollup_day).
 */
function endedByDay(db: DbOrTx, w: OverviewWindows) {
  return db
    .select({
      day: refundDayRollups.day,
      provider: refundDayRollups.provider,
      currency: refundDayRollups.currency,
      status: refundDayRollups.status,
      amountMinor: refundDayRollups.amountMinor,
      refunds: refundDayRollups.refunds,
    })
    .from(refundDayRollups)
    .where(
      and(
        gte(refundDayRollups.day, utcDay(w.windowStart)),
        lt(refundDayRollups.day, utcDay(w.end)),
        inArray(refundDayRollups.status, ['failed', ...SETTLED_REFUND_STATUSES]),
        // A key whose refunds all moved on keeps a row of zeros.
        gt(refundDayRollups.refunds, 0),
      ),
    );
}

type EndedRow = Awaited<ReturnType<typeof endedByDay>>[number];
type SettledRow = Omit<EndedRow, 'status'>;

/** The settled rows, succeeded and partially succeeded added together per day, provider and currency. */
function settledByDay(rows: EndedRow[]): SettledRow[] {
  const settled = new Map<string, SettledRow>();
  for (const row of rows) {
    if (!(SETTLED_REFUND_STATUSES as readonly RefundStatus[]).includes(row.status)) continue;
    const key = `${row.day}|${row.provider}|${row.currency}`;
    const sum = settled.get(key) ?? { day: row.day, provider: row.provider, currency: row.currency, amountMinor: 0, refunds: 0 };
    sum.amountMinor += row.amountMinor;
    sum.refunds += row.refunds;
    settled.set(key, sum);
  }
  return [...settled.values()];
}

function failureRate(rows: EndedRow[]): FailureRate {
  let failed = 0;
  let settled = 0;
  for (const row of rows) {
    if (row.status === 'failed') failed += row.refunds;
    else settled += row.refunds;
  }
  return { failed, settled, ratio: failed + settled > 0 ? failed / (failed + settled) : null };
}

/** Every refund by status: the day rollup's rows summed (one per day, provider, currency, status). */
async function statusCounts(db: DbOrTx): Promise<Record<RefundStatus, number>> {
  const rows = await db
    .select({ status: refundDayRollups.status, refunds: total(refundDayRollups.refunds) })
    .from(refundDayRollups)
    .groupBy(refundDayRollups.status);
  const counts = Object.fromEntries(refundStatusEnum.enumValues.map((s) => [s, 0])) as Record<RefundStatus, number>;
  for (const row of rows) counts[row.status] = row.refunds;
  return counts;
}

/** On refunds_status_idx (status, created_at): the first entry of the pending ones. */
async function oldestPending(db: DbOrTx) {
  const [row] = await db
    .select({ at: min(refunds.createdAt) })
    .from(refunds)
    .where(eq(refunds.status, 'pending_approval'));
  return row?.at ?? null;
}

function topReasons(db: DbOrTx, w: OverviewWindows) {
  const refundCount = total(refundReasonRollups.refunds);
  return (
    db
      .select({ reason: refundReasonRollups.reason, refunds: refundCount })
      .from(refundReasonRollups)
      .where(and(gte(refundReasonRollups.day, utcDay(w.windowStart)), lt(refundReasonRollups.day, utcDay(w.end))))
      .groupBy(refundReasonRollups.reason)
      .having(sql`sum(${refundReasonRollups.refunds}) > 0`)
      // An enum sorts in its declared order, which is the tie-break.
      .orderBy(sql`${refundCount} desc`, asc(refundReasonRollups.reason))
      .limit(TOP_REASONS)
  );
}

/** On refunds_at_provider_idx, a partial index in this order over just these statuses. */
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

/**
 * Waiting requests on orders whose refund deadline is passed or near, soonest deadline first: on
 * refunds_waiting_deadline_idx, over the order's deadline as copied onto each refund (migration
 * 0017), so the first ten entries are the answer however many requests wait.
 */
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
      refundDeadline: refunds.orderRefundDeadline,
      expiresAt: refunds.expiresAt,
    })
    .from(refunds)
    .innerJoin(orders, eq(orders.id, refunds.orderId))
    .where(
      and(
        inArray(refunds.status, [...WAITING_STATUSES]),
        isNotNull(refunds.orderRefundDeadline),
        lte(refunds.orderRefundDeadline, new Date(now.getTime() + DEADLINE_SOON_DAYS * 86_400_000)),
      ),
    )
    .orderBy(asc(refunds.orderRefundDeadline), asc(refunds.id))
    .limit(NEAR_DEADLINE_LIMIT);
}

const providerOrder = (p: Provider) => PROVIDERS.indexOf(p);
const byProviderThenCurrency = (a: RefundedTotal, b: RefundedTotal) =>
  providerOrder(a.provider) - providerOrder(b.provider) || a.currency.localeCompare(b.currency);

/** Sums the per-day rows from `from` on, per provider and currency. */
function totalsSince(rows: SettledRow[], from: Date): RefundedTotal[] {
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
function fillDays(rows: SettledRow[], w: OverviewWindows): OverviewDay[] {
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
  const [ended, counts, pendingSince, reasons, oldest, deadlines] = await Promise.all([
    endedByDay(db, windows),
    statusCounts(db),
    oldestPending(db),
    topReasons(db, windows),
    oldestInFlight(db),
    nearDeadline(db, now),
  ]);
  const perDay = settledByDay(ended);
  return {
    now,
    windows,
    // Today and this week lie inside the 30-day window, so they are sums of its days.
    refundedToday: totalsSince(perDay, windows.todayStart),
    refundedThisWeek: totalsSince(perDay, windows.weekStart),
    statusCounts: counts,
    pendingApprovals: { count: counts.pending_approval, oldestCreatedAt: pendingSince },
    failureRate: failureRate(ended),
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
