import { expect } from 'vitest';
import type { SubmitResult } from '@/lib/providers/types';
import { frontpaymentProfile } from '@/lib/providers/frontpayment/profile';
import { fromMovement, rawCall, refundRequest, type Check, type Harness } from './harness';

/**
 * Every documented status code and message key of a refund call (frontpayment.md §5), reached
 * through realistic requests with the real client, with the envelope's flag quirks asserted raw.
 */

const PAID = 'ODR1700000031'; // PAID, 232 090 øre: 5442 8990, 5443 19900, 5444 49900, 5445 3×34500, 5446 39900, 5447 9900

/** Whether Refund Desk offers to ask Frontpayment's approval for this refusal. */
const canRequestApproval = (result: { code: string }) =>
  frontpaymentProfile.capabilities.approvalRequestCodes.includes(result.code);

function rejected(result: SubmitResult) {
  if (result.kind !== 'rejected') throw new Error(`expected a rejection, got ${JSON.stringify(result)}`);
  return result;
}

async function expectKey(h: Harness, providerRef: string, lines: [string, number][], key: string, status = 400) {
  const result = rejected(await h.client().submitRefund(refundRequest(providerRef, lines)));
  expect(result.code).toBe(key);
  expect(result.exchange.status).toBe(status);
  expect(result.message).toBe(h.client().profile.describeError(key).message);
  return result;
}

