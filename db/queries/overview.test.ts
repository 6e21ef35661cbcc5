import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count } from 'drizzle-orm';
import type { DbHandle } from '@/db';
import {
  orderLines,
  orders,
  refundLines,
  refundReasonEnum,
  refunds,
  refundStatusEnum,
  users,
  type Provider,
  type RefundReason,
  type RefundStatus,
} from '@/db/schema';
import { freshPglite } from '@/test/db';
import { getOverview } from './overview';

// Every figure on the overview, checked against sums computed here in plain TypeScript from the
// rows this file inserts — never by running the same SQL again.

const DAY = 86_400_000;
const HOUR = 3_600_000;
/** A Thursday afternoon. Its week began on Monday 2026-11-16; its 30 days on 2026-10-21. */
const NOW = new Date('2026-11-19T15:30:00.000Z');
const at = (iso: string) => new Date(iso);

interface Row {
  id: string;
  orderKey: OrderKey;
  status: RefundStatus;
  amountMinor: number;
  createdAt: Date;
  completedAt: Date | null;
  reasons: RefundReason[];
}

// A Frontpayment order in EUR as well: the overview must group by currency, not assume one per provider.
const ORDERS = {
  forageA: { provider: 'forage', currency: 'USD' },
  forageB: { provider: 'forage', currency: 'USD' },
  frontA: { provider: 'frontpayment', currency: 'NOK' },
  frontB: { provider: 'frontpayment', currency: 'NOK' },
  frontEur: { provider: 'frontpayment', currency: 'EUR' },
} as const satisfies Record<string, { provider: Provider; currency: string }>;
type OrderKey = keyof typeof ORDERS;
const ORDER_KEYS = Object.keys(ORDERS) as OrderKey[];

const FINAL: readonly RefundStatus[] = ['succeeded', 'partially_succeeded', 'failed', 'rejected', 'expired', 'canceled'];
const SETTLED: readonly RefundStatus[] = ['succeeded', 'partially_succeeded'];

