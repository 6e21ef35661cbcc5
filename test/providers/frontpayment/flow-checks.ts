import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'vitest';
import { loadDataset } from '@/sandbox/config';
import type { StatusRead } from '@/lib/providers/types';
import { frontpaymentProfile } from '@/lib/providers/frontpayment/profile';
import { fromMovement, rawCall, refundRequest, type Check, type Harness } from './harness';

/**
 * Unknown outcomes (never re-sent, reconciled through the status endpoint), late failures,
 * reservations, the approval workflow, order reads and callbacks (frontpayment.md §5–§9, §11).
 */

const PAID = 'ODR1700000031';

/** The order's status read: no refund objects at Frontpayment, only the refunded total. */
async function refunded(h: Harness, providerRef = PAID): Promise<Extract<StatusRead, { ok: true }>> {
  const status = await h.client().readStatus(providerRef);
  if (!status.ok) throw new Error(`status failed: ${JSON.stringify(status)}`);
  expect(status.refunds).toEqual([]);
  return status;
}

/** The order status Frontpayment answered with, from the raw exchange (the read returns only money). */
const statusIn = (read: StatusRead) => (read.exchange.responseBody as { data?: { status?: unknown } } | null)?.data?.status;

export const flowChecks: Record<string, Check> = {
  async 'timeout after the refund was applied: unknown, one POST only, the status endpoint resolves it'(h) {
    await h.control.fault({ operation: 'refund', mode: 'hang_after', latencyMs: 1500 });
    const client = h.client({ timeoutMs: 300 });
    const result = await client.submitRefund(refundRequest(PAID, [['5443', 19900]]));
    expect(result).toMatchObject({ kind: 'unknown', reason: 'timeout' });
    expect(result.exchange.status).toBeNull();
    expect(await h.control.requests('POST')).toHaveLength(1);
    expect((await refunded(h)).refundedMinor).toBe(0);
    await h.control.settle();
    const after = await refunded(h);
    expect(after.refundedMinor).toBe(19900);
    expect(statusIn(after)).toBe('PARTIAL REFUNDED');
  },

  async 'connection dropped after the refund was applied: unknown (network), not re-sent'(h) {
    await h.control.fault({ operation: 'refund', mode: 'drop_after' });
    const result = await h.client().submitRefund(refundRequest(PAID, [['5443', 19900]]));
    expect(result).toMatchObject({ kind: 'unknown', reason: 'network' });
    expect(await h.control.requests('POST')).toHaveLength(1);
    expect((await h.control.order(PAID)).refunds.map((r) => r.state)).toEqual(['pending']);
  },

  async '510 after the refund was applied: unknown (server_error), not re-sent; both spellings of the message'(h) {
    await h.control.fault({ operation: 'refund', mode: 'error_after', times: 2 });
    const first = await h.client().submitRefund(refundRequest(PAID, [['5443', 19900]]));
    expect(first).toMatchObject({ kind: 'unknown', reason: 'server_error' });
    expect(first.exchange.status).toBe(510);
    expect(first.exchange.responseBody).toEqual({
      status_code: 510,
      status_message: 'Execution Exception Occurred',
      message: 'somethingWentWrong',
      is_error: true,
      errors: null,
    });
    expect(await h.control.requests('POST')).toHaveLength(1);
    const second = await h.client().submitRefund(refundRequest(PAID, [['5444', 49900]]));
    expect(second.exchange.responseBody).toMatchObject({ status_code: 510, message: 'Something Went Wrong' });
    expect(second.kind).toBe('unknown');
    await h.control.settle();
    expect((await refunded(h)).refundedMinor).toBe(19900 + 49900);
    expect(h.client().profile.describeError('Something Went Wrong')).toEqual(
      h.client().profile.describeError('somethingWentWrong'),
    );
  },

  async '510 before anything was applied: still unknown to the client; the sandbox shows nothing'(h) {
    await h.control.settings({ serverErrorMessage: 'Something Went Wrong' });
    await h.control.fault({ operation: 'refund', mode: 'error_before' });
    const result = await h.client().submitRefund(refundRequest(PAID, [['5443', 19900]]));
    expect(result).toMatchObject({ kind: 'unknown', reason: 'server_error' });
    expect(result.exchange.responseBody).toMatchObject({ message: 'Something Went Wrong' });
    expect(await h.control.requests('POST')).toHaveLength(1);
    expect((await h.control.order(PAID)).refunds).toEqual([]);
    expect(await h.control.settle()).toBe(0);
  },

  async 'late failure: a 202 refund that never settles leaves status and refundedAmount unchanged'(h) {
    await h.control.config({ frontpayment: { settleOutcome: 'not_applied' } });
    expect((await h.client().submitRefund(refundRequest(PAID, [['5443', 19900]]))).kind).toBe('accepted');
    expect(await h.control.settle()).toBe(1);
    const after = await refunded(h);
    expect(after.refundedMinor).toBe(0);
    expect(statusIn(after)).toBe('PAID');
    expect((await h.control.order(PAID)).refunds.map((r) => r.state)).toEqual(['dropped']);
  },

  async 'automatic settlement after settleMs'(h) {
    await h.control.config({ settleMode: 'auto', settleMs: 50 });
    expect((await h.client().submitRefund(refundRequest(PAID, [['5443', 19900]]))).kind).toBe('accepted');
    for (let i = 0; i < 40 && (await refunded(h)).refundedMinor === 0; i++) await new Promise((r) => setTimeout(r, 25));
    expect((await refunded(h)).refundedMinor).toBe(19900);
  },

  async 'reservation refund against a capture; a wrong reference or source is 404 TransactionNotFound'(h) {
    const client = h.client();
    const capture = fromMovement('captured', 'CAP700004');
    const accepted = await client.submitRefund(refundRequest('RES1700000004', [['5405', 120000]], capture));
    expect(accepted.kind).toBe('accepted');
    expect(accepted.exchange.url).toBe(`${h.url}/api/v1/connect/reservations/refund/RES1700000004`);
    expect(accepted.exchange.requestBody).toMatchObject({ type: 'reservation', source: 'captured', reference: 'CAP700004' });
    await h.control.settle();
    const order = await client.getOrder('RES1700000004');
    expect(order.ok && order.order.refundedMinor).toBe(120000);
    const details = await rawCall(h, 'GET', '/connect/reservations/details/RES1700000004');
    expect(details.body).toMatchObject({
      message: 'reservationRetrievedSuccessfully',
      data: {
        status: 'CAPTURED',
        paymentDetails: { capturedAmount: 7470, amountRefunded: { fromCaptured: 1200, fromCharge: 0 } },
      },
    });

    for (const movement of [
      fromMovement('captured', 'CAP999999'),
      fromMovement('charged', 'CAP700004'),
      fromMovement('captured', 'CAP700033'), // another reservation's capture
    ]) {
      const result = await client.submitRefund(refundRequest('RES1700000004', [['5404', 1000]], movement));
      expect(result.exchange.requestBody).toMatchObject({ source: movement.payment.tender, reference: movement.payment.ref });
      expect(result).toMatchObject({ kind: 'rejected', code: 'refundRejectionForTransactionNotFound' });
      expect(result.exchange.status).toBe(404);
      expect(result.exchange.responseBody).toMatchObject({ is_error: false, errors: null });
    }
  },

  async 'approval: 201, then orderRefundRequestAlreadySubmitted; approving applies the refund'(h) {
    const client = h.client();
    const request = refundRequest('ODR1700000042', [['5474', 1299900]]);
    const refused = await client.submitRefund(request);
    expect(refused).toMatchObject({ kind: 'rejected' });
    const key = refused.kind === 'rejected' ? refused.code : '';
    expect(frontpaymentProfile.capabilities.approvalRequestCodes.includes(key)).toBe(true);

    const first = await client.requestApproval!(request, key);
    expect(first.ok).toBe(true);
    expect(first.exchange.url).toBe(`${h.url}/api/v1/orders/refund/request/approval/ODR1700000042`);
    expect(first.exchange.responseBody).toEqual({
      status_code: 201,
      status_message: 'OK',
      message: 'requestedOrderRefundSuccessfully',
      is_data: false,
      data: null,
    });
    expect(first.exchange.requestBody).toMatchObject({
      message: 'refundRejectionForRequestAmountThresholdExceed',
      grandTotal: 12999,
    });
    expect(await client.requestApproval!(request, key)).toMatchObject({
      ok: false,
      code: 'orderRefundRequestAlreadySubmitted',
    });
    expect((await refunded(h, 'ODR1700000042')).refundedMinor).toBe(0);

    await h.control.decide('ODR1700000042', 'approve');
    const approved = await refunded(h, 'ODR1700000042');
    expect(approved.refundedMinor).toBe(1299900);
    expect(statusIn(approved)).toBe('PARTIAL REFUNDED');

    const next = refundRequest('ODR1700000042', [['5476', 149000]]);
    expect((await client.requestApproval!(next, key)).ok).toBe(true);
    await h.control.decide('ODR1700000042', 'reject');
    expect((await refunded(h, 'ODR1700000042')).refundedMinor).toBe(1299900);
    expect(await client.requestApproval!(refundRequest('ODR9999999999', [['1', 100]]), key)).toMatchObject({
      code: 'orderNotFound',
    });
    const noMessage = await rawCall(h, 'POST', '/orders/refund/request/approval/ODR1700000042', {
      type: 'regular',
      grandTotal: 1490,
      products: [{ id: 5476, amount: 1490 }],
    });
    expect(noMessage.status).toBe(417);
    expect(noMessage.body.errors).toEqual({ message: ['The message field is required.'] });
  },

  async 'getOrder: RD-100003 (regular, partly refunded) and RD-100004 (reservation, one capture)'(h) {
    const client = h.client();
    const regular = await client.getOrder('ODR1700000003');
    if (!regular.ok) throw new Error(regular.code);
    expect(regular.order).toMatchObject({
      provider: 'frontpayment',
      providerRef: 'ODR1700000003',
      kind: 'regular',
      providerStatus: 'PARTIAL REFUNDED',
      currency: 'NOK',
      payments: [{ ref: 'PAY1700000003', tender: 'regular', amountMinor: 245660 }],
      refundedMinor: 59800,
      customer: {
        name: 'Ingrid Hansen',
        email: 'ingrid.hansen@example.no',
        phone: '+4744304314',
        providerCustomerId: 'CSRT6089609303',
      },
    });
    expect(regular.order.lines[0]).toEqual({
      providerLineId: '5401',
      productId: 'SKU-NO-2012',
      name: 'Filterkaffetrakter 1,25 l, sort',
      unitPriceMinor: 179900,
      quantity: 1,
      taxRateBp: 2500,
      eligibility: null,
    });
    expect(regular.order.placedAt).toBeInstanceOf(Date);

    const reservation = await client.getOrder('RES1700000004');
    if (!reservation.ok) throw new Error(reservation.code);
    expect(reservation.order).toMatchObject({
      kind: 'reservation',
      providerStatus: 'CAPTURED',
      payments: [{ ref: 'CAP700004', tender: 'captured', amountMinor: 747000 }],
      refundedMinor: 0,
    });
    expect(reservation.order.lines.map((l) => [l.providerLineId, l.unitPriceMinor, l.quantity, l.taxRateBp])).toEqual([
      ['5404', 189000, 3, 1200],
      ['5405', 120000, 1, 2500],
      ['5406', 15000, 4, 2500],
    ]);
  },

  async 'getOrder agrees with the demo data for every Frontpayment order'(h) {
    for (const demo of loadDataset().orders.filter((o) => o.provider === 'frontpayment')) {
      const result = await h.client().getOrder(demo.providerRef);
      if (!result.ok) throw new Error(`${demo.providerRef}: ${result.code}`);
      const { order } = result;
      expect([order.kind, order.providerStatus]).toEqual([demo.kind, demo.providerStatus]);
      expect(order.lines.map((l) => [l.providerLineId, l.unitPriceMinor, l.quantity, l.taxRateBp])).toEqual(
        demo.lines.map((l) => [l.lineId, l.unitPrice, l.quantity, l.taxRateBp]),
      );
      expect(order.payments.map((p) => [p.ref, p.tender, p.amountMinor])).toEqual(
        demo.payments.map((p) => [p.ref, p.tender, p.amount]),
      );
      const refundedMinor = demo.refunds.flatMap((r) => r.lines).reduce((sum, l) => sum + l.amount, 0);
      expect(order.refundedMinor, demo.providerRef).toBe(refundedMinor);
    }
  },

  async 'callbacks: checksummed GETs to the app, verified by the client; refund callbacks only when enabled'(h) {
    const received: { method: string; url: URL }[] = [];
    const server = createServer((req, res) => {
      received.push({ method: req.method ?? '', url: new URL(req.url ?? '/', 'http://127.0.0.1') });
      res.end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const appUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      await h.control.config({ appUrl, frontpayment: { refundCallbacks: true }, webhooks: { retries: 0 } });
      const client = h.client();
      await client.submitRefund(refundRequest(PAID, [['5442', 8990]]));
      await h.control.settle();
      await h.control.webhooks(); // waits until deliveries finished
      expect(received).toHaveLength(1);
      const { method, url } = received[0]!;
      expect([method, url.pathname]).toEqual(['GET', '/api/webhooks/frontpayment']);
      expect(client.verifyWebhook({ rawBody: '', headers: new Headers(), url })).toEqual({ ok: true });
      expect(client.parseWebhook({ rawBody: '', url })).toMatchObject({
        provider: 'frontpayment',
        type: 'ORDER_STATUS',
        orderRef: PAID,
        status: 'PARTIAL REFUNDED',
        amountMinor: 8990,
      });

      await h.control.config({ frontpayment: { refundCallbacks: false }, webhooks: { staleByMs: 10 * 60_000 } });
      await client.submitRefund(refundRequest(PAID, [['5443', 19900]]));
      await h.control.settle();
      await h.control.setStatus('ODR1700000041', 'PAID'); // an order status change always calls back
      await h.control.webhooks();
      expect(received).toHaveLength(2);
      const paid = received[1]!.url;
      expect(Object.fromEntries(paid.searchParams)).toMatchObject({
        orderUuid: 'ODR1700000041',
        status: 'PAID',
        amount: '248.8',
      });
      expect(client.verifyWebhook({ rawBody: '', headers: new Headers(), url: paid })).toEqual({ ok: false, reason: 'stale' });
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  },
};