export const refundChecks: Record<string, Check> = {
  async '202 is pending until settled; then PARTIAL REFUNDED, REFUNDED, and ParamRefunded'(h) {
    const client = h.client();
    const first = await client.submitRefund(refundRequest(PAID, [['5442', 8990]]));
    expect(first.kind).toBe('accepted');
    expect(first.kind === 'accepted' && first.refunds).toEqual([]);
    expect(first.exchange.status).toBe(202);
    expect(first.exchange.responseBody).toEqual({
      status_code: 202,
      status_message: 'OK',
      message: 'orderRefundedSuccessfully',
      is_data: true,
      data: null,
    });
    expect(first.exchange.requestBody).toEqual({
      type: 'regular',
      grandTotal: 89.9,
      products: [{ id: 5442, amount: 89.9 }],
      source: null,
      reference: null,
    });
    const before = await client.readStatus(PAID);
    expect(before).toMatchObject({ ok: true, refunds: [], refundedMinor: 0 });
    expect(before.exchange.url).toBe(`${h.url}/api/v1/connect/orders/status/${PAID}`);
    expect(before.exchange.responseBody).toMatchObject({
      data: { uuid: PAID, status: 'PAID', orderAmount: 2320.9, refundedAmount: 0 },
    });

    expect(await h.control.settle()).toBe(1);
    const partial = await client.readStatus(PAID);
    expect(partial).toMatchObject({ ok: true, refunds: [], refundedMinor: 8990 });
    expect(partial.exchange.responseBody).toMatchObject({ data: { status: 'PARTIAL REFUNDED', refundedAmount: 89.9 } });

    const rest: [string, number][] = [
      ['5443', 19900],
      ['5444', 49900],
      ['5445', 103500],
      ['5446', 39900],
      ['5447', 9900],
    ];
    expect((await client.submitRefund(refundRequest(PAID, rest))).kind).toBe('accepted');
    expect(await client.readStatus(PAID)).toMatchObject({ ok: true, refundedMinor: 8990 });
    await h.control.settle();
    const full = await client.readStatus(PAID);
    expect(full).toMatchObject({ ok: true, refunds: [], refundedMinor: 232090 });
    expect(full.exchange.responseBody).toMatchObject({ data: { status: 'REFUNDED' } });

    const again = await expectKey(h, PAID, [['5442', 100]], 'refundRejectionForRefundedCancelledInvoicedOrderParamRefunded');
    expect(again.exchange.responseBody).toMatchObject({ is_error: false, errors: null });
  },

  async '404 orderNotFound, with is_error:false'(h) {
    const result = await expectKey(h, 'ODR9999999999', [['5442', 100]], 'orderNotFound', 404);
    expect(result.exchange.responseBody).toEqual({
      status_code: 404,
      status_message: 'Not Found',
      message: 'orderNotFound',
      is_error: false,
      errors: null,
    });
    expect(result.retryable).toBe(false);
    expect(await h.client().getOrder('ODR9999999999')).toMatchObject({ ok: false, code: 'orderNotFound' });
    expect(await h.client().readStatus('ODR9999999999')).toMatchObject({
      ok: false,
      code: 'orderNotFound',
      message: h.client().profile.describeError('orderNotFound').message,
    });
  },

  async '417 payloadValidationErrors: a field→messages map, surfaced as fieldErrors'(h) {
    const client = h.client();
    const badId = rejected(
      await client.submitRefund(
        refundRequest(PAID, [
          ['5442', 8990],
          ['not-a-line-id', 100],
        ]),
      ),
    );
    expect(badId.code).toBe('payloadValidationErrors');
    expect(badId.exchange.status).toBe(417);
    expect(badId.fieldErrors).toEqual({ 'products.1.id': ['The products.1.id field is required.'] });
    expect(badId.exchange.responseBody).toMatchObject({ status_code: 417, status_message: 'Client Error', is_error: true });

    const noReference = rejected(await client.submitRefund(refundRequest('RES1700000004', [['5405', 1000]])));
    expect(noReference.fieldErrors).toEqual({
      source: ['The source field is required when type is reservation.'],
      reference: ['The reference field is required when type is reservation.'],
    });

    const raw = await rawCall(h, 'POST', `/connect/orders/refund/${PAID}`, {
      grandTotal: 'abc',
      products: [{ id: 5442, amount: 10.005 }],
    });
    expect(raw.status).toBe(417);
    expect(raw.body).toEqual({
      status_code: 417,
      status_message: 'Client Error',
      message: 'payloadValidationErrors',
      is_error: true,
      errors: {
        type: ['The type field is required.'],
        grandTotal: ['The grand total field must be a number.'],
        'products.0.amount': ['The products.0.amount field must have 0-2 decimal places.'],
      },
    });
    const mismatch = await rawCall(h, 'POST', `/connect/orders/refund/${PAID}`, {
      type: 'regular',
      grandTotal: 90,
      products: [{ id: 5442, amount: 89.9 }],
    });
    expect(mismatch.status).toBe(417);
    expect(Object.keys(mismatch.body.errors as object)).toEqual(['grandTotal']);
    expect((await rawCall(h, 'POST', `/connect/orders/refund/${PAID}`, '{not json')).status).toBe(417);
    expect((await h.control.order(PAID)).refunds).toHaveLength(0);
  },

  async '400 order-state keys (is_error:false); SENT and EXPIRED have nothing to refund'(h) {
    const refunded = await expectKey(
      h,
      'ODR1700000007',
      [['5407', 100]],
      'refundRejectionForRefundedCancelledInvoicedOrderParamRefunded',
    );
    expect(refunded.exchange.responseBody).toEqual({
      status_code: 400,
      status_message: 'Conflict of Business Logic',
      message: 'refundRejectionForRefundedCancelledInvoicedOrderParamRefunded',
      is_error: false,
      errors: null,
    });
    await expectKey(h, 'ODR1700000015', [['5417', 100]], 'refundRejectionForRefundedCancelledInvoicedOrderParamCancelled');
    const invoiced = refundRequest('ODR1700000041', [['5471', 9990]], { kind: 'invoiced' });
    expect(await h.client().submitRefund(invoiced)).toMatchObject({
      code: 'refundRejectionForRefundedCancelledInvoicedOrderParamInvoiced',
    });
    await h.control.setStatus('ODR1700000041', 'PAID'); // the invoice was paid
    expect((await h.client().submitRefund(invoiced)).kind).toBe('accepted');
    await expectKey(h, 'ODR1700000045', [['5481', 8990]], 'refundRejectionForRefundRequestGreaterThanOrderAmount');
    await expectKey(h, 'ODR1700000014', [['5414', 100]], 'refundRejectionForRefundRequestGreaterThanOrderAmount');
  },

  async '400 requestProductIdNotAvailable (is_data:false, data:null) and orderProductsNotFound'(h) {
    const foreign = await expectKey(
      h,
      PAID,
      [
        ['5442', 100],
        ['5401', 100],
      ],
      'requestProductIdNotAvailable',
    );
    expect(foreign.exchange.responseBody).toEqual({
      status_code: 400,
      status_message: 'Conflict of Business Logic',
      message: 'requestProductIdNotAvailable',
      is_data: false,
      data: null,
    });
    await h.control.createOrder({
      providerRef: 'ODR1799999999',
      orderNumber: 'RD-199999',
      payments: [{ ref: 'PAY1799999999', tender: 'regular', amount: 50000 }],
    });
    const none = await expectKey(h, 'ODR1799999999', [['5442', 100]], 'orderProductsNotFound');
    expect(none.exchange.responseBody).toMatchObject({ is_error: false, errors: null });
  },

  async '400 ProductAmountExceed names the lines; GreaterThanOrderAmount; pending refunds count'(h) {
    // RD-100003: 5401 is 1 799,00 with 300,00 already given back as a price adjustment.
    const exceed = await expectKey(
      h,
      'ODR1700000003',
      [
        ['5402', 100],
        ['5401', 150000],
      ],
      'refundRejectionForProductAmountExceed',
    );
    expect(exceed.exchange.responseBody).toMatchObject({
      is_error: true,
      errors: [{ id: 5401, amount: 1500, refundableAmount: 1499 }],
    });
    expect(exceed.fieldErrors).toEqual({ 'products.1.amount': [expect.stringContaining('499,00')] });
    expect((await h.client().submitRefund(refundRequest('ODR1700000003', [['5401', 149900]]))).kind).toBe('accepted');

    expect((await h.client().submitRefund(refundRequest(PAID, [['5442', 8990]]))).kind).toBe('accepted');
    await expectKey(h, PAID, [['5442', 1]], 'refundRejectionForProductAmountExceed'); // still pending, already committed

    // RD-100033's second capture was refunded in full; its kayak line was not.
    const reservation = refundRequest('RES1700000033', [['5448', 65000]], fromMovement('captured', 'CAP7000332'));
    const result = rejected(await h.client().submitRefund(reservation));
    expect(result.code).toBe('refundRejectionForRefundRequestGreaterThanOrderAmount');
    expect(result.exchange.responseBody).toMatchObject({ is_error: false, errors: null });
  },

  async 'threshold keys (is_error:true) offer approval: per request, then rolling weekly'(h) {
    const large = await expectKey(h, 'ODR1700000042', [['5474', 1299900]], 'refundRejectionForRequestAmountThresholdExceed');
    expect(canRequestApproval(large)).toBe(true);
    expect(large.retryable).toBe(false);
    expect(large.exchange.responseBody).toMatchObject({ is_error: true, errors: null });
    expect(large.message).toBe("Frontpayment refused this refund because it is above the merchant's limit for a single refund.");

    // 598,00 refunded this week in the demo data; with a 15 000,00 weekly limit, 9 996,00 fits and 4 998,00 more does not.
    await h.control.config({ frontpayment: { weeklyThresholdMinor: 1_500_000 } });
    expect((await h.client().submitRefund(refundRequest('ODR1700000042', [['5475', 999600]]))).kind).toBe('accepted');
    const weekly = await expectKey(h, 'ODR1700000042', [['5475', 499800]], 'refundRejectionForWeeklyThresholdExceed');
    expect(canRequestApproval(weekly)).toBe(true);
    expect((await h.client().submitRefund(refundRequest(PAID, [['5442', 8990]]))).kind).toBe('accepted'); // 89,90 still fits
  },

  async 'auth: 401 Unauthenticated (Laravel body, or the envelope when configured); ping'(h) {
    const wrong = h.client({ token: 'not-the-token' });
    const result = rejected(await wrong.submitRefund(refundRequest(PAID, [['5442', 100]])));
    expect(result).toMatchObject({ code: 'Unauthenticated', retryable: false });
    expect(result.exchange.status).toBe(401);
    expect(result.exchange.responseBody).toEqual({ message: 'Unauthenticated.' });
    expect(await wrong.ping()).toMatchObject({ ok: false });
    expect(await h.client().ping()).toMatchObject({ ok: true });
    await h.control.settings({ unauthenticated: 'envelope' });
    const raw = await rawCall(h, 'GET', `/connect/orders/status/${PAID}`, undefined, null);
    expect(raw.status).toBe(401);
    expect(raw.body).toMatchObject({ status_code: 401, message: 'Unauthenticated.', is_error: true });
    expect((await h.control.order(PAID)).refunds).toHaveLength(0);
  },

  async 'rate limit: x-ratelimit headers on every answer, 429 past the limit'(h) {
    const first = await rawCall(h, 'GET', `/connect/orders/status/${PAID}`);
    expect(first.headers.get('x-ratelimit-limit')).toBe('240');
    expect(first.headers.get('x-ratelimit-remaining')).toBe('239');
    const unknown = await rawCall(h, 'GET', '/connect/orders/status/ODR9999999999');
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('x-ratelimit-remaining')).toBe('238');
    await h.control.config({ frontpayment: { rateLimit: 3 } });
    expect((await rawCall(h, 'GET', `/connect/orders/status/${PAID}`)).headers.get('x-ratelimit-remaining')).toBe('0');
    const limited = rejected(await h.client().submitRefund(refundRequest(PAID, [['5442', 100]])));
    expect(limited).toMatchObject({ code: 'tooManyRequests', retryable: true });
    expect(canRequestApproval(limited)).toBe(false);
    expect(limited.exchange.status).toBe(429);
    expect((await h.control.order(PAID)).refunds).toHaveLength(0);
  },

  async 'no idempotency: an identical second POST is a second refund'(h) {
    const request = refundRequest(PAID, [['5445', 34500]]);
    expect((await h.client().submitRefund(request)).kind).toBe('accepted');
    expect((await h.client().submitRefund(request)).kind).toBe('accepted');
    const view = await h.control.order(PAID);
    expect(view.refunds.map((r) => r.state)).toEqual(['pending', 'pending']);
    expect(view.refunds[0]!.body).toEqual(view.refunds[1]!.body);
    await h.control.settle();
    expect(await h.client().readStatus(PAID)).toMatchObject({ ok: true, refundedMinor: 69000 });
  },
};