/** Deterministic pseudo-random numbers, so a failure can be reproduced. */
function lcg(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

function buildRows(): Row[] {
  const rows: Row[] = [];
  const add = (r: Omit<Row, 'id'>) => rows.push({ id: randomUUID(), ...r });

  // Edge cases around the boundaries, each of which a wrong definition would count differently.
  // Settled one millisecond before Monday: last week. Settled at Monday 00:00: this week.
  add({
    orderKey: 'forageA',
    status: 'succeeded',
    amountMinor: 70_001,
    createdAt: at('2026-11-15T23:59:59.999Z'),
    completedAt: null,
    reasons: ['damaged'],
  });
  add({
    orderKey: 'forageA',
    status: 'succeeded',
    amountMinor: 70_003,
    createdAt: at('2026-11-16T00:00:00.000Z'),
    completedAt: null,
    reasons: ['damaged'],
  });
  // Requested on Sunday, settled on Monday: this week (by when it settled).
  add({
    orderKey: 'frontA',
    status: 'succeeded',
    amountMinor: 80_005,
    createdAt: at('2026-11-15T20:00:00Z'),
    completedAt: at('2026-11-16T08:00:00Z'),
    reasons: ['quality'],
  });
  // Requested yesterday, settled today; and requested yesterday at 23:59:59.999, settled then.
  add({
    orderKey: 'forageB',
    status: 'partially_succeeded',
    amountMinor: 90_007,
    createdAt: at('2026-11-18T22:00:00Z'),
    completedAt: at('2026-11-19T01:00:00Z'),
    reasons: ['wrong_item', 'missing_item'],
  });
  add({
    orderKey: 'forageB',
    status: 'succeeded',
    amountMinor: 90_011,
    createdAt: at('2026-11-18T23:59:59.999Z'),
    completedAt: at('2026-11-18T23:59:59.999Z'),
    reasons: ['quality'],
  });
  // Today, from midnight on, both providers and the EUR order.
  add({
    orderKey: 'forageA',
    status: 'succeeded',
    amountMinor: 1_013,
    createdAt: at('2026-11-19T00:00:00.000Z'),
    completedAt: at('2026-11-19T00:05:00Z'),
    reasons: ['not_delivered'],
  });
  add({
    orderKey: 'frontB',
    status: 'succeeded',
    amountMinor: 250_017,
    createdAt: at('2026-11-19T09:00:00Z'),
    completedAt: at('2026-11-19T09:10:00Z'),
    reasons: ['price_adjustment'],
  });
  add({
    orderKey: 'frontEur',
    status: 'succeeded',
    amountMinor: 3_019,
    createdAt: at('2026-11-19T10:00:00Z'),
    completedAt: at('2026-11-19T10:01:00Z'),
    reasons: ['duplicate_charge'],
  });
  // Money that has not moved, today and this week: not refunded.
  for (const status of ['processing', 'outcome_unknown', 'approved', 'submitting', 'pending_approval', 'requested'] as const) {
    add({
      orderKey: 'forageA',
      status,
      amountMinor: 500_023,
      createdAt: at('2026-11-19T11:00:00Z'),
      completedAt: null,
      reasons: ['other'],
    });
  }
  for (const status of ['failed', 'rejected', 'canceled', 'expired'] as const) {
    add({
      orderKey: 'frontA',
      status,
      amountMinor: 600_029,
      createdAt: at('2026-11-17T11:00:00Z'),
      completedAt: at('2026-11-19T12:00:00Z'),
      reasons: ['other'],
    });
  }
  // The 30-day window's edges: settled on its first day but requested before it (in); settled the
  // day before it (out); failed just before it (out of the failure rate).
  add({
    orderKey: 'frontB',
    status: 'succeeded',
    amountMinor: 40_031,
    createdAt: at('2026-10-19T12:00:00Z'),
    completedAt: at('2026-10-21T00:00:00Z'),
    reasons: ['damaged'],
  });
  add({
    orderKey: 'frontB',
    status: 'succeeded',
    amountMinor: 40_037,
    createdAt: at('2026-10-20T12:00:00Z'),
    completedAt: at('2026-10-20T23:59:59.999Z'),
    reasons: ['damaged'],
  });
  add({
    orderKey: 'forageA',
    status: 'failed',
    amountMinor: 40_041,
    createdAt: at('2026-10-20T10:00:00Z'),
    completedAt: at('2026-10-20T10:01:00Z'),
    reasons: ['quality'],
  });
  // Old refunds still in flight: the oldest-first list must start with them.
  add({
    orderKey: 'frontA',
    status: 'outcome_unknown',
    amountMinor: 12_043,
    createdAt: at('2026-10-01T08:00:00Z'),
    completedAt: null,
    reasons: ['damaged'],
  });
  add({
    orderKey: 'forageB',
    status: 'processing',
    amountMinor: 12_047,
    createdAt: at('2026-10-02T08:00:00Z'),
    completedAt: null,
    reasons: ['damaged'],
  });

  // And a spread over 40 days: every status, both providers, one or two reasons.
  const random = lcg(20261119);
  const statuses = refundStatusEnum.enumValues;
  const reasons = refundReasonEnum.enumValues;
  for (let i = 0; i < 150; i++) {
    const status = statuses[i % statuses.length]!;
    const createdAt = new Date(NOW.getTime() - Math.floor(random() * 40 * DAY));
    const completedAt = FINAL.includes(status)
      ? // Mostly settled some hours later (never after now), sometimes without a completion time.
        i % 9 === 0
        ? null
        : new Date(Math.min(NOW.getTime() - 1, createdAt.getTime() + Math.floor(random() * 60 * HOUR)))
      : null;
    const first = reasons[Math.floor(random() * reasons.length)]!;
    const second = reasons[Math.floor(random() * reasons.length)]!;
    add({
      orderKey: ORDER_KEYS[Math.floor(random() * ORDER_KEYS.length)]!,
      status,
      amountMinor: 100 + Math.floor(random() * 2_000_000),
      createdAt,
      completedAt,
      // Sometimes the same reason on two lines: it still counts once for that refund.
      reasons: i % 4 === 0 ? [first, second] : [first],
    });
  }
  return rows;
}

// ---- The expected figures, from the rows, in plain TypeScript -------------------------------------

const provider = (r: Row) => ORDERS[r.orderKey].provider;
const currency = (r: Row) => ORDERS[r.orderKey].currency;
const endedAt = (r: Row) => (r.completedAt ?? r.createdAt).getTime();
const isSettled = (r: Row) => SETTLED.includes(r.status);

function expectedTotals(rows: Row[], fromIso: string, toIso: string) {
  const from = Date.parse(fromIso);
  const to = Date.parse(toIso);
  const totals = new Map<string, { provider: Provider; currency: string; amountMinor: number; refunds: number }>();
  for (const r of rows) {
    if (!isSettled(r) || endedAt(r) < from || endedAt(r) >= to) continue;
    const key = `${provider(r)}|${currency(r)}`;
    const t = totals.get(key) ?? { provider: provider(r), currency: currency(r), amountMinor: 0, refunds: 0 };
    t.amountMinor += r.amountMinor;
    t.refunds += 1;
    totals.set(key, t);
  }
  return [...totals.values()].sort((a, b) => a.provider.localeCompare(b.provider) || a.currency.localeCompare(b.currency));
}

describe('overview figures', () => {
  let handle: DbHandle;
  let rows: Row[];

  beforeAll(async () => {
    handle = await freshPglite();
    const { db } = handle;
    const [user] = await db.insert(users).values({ email: 'agent@overview.test', name: 'Agent', role: 'agent' }).returning();
    const orderIds = {} as Record<OrderKey, string>;
    const lineIds = {} as Record<OrderKey, [string, string]>;
    for (const [i, key] of ORDER_KEYS.entries()) {
      const { provider, currency } = ORDERS[key];
      // Paid far more than every refund together, so the reservation guard never gets in the way.
      const [order] = await db
        .insert(orders)
        .values({
          provider,
          providerRef: `REF-${key}`,
          orderNumber: `OV-${1000 + i}`,
          kind: provider === 'forage' ? 'forage' : 'regular',
          status: 'paid',
          providerStatus: 'PAID',
          currency,
          totalMinor: 2_000_000_000,
          customerName: `Customer ${key}`,
          customerEmail: `${key}@overview.test`,
          placedAt: at('2026-09-01T00:00:00Z'),
        })
        .returning({ id: orders.id });
      orderIds[key] = order!.id;
      const lines = await db
        .insert(orderLines)
        .values(
          [0, 1].map((position) => ({
            orderId: order!.id,
            position,
            providerLineId: `L${position}`,
            name: `Product ${position}`,
            unitPriceMinor: 1_000_000_000,
            quantity: 1,
            paidMinor: 1_000_000_000,
          })),
        )
        .returning({ id: orderLines.id });
      lineIds[key] = [lines[0]!.id, lines[1]!.id];
    }

    rows = buildRows();
    await db.insert(refunds).values(
      rows.map((r) => ({
        id: r.id,
        orderId: orderIds[r.orderKey],
        requestKey: randomUUID(),
        status: r.status,
        currency: currency(r),
        amountMinor: r.amountMinor,
        requestedBy: user!.id,
        createdAt: r.createdAt,
        updatedAt: r.completedAt ?? r.createdAt,
        completedAt: r.completedAt,
      })),
    );
    await db.insert(refundLines).values(
      rows.flatMap((r) => {
        const split =
          r.reasons.length === 2
            ? [r.amountMinor - Math.floor(r.amountMinor / 2), Math.floor(r.amountMinor / 2)]
            : [r.amountMinor];
        return r.reasons.map((reason, k) => ({
          refundId: r.id,
          orderLineId: lineIds[r.orderKey][k]!,
          quantity: 0,
          amountMinor: split[k]!,
          reason,
          reasonNote: reason === 'other' ? 'Overview test' : null,
        }));
      }),
    );
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

describe('requests near their order’s refund deadline', () => {
  let handle: DbHandle;
  afterAll(() => handle?.close());

  it('lists waiting requests whose deadline is passed or within 7 days, soonest first, and nothing else', async () => {
    handle = await freshPglite();
    const { db } = handle;
    const [user] = await db.insert(users).values({ email: 'agent@deadline.test', name: 'Agent', role: 'agent' }).returning();
    const deadlines = {
      passed: new Date(NOW.getTime() - DAY),
      soon: new Date(NOW.getTime() + 2 * DAY),
      edge: new Date(NOW.getTime() + 7 * DAY),
      later: new Date(NOW.getTime() + 7 * DAY + 1),
      none: null,
    } as const;
    const plan: { order: keyof typeof deadlines; status: RefundStatus }[] = [
      { order: 'passed', status: 'pending_approval' },
      { order: 'soon', status: 'pending_approval' },
      { order: 'soon', status: 'succeeded' },
      { order: 'soon', status: 'processing' },
      { order: 'soon', status: 'rejected' },
      { order: 'edge', status: 'approved' },
      { order: 'edge', status: 'requested' },
      { order: 'later', status: 'pending_approval' },
      { order: 'none', status: 'pending_approval' },
    ];
    const orderIds = {} as Record<keyof typeof deadlines, string>;
    for (const [i, key] of (Object.keys(deadlines) as (keyof typeof deadlines)[]).entries()) {
      const [order] = await db
        .insert(orders)
        .values({
          provider: 'frontpayment',
          providerRef: `DL-${key}`,
          orderNumber: `DL-${1000 + i}`,
          kind: 'regular',
          status: 'paid',
          providerStatus: 'PAID',
          currency: 'NOK',
          totalMinor: 1_000_000,
          customerName: key,
          customerEmail: `${key}@deadline.test`,
          placedAt: at('2026-09-01T00:00:00Z'),
          refundDeadline: deadlines[key],
        })
        .returning({ id: orders.id });
      orderIds[key] = order!.id;
    }
    const inserted = plan.map((p, i) => ({
      id: randomUUID(),
      orderId: orderIds[p.order],
      requestKey: randomUUID(),
      status: p.status,
      currency: 'NOK',
      amountMinor: 1_000 * (i + 1),
      requestedBy: user!.id,
      deadline: deadlines[p.order],
    }));
    await db.insert(refunds).values(inserted.map(({ deadline: _d, ...r }) => r));

    const waiting = new Set<RefundStatus>(['requested', 'pending_approval', 'approved']);
    const horizon = NOW.getTime() + 7 * DAY;
    const expected = inserted
      .filter((r) => waiting.has(r.status) && r.deadline !== null && r.deadline.getTime() <= horizon)
      .sort((a, b) => a.deadline!.getTime() - b.deadline!.getTime() || (a.id < b.id ? -1 : 1))
      .map((r) => ({ id: r.id, amountMinor: r.amountMinor, refundDeadline: r.deadline }));

    const { nearDeadline } = await getOverview(db, NOW);
    expect(expected).toHaveLength(4);
    expect(nearDeadline.map((r) => ({ id: r.id, amountMinor: r.amountMinor, refundDeadline: r.refundDeadline }))).toEqual(
      expected,
    );
  });
});
