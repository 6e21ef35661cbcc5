import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db, DbHandle } from '@/db';
import { orderPayments, refundLines, refunds } from '@/db/schema';
import { SYSTEM_CONTEXT } from '@/lib/audit';
import { SafeError } from '@/lib/errors';
import { RetryLater } from '@/lib/jobs/worker';
import { SANDBOX_CREDENTIALS } from '@/sandbox/config';
import { submitApprovedRefund } from './pipeline';
import { pollRefund } from './reconcile';
import { idempotencyKeyFor } from './request';
import { createRefund } from './service';
import {
  forageRefundsAt,
  frontpaymentOrderAt,
  lineFigures,
  liveJobs,
  orderByNumber,
  providerRefundsOf,
  refundInput,
  refundRow,
  seededPglite,
  startProviders,
  submissionsOf,
  userId,
  type Providers,
} from '@/test/refunds';

/** The refund pipeline end to end: create → submit → poll, against the provider sandbox in this process. */

let handle: DbHandle;
let db: Db;
let p: Providers;
let agent: { id: string };

beforeAll(async () => {
  [handle, p] = await Promise.all([seededPglite(), startProviders()]);
  db = handle.db;
  agent = { id: await userId(db) };
});
afterAll(async () => {
  await p?.close();
  await handle?.close();
});

const create = (input: Parameters<typeof createRefund>[3]) => createRefund(db, agent, SYSTEM_CONTEXT, input);

describe('Forage', () => {
  it('RD-100001: a SNAP line and a card line become two provider refunds on the right tenders, then succeed', async () => {
    const milk = '0412345000018'; // SNAP, 4.49
    const towels = '0412345000407'; // non-EBT, 11.99
    const created = await create(
      await refundInput(db, 'RD-100001', [
        { line: milk, amount: 449 },
        { line: towels, amount: 1199 },
      ]),
    );
    expect(created).toMatchObject({ status: 'approved', duplicate: false });
    expect(await liveJobs(db, created.refundId)).toEqual(['refund.submit']);

    expect(await submitApprovedRefund(db, created.refundId, p.clientFor)).toBe('processing');
    expect(await p.refundPosts('forage')).toHaveLength(1);

    const parts = await providerRefundsOf(db, created.refundId);
    const payments = await db.select().from(orderPayments);
    const paymentRef = (id: string | null) => payments.find((x) => x.id === id)?.providerPaymentRef;
    expect(
      parts
        .map((x) => ({ tender: x.tender, amount: x.amountMinor, payment: paymentRef(x.paymentId), status: x.status }))
        .sort((a, b) => a.amount - b.amount),
    ).toEqual([
      { tender: 'ebt_snap', amount: 449, payment: 'sn7a1b2c3d', status: 'processing' },
      { tender: 'credit_tpp', amount: 1199, payment: 'cc7a1b2c3d', status: 'processing' },
    ]);
    const atForage = await forageRefundsAt(p, 'fg7a1b2c3d');
    expect(atForage.map((r) => [r.payment, r.funding_type, r.cents]).sort()).toEqual([
      ['cc7a1b2c3d', 'credit_tpp', 1199],
      ['sn7a1b2c3d', 'ebt_snap', 449],
    ]);
    expect(parts.map((x) => x.providerRefundRef).sort()).toEqual(atForage.map((r) => r.ref).sort());
    expect(atForage.every((r) => r.metadata.refund_id === created.refundId)).toBe(true);

    const [submission, ...more] = await submissionsOf(db, created.refundId);
    expect(more).toEqual([]);
    expect(submission).toMatchObject({
      attempt: 1,
      outcome: 'accepted',
      responseStatus: 201,
      idempotencyKey: idempotencyKeyFor(created.refundId),
    });
    expect(submission!.requestBody).toMatchObject({
      refundId: created.refundId,
      providerRef: 'fg7a1b2c3d',
      totalMinor: 1648,
      mode: 'units',
      payment: null,
      lines: [
        { providerLineId: milk, quantity: 1, amountMinor: 449 },
        { providerLineId: towels, quantity: 1, amountMinor: 1199 },
      ],
    });
    expect(await liveJobs(db, created.refundId)).toContain('refund.poll');

    // Not settled at Forage yet: still processing, and the poll asks to be run again.
    await expect(pollRefund(db, created.refundId, p.clientFor)).rejects.toBeInstanceOf(RetryLater);
    expect((await refundRow(db, created.refundId)).status).toBe('processing');
    const reserved = await lineFigures(db, 'RD-100001', milk);
    expect(reserved.line).toMatchObject({ reservedMinor: 449, refundedMinor: 0, refundableMinor: 0 });

    await p.control('settle', { provider: 'forage' });
    await pollRefund(db, created.refundId, p.clientFor);
    const done = await refundRow(db, created.refundId);
    expect(done.status).toBe('succeeded');
    expect(done.completedAt).toBeInstanceOf(Date);
    expect((await providerRefundsOf(db, created.refundId)).map((x) => x.status)).toEqual(['succeeded', 'succeeded']);

    const after = await lineFigures(db, 'RD-100001', towels);
    expect(after.line).toMatchObject({ paidMinor: 1199, refundedMinor: 1199, reservedMinor: 0, refundableMinor: 0 });
    expect(after.order).toMatchObject({ paidMinor: 7652, refundedMinor: 1648, reservedMinor: 0, refundableMinor: 7652 - 1648 });
  });
});

