import { expect } from 'vitest';
import { fromMovement, rawCall, refundRequest, type Check } from './harness';

/**
 * The shapes the published docs give where our first notes guessed otherwise
 * (shared/providers/frontpayment.md, Errata 1, 2, 4, 5, 6), each with the sandbox switched to it.
 */

const PAID = 'ODR1700000031'; // PAID, 232 090 øre, lines 5442–5447
const PARTIAL = 'ODR1700000003'; // PARTIAL REFUNDED, 245 660 øre, 59 800 refunded
const REFUNDED = 'ODR1700000007'; // REFUNDED, 97 700 øre

async function order(h: Parameters<Check>[0], ref: string) {
  const result = await h.client().getOrder(ref);
  if (!result.ok) throw new Error(`${ref}: ${result.code} ${result.message}`);
  return result.order;
}

export const errataChecks: Record<string, Check> = {
  async 'errata 1: order details without line ids import as line-<n>, and a refund naming them is refused before any call'(h) {
    const withIds = await order(h, PAID);
    expect(withIds.lineIdsKnown).toBe(true);
    expect(withIds.lines[0]!.providerLineId).toBe('5442');

    await h.control.config({ frontpayment: { detailLineIds: false } });
    const details = await rawCall(h, 'GET', `/connect/orders/details/${PAID}`);
    const productList = (details.body.data as { productList: Record<string, unknown>[] }).productList;
    expect(Object.keys(productList[0]!).sort()).toEqual(['amount', 'discount', 'name', 'productId', 'quantity', 'rate', 'tax']);

    const withoutIds = await order(h, PAID);
    expect(withoutIds.lineIdsKnown).toBe(false);
    expect(withoutIds.lines.map((l) => l.providerLineId)).toEqual(['line-1', 'line-2', 'line-3', 'line-4', 'line-5', 'line-6']);
    // Everything but the ids is the same.
    expect(withoutIds.lines.map(({ providerLineId: _, ...rest }) => rest)).toEqual(
      withIds.lines.map(({ providerLineId: _, ...rest }) => rest),
    );
    expect(withoutIds.payments).toEqual(withIds.payments);

    const client = h.client();
    const before = (await h.control.requests('POST')).length;
    const request = refundRequest(PAID, [['line-1', 8990]]);
    const refused = await client.submitRefund(request);
    expect(refused).toMatchObject({
      kind: 'rejected',
      code: 'lineIdsUnknown',
      message: client.profile.describeError('lineIdsUnknown').message,
      retryable: false,
    });
    expect(refused.exchange).toMatchObject({ status: null, requestBody: null });
    expect(await client.requestApproval!(request, 'refundRejectionForRequestAmountThresholdExceed')).toMatchObject({
      ok: false,
      code: 'lineIdsUnknown',
    });
    expect((await h.control.requests('POST')).length).toBe(before);
    expect((await h.control.order(PAID)).refunds.filter((r) => r.via === 'api')).toEqual([]);

    // With the ids (the default, and the variant under which refunds work) the same refund goes through.
    await h.control.config({ frontpayment: { detailLineIds: true } });
    expect((await client.submitRefund(refundRequest(PAID, [['5442', 8990]]))).kind).toBe('accepted');
  },

  async 'errata 2: a status read without orderAmount / refundedAmount succeeds with refundedMinor null, and import works'(h) {
    expect(await order(h, PARTIAL)).toMatchObject({ refundedMinor: 59800, refundedMinorKnown: true });

    await h.control.config({ frontpayment: { statusAmounts: false } });
    const raw = await rawCall(h, 'GET', `/connect/orders/status/${PARTIAL}`);
    expect(raw.body.data).toEqual({ uuid: PARTIAL, status: 'PARTIAL REFUNDED' });

    const client = h.client();
    const read = await client.readStatus(PARTIAL);
    expect(read).toMatchObject({ ok: true, refunds: [], refundedMinor: null });

    const partial = await order(h, PARTIAL);
    expect(partial).toMatchObject({
      providerStatus: 'PARTIAL REFUNDED',
      // The order total from the details' orderSummary.grandTotal.
      payments: [{ ref: 'PAY1700000003', tender: 'regular', amountMinor: 245660 }],
      refundedMinor: 0,
      refundedMinorKnown: false,
    });
    expect(partial.lines.map((l) => l.providerLineId)).toEqual(['5401', '5402', '5403']);
    // A REFUNDED status says how much without the amount: all of it.
    expect(await order(h, REFUNDED)).toMatchObject({ refundedMinor: 97700, refundedMinorKnown: false });
    expect(await order(h, PAID)).toMatchObject({ refundedMinor: 0 });

    // A refund still goes out and settles; the read stays null rather than failing.
    expect((await client.submitRefund(refundRequest(PAID, [['5442', 8990]]))).kind).toBe('accepted');
    await h.control.settle();
    expect(await client.readStatus(PAID)).toMatchObject({ ok: true, refundedMinor: null });
    expect((await client.readStatus(PAID)).exchange.responseBody).toMatchObject({ data: { status: 'PARTIAL REFUNDED' } });
  },

  async 'errata 4: the customer is customerDetails.uuid'(h) {
    const details = await rawCall(h, 'GET', `/connect/orders/details/${PARTIAL}`);
    const customer = (details.body.data as { customerDetails: Record<string, unknown> }).customerDetails;
    expect(customer).toMatchObject({ uuid: 'CSRT6089609303' });
    expect(customer).not.toHaveProperty('customerUuid');
    expect((await order(h, PARTIAL)).customer.providerCustomerId).toBe('CSRT6089609303');
    expect((await order(h, 'RES1700000004')).customer.providerCustomerId).toBe('CSRT1859997463');
  },

  async 'errata 5: a reservation with a fractional quantity and a payment history of {at, amount}'(h) {
    await h.control.createOrder({
      providerRef: 'RES1700009001',
      kind: 'reservation',
      providerStatus: 'CAPTURED',
      lines: [
        {
          lineId: '9101',
          productId: 'SKU-APPLE',
          name: 'Epler',
          unitPrice: 4590,
          quantity: 1.5,
          taxRateBp: 1500,
          eligibility: null,
        },
        { lineId: '9102', productId: 'SKU-BAG', name: 'Pose', unitPrice: 200, quantity: 2, taxRateBp: 2500, eligibility: null },
      ],
      payments: [{ ref: 'CAP9001', tender: 'captured', amount: 7285 }],
    });
    const raw = await rawCall(h, 'GET', '/connect/reservations/details/RES1700009001');
    const data = raw.body.data as {
      productList: { quantity: unknown; amount: unknown }[];
      paymentHistory: Record<string, unknown[]>;
    };
    expect(data.productList[0]).toMatchObject({ id: 9101, quantity: 1.5, rate: 45.9, amount: 68.85 });
    expect(data.paymentHistory.reserved).toEqual([{ at: expect.any(String), amount: 72.85 }]);
    expect(data.paymentHistory.captured).toEqual([{ uuid: 'CAP9001', at: expect.any(String), amount: 72.85 }]);

    const reservation = await order(h, 'RES1700009001');
    // 1.5 × 45,90 kr = 68,85 kr: one line of 68,85 kr, so its money stays exact.
    expect(reservation.lines.map((l) => [l.providerLineId, l.name, l.unitPriceMinor, l.quantity])).toEqual([
      ['9101', 'Epler (quantity 1.5)', 6885, 1],
      ['9102', 'Pose', 200, 2],
    ]);
    expect(reservation.lines.reduce((sum, l) => sum + l.unitPriceMinor * l.quantity, 0)).toBe(7285);
    expect(reservation.payments).toEqual([{ ref: 'CAP9001', tender: 'captured', amountMinor: 7285 }]);
    const client = h.client();
    const partOfIt = refundRequest('RES1700009001', [['9101', 3000]], fromMovement('captured', 'CAP9001'));
    expect((await client.submitRefund(partOfIt)).kind).toBe('accepted');

    // Without the (undocumented) uuid, a stable made-up ref, which the client will not send.
    await h.control.config({ frontpayment: { historyUuids: false } });
    const noUuid = await rawCall(h, 'GET', '/connect/reservations/details/RES1700009001');
    expect((noUuid.body.data as typeof data).paymentHistory.captured).toEqual([{ at: expect.any(String), amount: 72.85 }]);
    const first = await order(h, 'RES1700009001');
    const again = await order(h, 'RES1700009001');
    expect(first.payments).toHaveLength(1);
    expect(first.payments[0]!.ref).toMatch(/^captured-1-\d+$/);
    expect(again.payments).toEqual(first.payments);
    const before = (await h.control.requests('POST')).length;
    const refused = await client.submitRefund(
      refundRequest('RES1700009001', [['9102', 100]], fromMovement('captured', first.payments[0]!.ref)),
    );
    expect(refused).toMatchObject({ kind: 'rejected', code: 'paymentReferenceUnknown', retryable: false });
    expect((await h.control.requests('POST')).length).toBe(before);
  },

  async 'errata 6: the status endpoint’s "Order Not Found" reads as orderNotFound'(h) {
    const raw = await rawCall(h, 'GET', '/connect/orders/status/ODR9999999999');
    expect(raw.status).toBe(404);
    expect(raw.body.message).toBe('Order Not Found');
    const client = h.client();
    expect(await client.readStatus('ODR9999999999')).toMatchObject({
      ok: false,
      code: 'orderNotFound',
      message: client.profile.describeError('orderNotFound').message,
    });
    expect(await client.getOrder('ODR9999999999')).toMatchObject({ ok: false, code: 'orderNotFound' });
  },
};
