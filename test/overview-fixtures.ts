import { randomUUID } from 'node:crypto';
import type { Db } from '@/db';
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

/**
 * The refunds behind the overview tests (db/queries/overview*.test.ts): rows built here in plain
 * TypeScript, inserted by `insertOverviewRows`, and the figures they should give, computed from the
 * rows — never by running the same SQL again.
 */

export const DAY = 86_400_000;
const HOUR = 3_600_000;
/** A Thursday afternoon. Its week began on Monday 2026-11-16; its 30 days on 2026-10-21. */
export const NOW = new Date('2026-11-19T15:30:00.000Z');
export const at = (iso: string) => new Date(iso);

export interface Row {
  id: string;
  orderKey: OrderKey;
  status: RefundStatus;
  amountMinor: number;
  createdAt: Date;
  completedAt: Date | null;
  reasons: RefundReason[];
}

// A Frontpayment order in EUR as well: the overview must group by currency, not assume one per provider.
export const ORDERS = {
  forageA: { provider: 'forage', currency: 'USD' },
  forageB: { provider: 'forage', currency: 'USD' },
  frontA: { provider: 'frontpayment', currency: 'NOK' },
  frontB: { provider: 'frontpayment', currency: 'NOK' },
  frontEur: { provider: 'frontpayment', currency: 'EUR' },
} as const satisfies Record<string, { provider: Provider; currency: string }>;
export type OrderKey = keyof typeof ORDERS;
export const ORDER_KEYS = Object.keys(ORDERS) as OrderKey[];

const FINAL: readonly RefundStatus[] = ['succeeded', 'partially_succeeded', 'failed', 'rejected', 'expired', 'canceled'];
export const SETTLED: readonly RefundStatus[] = ['succeeded', 'partially_succeeded'];

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

export const provider = (r: Row) => ORDERS[r.orderKey].provider;
export const currency = (r: Row) => ORDERS[r.orderKey].currency;
export const endedAt = (r: Row) => (r.completedAt ?? r.createdAt).getTime();
export const isSettled = (r: Row) => SETTLED.includes(r.status);

export function expectedTotals(rows: Row[], fromIso: string, toIso: string) {
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

// ---- Inserting ----------------------------------------------------------------------------------

/** An agent to request the refunds. */
export async function insertAgent(db: Db, email: string) {
  const [user] = await db.insert(users).values({ email, name: 'Agent', role: 'agent' }).returning();
  return user!;
}

/** A paid order placed on 2026-09-01; returns its id. */
export async function insertPaidOrder(db: Db, order: Omit<typeof orders.$inferInsert, 'status' | 'providerStatus' | 'placedAt'>) {
  const [row] = await db
    .insert(orders)
    .values({ ...order, status: 'paid', providerStatus: 'PAID', placedAt: at('2026-09-01T00:00:00Z') })
    .returning({ id: orders.id });
  return row!.id;
}

/** The overview's orders (two lines each), and the refunds of `buildRows` on them; returns the rows. */
export async function insertOverviewRows(db: Db): Promise<Row[]> {
  const user = await insertAgent(db, 'agent@overview.test');
  const orderIds = {} as Record<OrderKey, string>;
  const lineIds = {} as Record<OrderKey, [string, string]>;
  for (const [i, key] of ORDER_KEYS.entries()) {
    const { provider, currency } = ORDERS[key];
    // Paid far more than every refund together, so the reservation guard never gets in the way.
    const orderId = await insertPaidOrder(db, {
      provider,
      providerRef: `REF-${key}`,
      orderNumber: `OV-${1000 + i}`,
      kind: provider === 'forage' ? 'forage' : 'regular',
      currency,
      totalMinor: 2_000_000_000,
      customerName: `Customer ${key}`,
      customerEmail: `${key}@overview.test`,
    });
    orderIds[key] = orderId;
    const lines = await db
      .insert(orderLines)
      .values(
        [0, 1].map((position) => ({
          orderId,
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

  const rows = buildRows();
  await db.insert(refunds).values(
    rows.map((r) => ({
      id: r.id,
      orderId: orderIds[r.orderKey],
      requestKey: randomUUID(),
      status: r.status,
      currency: currency(r),
      amountMinor: r.amountMinor,
      requestedBy: user.id,
      createdAt: r.createdAt,
      updatedAt: r.completedAt ?? r.createdAt,
      completedAt: r.completedAt,
    })),
  );
  await db.insert(refundLines).values(
    rows.flatMap((r) => {
      const split =
        r.reasons.length === 2 ? [r.amountMinor - Math.floor(r.amountMinor / 2), Math.floor(r.amountMinor / 2)] : [r.amountMinor];
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
  return rows;
}