describe('Frontpayment', () => {
  it('RD-100003: 50,00 kr of line 5402 is processing until refundedAmount grows by it, then succeeded', async () => {
    const before = await lineFigures(db, 'RD-100003', '5402');
    expect(before.line.refundableMinor).toBe(35960);
    const created = await create(await refundInput(db, 'RD-100003', [{ line: '5402', amount: 5000 }]));
    expect(created.status).toBe('approved');

    expect(await submitApprovedRefund(db, created.refundId, p.clientFor)).toBe('processing');
    const [submission] = await submissionsOf(db, created.refundId);
    // Frontpayment's refundedAmount before the attempt: the two refunds in the demo data, 300 + 298 kr.
    expect(submission).toMatchObject({ outcome: 'accepted', responseStatus: 202, baselineRefundedMinor: 59800 });
    expect(await providerRefundsOf(db, created.refundId)).toMatchObject([
      { tender: 'regular', amountMinor: 5000, status: 'processing' },
    ]);
    expect((await frontpaymentOrderAt(p, 'ODR1700000003')).pendingMinor).toBe(5000);
    expect((await lineFigures(db, 'RD-100003', '5402')).line.refundableMinor).toBe(35960 - 5000);

    // Accepted (202) is not money moved: the poll keeps it processing.
    await expect(pollRefund(db, created.refundId, p.clientFor)).rejects.toBeInstanceOf(RetryLater);
    expect((await refundRow(db, created.refundId)).status).toBe('processing');

    await p.control('settle', { provider: 'frontpayment' });
    await pollRefund(db, created.refundId, p.clientFor);
    expect((await refundRow(db, created.refundId)).status).toBe('succeeded');
    const after = await lineFigures(db, 'RD-100003', '5402');
    expect(after.line).toMatchObject({
      refundableMinor: 35960 - 5000,
      refundedMinor: before.line.refundedMinor + 5000,
      reservedMinor: 0,
    });
    expect(after.order.refundableMinor).toBe(before.order.refundableMinor - 5000);
  });

  it('RD-100004: a reservation refund from capture CAP700004 is accepted, settles and succeeds', async () => {
    const created = await create(
      await refundInput(db, 'RD-100004', [{ line: '5406', amount: 15000 }], { paymentRef: 'CAP700004' }),
    );
    expect(created.status).toBe('approved');
    expect(await submitApprovedRefund(db, created.refundId, p.clientFor)).toBe('processing');
    expect(await providerRefundsOf(db, created.refundId)).toMatchObject([{ tender: 'captured', amountMinor: 15000 }]);
    const pending = await frontpaymentOrderAt(p, 'RES1700000004');
    expect(pending.refunds).toMatchObject([{ state: 'pending', reference: 'CAP700004', totalMinor: 15000 }]);

    await p.control('settle', { provider: 'frontpayment' });
    await pollRefund(db, created.refundId, p.clientFor);
    expect((await refundRow(db, created.refundId)).status).toBe('succeeded');
    expect((await lineFigures(db, 'RD-100004', '5406')).line).toMatchObject({ refundedMinor: 15000, refundableMinor: 45000 });
  });
});

