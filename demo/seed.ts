import { randomUUID } from 'node:crypto';
import type { Db } from '@/db';
import { insertOrder, insertOrderLines, insertOrderPayments } from '@/db/queries/orders';
import { insertPastRefundParts } from '@/db/queries/refund-history';
import { insertRefundLimits, insertSettings } from '@/db/queries/settings';
import { countUsers, insertUsers } from '@/db/queries/users';
import { loadDemoDataset, type DemoDataset, type DemoOrder } from '@/demo/schema';
import { appendAudit, SYSTEM_CONTEXT } from '@/lib/audit';
import { hashPassword } from '@/lib/auth/passwords';
import { normalizeOrderStatus } from '@/lib/orders/status';
import { recordPastRefund } from '@/lib/refunds/lifecycle';

export { DEMO_PASSWORD, DEMO_USERS } from './accounts';
import { DEMO_PASSWORD, DEMO_USERS } from './accounts';

/** Defaults an admin can change later (PRODUCT.md §2.9). */
export const DEFAULT_SETTINGS = {
  approval_expiry_hours: 48,
  refund_window_days: { forage: 60, frontpayment: 90 },
} as const;

export const DEFAULT_LIMITS = [
  { currency: 'USD', approvalThresholdMinor: 100_00, perRefundMinor: 500_00, perDayMinor: 1_000_00 },
  { currency: 'NOK', approvalThresholdMinor: 2_000_00, perRefundMinor: 10_000_00, perDayMinor: 20_000_00 },
];

const DAY_MS = 86_400_000;

function placedAt(order: DemoOrder, now: Date) {
  const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const at = midnight - order.placedDaysAgo * DAY_MS + order.placedMinuteOfDay * 60_000;
  // Never in the future, even for "today" orders placed later in the day than now.
  return new Date(Math.min(at, now.getTime() - 60_000));
}

/** Money has been collected for these orders; the others show nothing paid. */
function isCollected(order: DemoOrder) {
  return (
    order.payments.length > 0 &&
    !['INVOICED', 'SENT', 'EXPIRED', 'CANCELLED', 'canceled', 'RESERVED'].includes(order.providerStatus)
  );
}

export interface SeedResult {
  seeded: boolean;
  users: number;
  orders: number;
  refunds: number;
}

/**
 * Loads the demo world: one user per role (plus a second agent and manager for four-eyes checks),
 * default limits and settings, and every order of demo/dataset.json with its past refunds. Does
 * nothing when users already exist, so it is safe to run at every start.
 */
export async function seedDemo(db: Db, options: { now?: Date; dataset?: DemoDataset } = {}): Promise<SeedResult> {
  const existing = await countUsers(db);
  if (existing > 0) return { seeded: false, users: existing, orders: 0, refunds: 0 };
  const now = options.now ?? new Date();
  const dataset = options.dataset ?? loadDemoDataset();
  const seededOrders = dataset.orders.filter((o) => !o.sandboxOnly);
  const passwordHash = await hashPassword(DEMO_PASSWORD);

  return db.transaction(async (tx) => {
    const created = await insertUsers(
      tx,
      DEMO_USERS.map((u) => ({ ...u, passwordHash })),
    );
    const requester = created.find((u) => u.role === 'agent')!;

    await insertSettings(
      tx,
      Object.entries(DEFAULT_SETTINGS).map(([key, value]) => ({ key, value })),
    );
    await insertRefundLimits(
      tx,
      DEFAULT_LIMITS.map((l) => ({ ...l, userId: null })),
    );

    let refundCount = 0;
    for (const demo of seededOrders) {
      const at = placedAt(demo, now);
      const collected = isCollected(demo);
      const total = demo.lines.reduce((sum, l) => sum + l.unitPrice * l.quantity, 0);
      const refunded = demo.refunds.reduce((sum, r) => sum + r.lines.reduce((s, l) => s + l.amount, 0), 0);
      const windowDays = DEFAULT_SETTINGS.refund_window_days[demo.provider];
      const orderId = await insertOrder(tx, {
        provider: demo.provider,
        providerRef: demo.providerRef,
        orderNumber: demo.orderNumber,
        kind: demo.kind,
        status: normalizeOrderStatus(demo.provider, demo.providerStatus, {
          paidMinor: collected ? total : 0,
          refundedMinor: refunded,
        }),
        providerStatus: demo.providerStatus,
        currency: demo.currency,
        totalMinor: total,
        customerName: demo.customer.name,
        customerEmail: demo.customer.email,
        customerPhone: demo.customer.phone,
        providerCustomerId: demo.customer.customerId ?? null,
        placedAt: at,
        refundDeadline: new Date(at.getTime() + windowDays * DAY_MS),
        syncedAt: now,
      });

      const lineRows = await insertOrderLines(
        tx,
        demo.lines.map((l, position) => ({
          orderId,
          position,
          providerLineId: l.lineId,
          productId: l.productId ?? null,
          name: l.name,
          unitPriceMinor: l.unitPrice,
          quantity: l.quantity,
          paidMinor: collected ? l.unitPrice * l.quantity : 0,
          taxRateBp: l.taxRateBp,
          eligibility: l.eligibility,
        })),
      );
      const lineId = new Map(lineRows.map((l) => [l.providerLineId, l.id]));

      const paymentRows = demo.payments.length
        ? await insertOrderPayments(
            tx,
            demo.payments.map((p, i) => ({
              orderId,
              providerPaymentRef: p.ref,
              tender: p.tender,
              amountMinor: p.amount,
              createdAt: new Date(at.getTime() + i),
            })),
          )
        : [];
      const payment = new Map(paymentRows.map((p) => [p.ref, p]));

      for (const past of demo.refunds) {
        const createdAt = new Date(Math.max(at.getTime() + 60_000, now.getTime() - past.daysAgo * DAY_MS - 3_600_000));
        const amount = past.lines.reduce((sum, l) => sum + l.amount, 0);
        const refundId = await recordPastRefund(
          tx,
          {
            orderId,
            requestKey: randomUUID(),
            currency: demo.currency,
            amountMinor: amount,
            requestedBy: requester.id,
            note: past.note ?? null,
            createdAt,
            updatedAt: createdAt,
            submittedAt: createdAt,
            completedAt: createdAt,
          },
          'succeeded',
        );
        await insertPastRefundParts(
          tx,
          refundId,
          past.lines.map((l) => ({
            orderLineId: lineId.get(l.lineId)!,
            quantity: l.quantity,
            amountMinor: l.amount,
            reason: past.reason,
            reasonNote: past.reason === 'other' ? (past.note ?? 'Demo refund') : null,
          })),
          past.allocations.map((a) => {
            const p = payment.get(a.paymentRef)!;
            return {
              provider: demo.provider,
              providerRefundRef: past.ref,
              paymentId: p.id,
              tender: p.tender,
              amountMinor: a.amount,
              status: 'succeeded' as const,
              providerUpdatedAt: createdAt,
            };
          }),
        );
        refundCount += 1;
      }
    }

    await appendAudit(tx, SYSTEM_CONTEXT, {
      action: 'system.seed',
      entityType: 'database',
      after: { users: created.length, orders: seededOrders.length, refunds: refundCount },
    });
    return { seeded: true, users: created.length, orders: seededOrders.length, refunds: refundCount };
  });
}
