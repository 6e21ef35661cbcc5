import { randomUUID } from 'node:crypto';
import { and, desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '@/db';
import { seedDemo } from '@/demo/seed';
import {
  auditEvents,
  orderLines,
  orderPayments,
  orders,
  providerChecks,
  providerRefunds,
  refundLines,
  refunds,
  submissions,
  users,
  webhookEvents,
} from '@/db/schema';
import { appendAudit, type AuditContext } from '@/db/queries/audit-chain';
import { freshPglite } from '@/test/db';
import { getRefundDetail, type TimelineEntry } from './refund-detail';

let handle: DbHandle;
let agent: { id: string; name: string; email: string };

const ctx = (): AuditContext => ({
  actorId: agent.id,
  actorRole: 'agent',
  actorEmail: agent.email,
  ip: '203.0.113.7',
  userAgent: 'vitest',
  requestId: 'req-detail',
});

async function orderByNumber(orderNumber: string) {
  const db = handle.db;
  const [order] = await db.select().from(orders).where(eq(orders.orderNumber, orderNumber));
  const lines = await db.select().from(orderLines).where(eq(orderLines.orderId, order!.id)).orderBy(orderLines.position);
  const payments = await db.select().from(orderPayments).where(eq(orderPayments.orderId, order!.id));
  return { order: order!, lines, payments };
}

const at = (base: Date, seconds: number) => new Date(base.getTime() + seconds * 1000);
const kinds = (timeline: TimelineEntry[]) =>
  timeline.map((e) => (e.kind === 'audit' ? `audit:${e.action}` : e.kind === 'record' ? `record:${e.what}` : e.kind));

beforeAll(async () => {
  handle = await freshPglite();
  await seedDemo(handle.db);
  const [row] = await handle.db
    .select({ id: users.id, name: users.name, email: users.email })
    .from(users)
    .where(eq(users.email, 'agent@refund-desk.test'));
  agent = row!;
});
afterAll(() => handle?.close());

describe('getRefundDetail', () => {
  it('returns null for an unknown refund', async () => {
    expect(await getRefundDetail(handle.db, randomUUID())).toBeNull();
  });

  it('gathers a Forage refund: order, requester, lines, provider refunds, submissions and one timeline in time order', async () => {
    const db = handle.db;
    const { order, lines, payments } = await orderByNumber('RD-100001');
    const milk = lines.find((l) => l.providerLineId === '0412345000018')!;
    const bananas = lines.find((l) => l.providerLineId === '4011')!;
    const snap = payments.find((p) => p.tender === 'ebt_snap')!;

    const refundId = await db.transaction(async (tx) => {
      const [refund] = await tx
        .insert(refunds)
        .values({
          orderId: order.id,
          requestKey: randomUUID(),
          status: 'processing',
          currency: 'USD',
          amountMinor: 449 + 138,
          requestedBy: agent.id,
          note: 'Customer called',
        })
        .returning();
      await tx.insert(refundLines).values([
        // Inserted in reverse order: the detail lists them in the order's line order.
        { refundId: refund!.id, orderLineId: bananas.id, quantity: 2, amountMinor: 138, reason: 'other', reasonNote: 'Bruised' },
        { refundId: refund!.id, orderLineId: milk.id, quantity: 1, amountMinor: 449, reason: 'damaged' },
      ]);
      await appendAudit(tx, ctx(), {
        action: 'refund.requested',
        entityType: 'refund',
        entityId: refund!.id,
        after: { status: 'approved', amountMinor: 587 },
      });
      return refund!.id;
    });
    // Another refund's event and an event about something else must not appear.
    await db.transaction((tx) =>
      appendAudit(tx, ctx(), { action: 'refund.requested', entityType: 'refund', entityId: randomUUID(), after: {} }),
    );
    await db.transaction((tx) => appendAudit(tx, ctx(), { action: 'user.role_change', entityType: 'user', entityId: refundId }));
    await db.transaction((tx) =>
      appendAudit(tx, ctx(), {
        action: 'refund.status_changed',
        entityType: 'refund',
        entityId: refundId,
        before: { status: 'approved' },
        after: { status: 'submitting' },
      }),
    );
    const [lastAudit] = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.entityType, 'refund'), eq(auditEvents.entityId, refundId)))
      .orderBy(desc(auditEvents.seq))
      .limit(1);
    const t0 = lastAudit!.occurredAt;

    await db.insert(submissions).values({
      refundId,
      attempt: 1,
      idempotencyKey: `${refundId}:1`,
      requestBody: { products: [{ upc: milk.providerLineId, quantity: 1 }], reason: 'damaged' },
      outcome: 'accepted',
      responseStatus: 201,
      responseBody: [{ ref: 'rfdetail01', status: 'processing' }],
      createdAt: at(t0, 60),
      completedAt: at(t0, 61),
    });
    const [attempt] = await db.select().from(submissions).where(eq(submissions.refundId, refundId));
    // What was learned after the attempt: appended, never written over the attempt's answer.
    await db.insert(providerChecks).values([
      {
        refundId,
        submissionId: attempt!.id,
        kind: 'status_read',
        finding: 'Status read: Forage lists 1 refund made for this refund',
        exchange: { method: 'GET', status: 200 },
        createdAt: at(t0, 70),
      },
      { refundId, submissionId: attempt!.id, kind: 'conclusion', finding: 'Concluded: applied once', createdAt: at(t0, 71) },
    ]);
    await db.insert(providerRefunds).values([
      {
        refundId,
        provider: 'forage',
        providerRefundRef: 'rfdetail01',
        paymentId: snap.id,
        tender: 'ebt_snap',
        amountMinor: 587,
        status: 'processing',
        createdAt: at(t0, 61),
      },
    ]);
    await db.insert(webhookEvents).values([
      {
        provider: 'forage',
        eventId: 'evt-detail-1',
        eventType: 'REFUND_STATUS_UPDATED',
        // What the provider's parser finds in the delivery, stored by the ingest beside the payload.
        refundRef: 'rfdetail01',
        orderRef: order.providerRef,
        payload: { type: 'REFUND_STATUS_UPDATED', data: { refund_ref: 'rfdetail01', status: 'succeeded' } },
        receivedAt: at(t0, 90),
      },
      {
        provider: 'forage',
        eventId: 'evt-other',
        eventType: 'REFUND_STATUS_UPDATED',
        refundRef: 'rfsomeoneelse',
        orderRef: order.providerRef,
        payload: { type: 'REFUND_STATUS_UPDATED', data: { refund_ref: 'rfsomeoneelse', status: 'succeeded' } },
        receivedAt: at(t0, 30),
      },
    ]);

    const detail = await getRefundDetail(db, refundId);
    expect(detail).not.toBeNull();
    expect(detail!.refund).toMatchObject({ id: refundId, status: 'processing', amountMinor: 587, note: 'Customer called' });
    expect(detail!.order).toMatchObject({ orderNumber: 'RD-100001', provider: 'forage', customerName: 'Maria Lopez' });
    expect(detail!.requester).toEqual({ id: agent.id, name: 'Alex Agent', email: 'agent@refund-desk.test' });
    expect(detail!.approval).toBeNull();
    expect(detail!.lines.map((l) => [l.name, l.quantity, l.amountMinor, l.reason, l.reasonNote])).toEqual([
      ['Whole Milk 1 gal', 1, 449, 'damaged', null],
      ['Bananas (per lb)', 2, 138, 'other', 'Bruised'],
    ]);
    expect(detail!.providerRefunds).toEqual([
      expect.objectContaining({
        providerRefundRef: 'rfdetail01',
        tender: 'ebt_snap',
        amountMinor: 587,
        paymentRef: snap.providerPaymentRef,
      }),
    ]);
    expect(detail!.submissions).toHaveLength(1);

    expect(kinds(detail!.timeline)).toEqual([
      'audit:refund.requested',
      'audit:refund.status_changed',
      'request',
      'response',
      'check',
      'check',
      'webhook',
    ]);
    const times = detail!.timeline.map((e) => e.at.getTime());
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    const [requested, changed, request, response, read, concluded, webhook] = detail!.timeline;
    expect(read).toMatchObject({ kind: 'check', check: 'status_read', attempt: 1, exchange: { status: 200 } });
    expect(concluded).toMatchObject({ kind: 'check', check: 'conclusion', attempt: 1, finding: 'Concluded: applied once' });
    expect(requested).toMatchObject({ actor: 'Alex Agent', actorRole: 'agent', outcome: 'success' });
    expect(changed).toMatchObject({ before: { status: 'approved' }, after: { status: 'submitting' } });
    expect(request).toMatchObject({ attempt: 1, idempotencyKey: `${refundId}:1`, body: { reason: 'damaged' } });
    expect(response).toMatchObject({ attempt: 1, outcome: 'accepted', httpStatus: 201, body: [{ ref: 'rfdetail01' }] });
    expect(webhook).toMatchObject({ eventId: 'evt-detail-1', payload: { data: { refund_ref: 'rfdetail01' } } });
  });

  it('shows Frontpayment callbacks for the order received since the refund, and the reservation payment', async () => {
    const db = handle.db;
    const { order, lines } = await orderByNumber('RD-100003');
    const cups = lines.find((l) => l.providerLineId === '5402')!;
    const created = new Date(Date.now() - 60_000);
    const [refund] = await db
      .insert(refunds)
      .values({
        orderId: order.id,
        requestKey: randomUUID(),
        status: 'failed',
        currency: 'NOK',
        amountMinor: 8990,
        requestedBy: agent.id,
        statusReason: 'Frontpayment refused it: above its per-request threshold.',
        providerErrorCode: 'refundRejectionForRequestAmountThresholdExceed',
        createdAt: created,
      })
      .returning();
    await db
      .insert(refundLines)
      .values({ refundId: refund!.id, orderLineId: cups.id, quantity: 1, amountMinor: 8990, reason: 'quality' });
    await db.insert(webhookEvents).values([
      {
        provider: 'frontpayment',
        eventId: 'fp-before',
        orderRef: order.providerRef,
        payload: { orderUuid: order.providerRef, status: 'PAID' },
        receivedAt: at(created, -600),
      },
      {
        provider: 'frontpayment',
        eventId: 'fp-after',
        orderRef: order.providerRef,
        payload: { orderUuid: order.providerRef, status: 'PARTIAL REFUNDED' },
        receivedAt: at(created, 5),
      },
      {
        provider: 'frontpayment',
        eventId: 'fp-other-order',
        orderRef: 'ODR9999',
        payload: { orderUuid: 'ODR9999', status: 'PAID' },
        receivedAt: at(created, 6),
      },
    ]);

    const detail = await getRefundDetail(db, refund!.id);
    expect(detail!.refund.providerErrorCode).toBe('refundRejectionForRequestAmountThresholdExceed');
    const webhooks = detail!.timeline.filter((e) => e.kind === 'webhook');
    expect(webhooks.map((e) => e.kind === 'webhook' && e.eventId)).toEqual(['fp-after']);
    // No audit trail for this refund: the refund row's own times stand in, before the callback.
    expect(kinds(detail!.timeline)).toEqual(['record:requested', 'webhook']);
  });

  it('a seeded refund with no audit trail still has a timeline from its record', async () => {
    const db = handle.db;
    const { order } = await orderByNumber('RD-100002');
    const [seeded] = await db.select().from(refunds).where(eq(refunds.orderId, order.id));
    const detail = await getRefundDetail(db, seeded!.id);
    expect(detail!.lines).toEqual([
      expect.objectContaining({ name: 'Whole Milk 1 gal', quantity: 1, amountMinor: 449, reason: 'damaged' }),
    ]);
    expect(detail!.providerRefunds).toEqual([expect.objectContaining({ providerRefundRef: 'rf8d9e0f1a', status: 'succeeded' })]);
    expect(kinds(detail!.timeline)).toEqual(['record:requested', 'record:submitted', 'record:completed']);
  });
});