describe('money is reserved and never over-refunded', () => {
  it('refuses more than a line has left, with a field error, and inserts nothing', async () => {
    const count = async () => (await db.select({ id: refunds.id }).from(refunds)).length;
    const before = await count();
    const input = await refundInput(db, 'RD-100002', [{ line: '0412345000032', amount: 400, quantity: 1 }]); // eggs: 3.99 paid
    const error = await create(input).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SafeError);
    expect((error as SafeError).code).toBe('over_refund');
    expect((error as SafeError).fieldErrors?.['lines.0.amountMinor']?.[0]).toMatch(/left to refund/);
    expect(await count()).toBe(before);
  });

  it('the database refuses refund lines above what was paid, even written past the service', async () => {
    const order = await orderByNumber(db, 'RD-100002');
    const eggs = (await lineFigures(db, 'RD-100002', '0412345000032')).line.orderLineId;
    const insert = (amountMinor: number) =>
      db.transaction(async (tx) => {
        const [refund] = await tx
          .insert(refunds)
          .values({
            orderId: order.id,
            requestKey: randomUUID(),
            status: 'approved',
            currency: 'USD',
            amountMinor,
            requestedBy: agent.id,
          })
          .returning({ id: refunds.id });
        await tx
          .insert(refundLines)
          .values({ refundId: refund!.id, orderLineId: eggs, quantity: 1, amountMinor, reason: 'damaged' });
        return refund!.id;
      });
    const refusal = (error: unknown) => String((error as { cause?: { message?: string } }).cause?.message ?? error);
    expect(refusal(await insert(400).catch((e: unknown) => e))).toMatch(/refundable on order line/);
    // Two writes that each fit but together do not: the second is refused.
    const first = await insert(399);
    expect(refusal(await insert(1).catch((e: unknown) => e))).toMatch(/refundable on order line/);
    expect((await db.select().from(refunds).where(eq(refunds.orderId, order.id))).map((r) => r.id)).toContain(first);
    expect((await lineFigures(db, 'RD-100002', '0412345000032')).line).toMatchObject({ reservedMinor: 399, refundableMinor: 0 });
  });
});

describe('double submits', () => {
  it('the same request key, twice in a row and twice at once, makes one refund', async () => {
    const input = await refundInput(db, 'RD-100006', [{ line: '0412345000339', amount: 549 }]);
    const first = await create(input);
    expect(await create(input)).toEqual({ ...first, duplicate: true });

    // At once, for the whole of a line: the loser must get the winner's refund, not "nothing left".
    const towel = await refundInput(db, 'RD-100006', [{ line: '0412345000483', amount: 1099 }]);
    const both = await Promise.all([create(towel), create(towel)]);
    expect(both[0].refundId).toBe(both[1].refundId);
    expect(both.map((r) => r.duplicate).sort()).toEqual([false, true]);
    expect(await db.select().from(refunds).where(eq(refunds.requestKey, towel.requestKey))).toHaveLength(1);
  });

  it('submitting the same approved refund twice at once sends it once', async () => {
    const created = await create(await refundInput(db, 'RD-100006', [{ line: '0412345000308', amount: 349 }]));
    const posts = (await p.refundPosts('forage')).length;
    const results = await Promise.all([
      submitApprovedRefund(db, created.refundId, p.clientFor),
      submitApprovedRefund(db, created.refundId, p.clientFor),
    ]);
    expect(results.sort()).toEqual(['processing', null].sort());
    expect(await p.refundPosts('forage')).toHaveLength(posts + 1);
    expect(await submissionsOf(db, created.refundId)).toHaveLength(1);
    expect((await forageRefundsAt(p, 'z8bg09t72h')).filter((r) => r.metadata.refund_id === created.refundId)).toHaveLength(1);
  });
});

