import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count } from 'drizzle-orm';
import type { DbHandle } from '@/db';
import { refundReasonEnum, refunds, refundStatusEnum, type RefundReason } from '@/db/schema';
import { freshPglite } from '@/test/db';
import {
  currency,
  DAY,
  endedAt,
  expectedTotals,
  insertOverviewRows,
  isSettled,
  NOW,
  ORDER_KEYS,
  provider,
  type Row,
} from '@/test/overview-fixtures';
import { getOverview } from './overview';

// Every figure on the overview, checked against sums computed in plain TypeScript from the rows
// test/overview-fixtures.ts inserts — never by running the same SQL again. The list of requests
// near their order's refund deadline has data of its own: overview-deadline.test.ts.

describe('overview figures', () => {
  let handle: DbHandle;
  let rows: Row[];

  beforeAll(async () => {
    handle = await freshPglite();
    rows = await insertOverviewRows(handle.db);
  });
  afterAll(() => handle?.close());

  it('has the data the checks below rely on', async () => {
    const [stored] = await handle.db.select({ n: count() }).from(refunds);
    expect(stored!.n).toBe(rows.length);
    // Every status, rows outside the 30 days, and in-flight refunds beyond the ten listed.
    expect(new Set(rows.map((r) => r.status)).size).toBe(refundStatusEnum.enumValues.length);
    expect(rows.some((r) => endedAt(r) < Date.parse('2026-10-21T00:00:00Z') && isSettled(r))).toBe(true);
    expect(rows.filter((r) => r.status === 'processing' || r.status === 'outcome_unknown').length).toBeGreaterThan(10);
  });

  it('sums what was refunded today and this week per provider and currency, by when it settled', async () => {
    const overview = await getOverview(handle.db, NOW);
    const today = expectedTotals(rows, '2026-11-19T00:00:00Z', '2026-11-20T00:00:00Z');
    const week = expectedTotals(rows, '2026-11-16T00:00:00Z', '2026-11-20T00:00:00Z');
    expect(overview.refundedToday).toEqual(today);
    expect(overview.refundedThisWeek).toEqual(week);
    // The fixture reaches every provider and currency today, so no currency was added to another.
    expect(today.map((t) => t.currency).sort()).toEqual(['EUR', 'NOK', 'USD']);
    // The boundary rows make a Sunday week start or a created-at day visibly different.
    const sundayStart = expectedTotals(rows, '2026-11-15T00:00:00Z', '2026-11-20T00:00:00Z');
    expect(overview.refundedThisWeek).not.toEqual(sundayStart);
  });

  it.each([
    // Sunday: still the week that began on Monday the 16th.
    ['2026-11-22T10:00:00Z', '2026-11-22T00:00:00Z', '2026-11-16T00:00:00Z'],
    // Monday just after midnight: the week is today.
    ['2026-11-16T00:30:00Z', '2026-11-16T00:00:00Z', '2026-11-16T00:00:00Z'],
    // Sunday, one millisecond before Monday: the previous week, which began on the 9th.
    ['2026-11-15T23:59:59.999Z', '2026-11-15T00:00:00Z', '2026-11-09T00:00:00Z'],
  ])('starts the week on Monday (now %s)', async (now, dayStart, weekStart) => {
    const overview = await getOverview(handle.db, new Date(now));
    const end = new Date(Date.parse(dayStart) + DAY).toISOString();
    expect(overview.refundedToday).toEqual(expectedTotals(rows, dayStart, end));
    expect(overview.refundedThisWeek).toEqual(expectedTotals(rows, weekStart, end));
    expect(overview.windows.weekStart.toISOString()).toBe(new Date(weekStart).toISOString());
  });

  it('counts refunds by status and the pending approvals', async () => {
    const overview = await getOverview(handle.db, NOW);
    for (const status of refundStatusEnum.enumValues) {
      expect(overview.statusCounts[status], status).toBe(rows.filter((r) => r.status === status).length);
    }
    const pending = rows.filter((r) => r.status === 'pending_approval');
    expect(overview.pendingApprovals.count).toBe(pending.length);
    expect(overview.pendingApprovals.oldestCreatedAt?.getTime()).toBe(Math.min(...pending.map((r) => r.createdAt.getTime())));
  });

  it('computes the failure rate over the last 30 days from refunds that ended then', async () => {
    const overview = await getOverview(handle.db, NOW);
    const from = Date.parse('2026-10-21T00:00:00Z');
    const ended = rows.filter((r) => endedAt(r) >= from && endedAt(r) < Date.parse('2026-11-20T00:00:00Z'));
    const failed = ended.filter((r) => r.status === 'failed').length;
    const settled = ended.filter(isSettled).length;
    expect(failed).toBeGreaterThan(0);
    expect(overview.failureRate).toEqual({ failed, settled, ratio: failed / (failed + settled) });
  });

  it('gives every day of the last 30 with settled counts and amounts per provider and currency', async () => {
    const overview = await getOverview(handle.db, NOW);
    expect(overview.days).toHaveLength(30);
    expect(overview.days[0]!.day).toBe('2026-10-21');
    expect(overview.days.at(-1)!.day).toBe('2026-11-19');

    let emptyDays = 0;
    for (const [i, { day, providers }] of overview.days.entries()) {
      expect(day).toBe(new Date(Date.parse('2026-10-21T00:00:00Z') + i * DAY).toISOString().slice(0, 10));
      const dayRows = expectedTotals(rows, `${day}T00:00:00Z`, new Date(Date.parse(`${day}T00:00:00Z`) + DAY).toISOString());
      for (const p of ['forage', 'frontpayment'] as const) {
        const mine = dayRows.filter((t) => t.provider === p);
        expect(providers[p].refunds, `${day} ${p}`).toBe(mine.reduce((n, t) => n + t.refunds, 0));
        expect(providers[p].amounts, `${day} ${p}`).toEqual(
          mine.map((t) => ({ currency: t.currency, amountMinor: t.amountMinor })),
        );
      }
      if (dayRows.length === 0) emptyDays++;
    }
    // Zero days are filled in, not skipped.
    expect(emptyDays).toBeGreaterThan(0);
    // Today's bar is the "refunded today" figure.
    const today = overview.days.at(-1)!;
    expect(today.providers.forage.refunds + today.providers.frontpayment.refunds).toBe(
      overview.refundedToday.reduce((n, t) => n + t.refunds, 0),
    );
  });

  it('ranks the top five reasons of refunds requested in the last 30 days', async () => {
    const overview = await getOverview(handle.db, NOW);
    const from = Date.parse('2026-10-21T00:00:00Z');
    const counts = new Map<RefundReason, number>();
    for (const r of rows) {
      if (r.createdAt.getTime() < from || r.createdAt.getTime() >= Date.parse('2026-11-20T00:00:00Z')) continue;
      for (const reason of new Set(r.reasons)) counts.set(reason, (counts.get(reason) ?? 0) + 1);
    }
    const order = refundReasonEnum.enumValues;
    const expected = [...counts]
      .sort(([a, x], [b, y]) => y - x || order.indexOf(a) - order.indexOf(b))
      .slice(0, 5)
      .map(([reason, refunds]) => ({ reason, refunds }));
    expect(expected).toHaveLength(5);
    expect(overview.topReasons).toEqual(expected);
  });

  it('lists the ten oldest refunds at the provider: being sent, processing or with an unknown outcome', async () => {
    const overview = await getOverview(handle.db, NOW);
    const inFlight = rows
      .filter((r) => r.status === 'submitting' || r.status === 'processing' || r.status === 'outcome_unknown')
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : 1));
    expect(overview.inFlightCount).toBe(inFlight.length);
    expect(
      overview.oldestInFlight.map((r) => ({
        id: r.id,
        status: r.status,
        amountMinor: r.amountMinor,
        currency: r.currency,
        provider: r.provider,
        orderNumber: r.orderNumber,
        ageMs: r.ageMs,
      })),
    ).toEqual(
      inFlight.slice(0, 10).map((r) => ({
        id: r.id,
        status: r.status,
        amountMinor: r.amountMinor,
        currency: currency(r),
        provider: provider(r),
        orderNumber: `OV-${1000 + ORDER_KEYS.indexOf(r.orderKey)}`,
        ageMs: NOW.getTime() - r.createdAt.getTime(),
      })),
    );
    expect(overview.oldestInFlight[0]!.createdAt.toISOString()).toBe('2026-10-01T08:00:00.000Z');
  });
});