describe('provider says no', () => {
  it('Frontpayment refundRejectionForProductAmountExceed → failed in plain words, and the money is free again', async () => {
    // Someone refunded 100 kr of line 5410 at Frontpayment directly: it has less left than we think.
    const direct = await fetch(`${p.sandbox.url}/api/v1/connect/orders/refund/ODR1700000012`, {
      method: 'POST',
      headers: { authorization: `Bearer ${SANDBOX_CREDENTIALS.frontpayment.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'regular', grandTotal: 100, products: [{ id: 5410, amount: 100 }] }),
    });
    expect(direct.status).toBe(202);

    const created = await create(await refundInput(db, 'RD-100012', [{ line: '5410', amount: 49800 }]));
    expect(await submitApprovedRefund(db, created.refundId, p.clientFor)).toBe('failed');
    const refund = await refundRow(db, created.refundId);
    expect(refund).toMatchObject({ status: 'failed', providerErrorCode: 'refundRejectionForProductAmountExceed' });
    expect(refund.statusReason).toMatch(/more than what is left to refund/);
    expect(refund.statusReason).not.toMatch(/refundRejection/);
    expect(await submissionsOf(db, created.refundId)).toMatchObject([
      { outcome: 'rejected', responseStatus: 400, errorCode: 'refundRejectionForProductAmountExceed' },
    ]);
    expect(await providerRefundsOf(db, created.refundId)).toEqual([]);
    expect((await lineFigures(db, 'RD-100012', '5410')).line).toMatchObject({ reservedMinor: 0, refundableMinor: 49800 });
    // Nothing left to follow up: no poll, no reconciliation (the queued submit finds it no longer approved).
    expect((await liveJobs(db, created.refundId)).filter((kind) => kind !== 'refund.submit')).toEqual([]);
  });

  it('a Forage refund that ends failed at Forage → failed, with its error, and the money is free again', async () => {
    await p.control('forage/next-outcome', { outcome: 'failed', error: 'EBT network declined the refund.' });
    const created = await create(await refundInput(db, 'RD-100008', [{ line: '0412345000278', amount: 499 }]));
    expect(await submitApprovedRefund(db, created.refundId, p.clientFor)).toBe('processing');
    expect((await lineFigures(db, 'RD-100008', '0412345000278')).line.refundableMinor).toBe(0);

    await p.control('settle', { provider: 'forage' });
    await pollRefund(db, created.refundId, p.clientFor);
    const refund = await refundRow(db, created.refundId);
    expect(refund.status).toBe('failed');
    expect(refund.statusReason).toContain('EBT network declined the refund.');
    expect(await providerRefundsOf(db, created.refundId)).toMatchObject([
      { status: 'failed', lastError: 'EBT network declined the refund.' },
    ]);
    expect((await lineFigures(db, 'RD-100008', '0412345000278')).line).toMatchObject({
      reservedMinor: 0,
      refundedMinor: 0,
      refundableMinor: 499,
    });
  });
});

describe('approval threshold', () => {
  it('RD-100042: NOK 2 500 waits for a manager, with an expiry, and is never sent', async () => {
    const created = await create(await refundInput(db, 'RD-100042', [{ line: '5474', amount: 250000 }]));
    expect(created.status).toBe('pending_approval');
    const refund = await refundRow(db, created.refundId);
    expect(refund.statusReason).toMatch(/approval threshold/);
    const hours = (refund.expiresAt!.getTime() - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(47.9);
    expect(hours).toBeLessThanOrEqual(48);
    expect(await liveJobs(db, created.refundId)).toEqual([]);

    const requests = (await p.allRequests()).length;
    expect(await submitApprovedRefund(db, created.refundId, p.clientFor)).toBeNull();
    expect(await p.allRequests()).toHaveLength(requests);
    expect(await submissionsOf(db, created.refundId)).toEqual([]);
    expect((await refundRow(db, created.refundId)).status).toBe('pending_approval');
    // Still reserved while it waits.
    expect((await lineFigures(db, 'RD-100042', '5474')).line.reservedMinor).toBe(250000);
  });
});
