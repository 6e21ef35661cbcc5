import { expect } from 'vitest';
import { SANDBOX_CREDENTIALS } from '@/sandbox/config';
import type { ProviderRefundInfo, StatusRead, SubmitResult } from '@/lib/providers/types';
import { amountFrom, clientFor, raw, RD100002, refundRequest, type Harness } from './harness';
import { describeForageError, UNKNOWN_FORAGE_ERROR } from '@/lib/providers/forage/errors';

/**
 * Contract checks of the Forage client against the sandbox, shared by the in-process test and the
 * separate-process test. Each takes a harness whose sandbox has just been reset.
 */

const PACIFIC_MICROS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}-0[78]:00$/;

export function expectAccepted(result: SubmitResult): Extract<SubmitResult, { kind: 'accepted' }> {
  if (result.kind !== 'accepted') throw new Error(`expected accepted, got ${JSON.stringify(result)}`);
  return result;
}

/** A successful status read: Forage lists refund objects and reports no order total. */
export function expectRead(result: StatusRead): Extract<StatusRead, { ok: true }> {
  if (!result.ok) throw new Error(`expected a status read, got ${JSON.stringify(result)}`);
  expect(result.refundedMinor).toBeNull();
  return result;
}

/** One refund object from a status read, by its ref (there is no per-refund read). */
export function refundIn(result: StatusRead, ref: string): ProviderRefundInfo {
  const matching = expectRead(result).refunds.filter((r) => r.ref === ref);
  expect(matching, `refund ${ref}`).toHaveLength(1);
  return matching[0]!;
}

export function expectRejected(result: SubmitResult, code: string, status: number | null) {
  if (result.kind !== 'rejected') throw new Error(`expected rejected ${code}, got ${JSON.stringify(result)}`);
  expect(result.code).toBe(code);
  expect(result.exchange.status).toBe(status);
  expect(result.message).toBe(describeForageError(code).message);
  expect(describeForageError(code)).not.toEqual(UNKNOWN_FORAGE_ERROR);
  return result;
}

/** /o/token/: Basic auth, form body, clamped `expiration`, `{detail}` on bad credentials. */
export async function checkTokenEndpoint(h: Harness) {
  const { clientId, clientSecret } = SANDBOX_CREDENTIALS.forage;
  const token = (form: string, id: string = clientId, secret: string = clientSecret) =>
    fetch(`${h.baseUrl}/o/token/`, {
      method: 'POST',
      headers: {
        Authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: form,
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }));

  const issued = await token('grant_type=client_credentials&scope=hosted_checkout&expiration=86400');
  expect(issued.status).toBe(200);
  expect(issued.body).toEqual({
    access_token: expect.stringMatching(/^sandbox_\S{20,}$/),
    token_type: 'Bearer',
    expires_in: 86400,
    scope: 'hosted_checkout',
  });
  expect((await token('grant_type=client_credentials&expiration=10')).body.expires_in).toBe(60);
  expect((await token('grant_type=client_credentials&expiration=99999999')).body.expires_in).toBe(2_592_000);
  expect((await token('grant_type=client_credentials')).body.expires_in).toBe(604_800);

  const wrongSecret = await token('grant_type=client_credentials', clientId, 'nope');
  expect(wrongSecret.status).toBe(401);
  expect(wrongSecret.body).toEqual({ detail: expect.any(String) });
  expect((await token('grant_type=password')).status).toBe(400);

  // The token works on /api/, and a made-up one does not.
  const order = await raw(h, 'GET', `/api/orders/${RD100002.ref}/`, { token: issued.body.access_token as string });
  expect(order.status).toBe(200);
  const forged = await raw(h, 'GET', `/api/orders/${RD100002.ref}/`, { token: 'sandbox_forged' });
  expect(forged.status).toBe(403);
  expect(forged.body).toEqual({ detail: expect.any(String) });
}

/** One token serves many calls. */
export async function checkTokenCached(h: Harness) {
  const client = clientFor(h);
  const before = (await h.control.stats()).tokenRequests;
  for (let i = 0; i < 3; i++) expect((await client.readStatus(RD100002.ref)).ok).toBe(true);
  expect((await h.control.stats()).tokenRequests - before).toBe(1);
}

/** RD-100002: SNAP 16.46 + card 11.99, one milk (4.49) already refunded to SNAP. */
export async function checkGetOrder(h: Harness) {
  const result = await clientFor(h).getOrder(RD100002.ref);
  if (!result.ok) throw new Error(`getOrder failed: ${result.code}`);
  const { order } = result;
  expect(order).toMatchObject({ provider: 'forage', providerRef: RD100002.ref, kind: 'forage', currency: 'USD' });
  expect(order.providerStatus).toBe('succeeded');
  expect(order.payments).toEqual([
    { ref: RD100002.snapPayment, tender: 'ebt_snap', amountMinor: 1646 },
    { ref: RD100002.cardPayment, tender: 'credit_tpp', amountMinor: 1199 },
  ]);
  expect(order.refundedMinor).toBe(449);
  expect(order.lines).toHaveLength(4);
  expect(order.lines[0]).toMatchObject({
    providerLineId: RD100002.milk,
    unitPriceMinor: 449,
    quantity: 2,
    eligibility: 'snap',
    taxRateBp: 0,
  });
  expect(order.lines[3]).toMatchObject({
    providerLineId: RD100002.towels,
    unitPriceMinor: 1199,
    eligibility: 'non_ebt',
    taxRateBp: 725,
  });
  expect(order.customer.providerCustomerId).toBe('q9dyim');
  expect(order.placedAt).toBeInstanceOf(Date);

  const missing = await clientFor(h).getOrder('zzzzzzzzzz');
  expect(missing).toMatchObject({ ok: false, code: 'resource_not_found' });
}

/**
 * refund_by_product on an order paid by SNAP and card, one line of each: 201 with one refund
 * object per payment, on the right tenders, with the right amounts, each `processing`.
 */
export async function checkSplitRefund(h: Harness) {
  const result = expectAccepted(await clientFor(h).submitRefund(refundRequest()));
  expect(result.exchange.status).toBe(201);
  const byTender = Object.fromEntries(result.refunds.map((r) => [r.tender, r]));
  expect(result.refunds).toHaveLength(2);
  expect(byTender.ebt_snap).toMatchObject({ paymentRef: RD100002.snapPayment, amountMinor: 399, status: 'processing' });
  expect(byTender.credit_tpp).toMatchObject({ paymentRef: RD100002.cardPayment, amountMinor: 1199, status: 'processing' });
  for (const refund of result.refunds) {
    expect(refund.ref).toMatch(/^[a-z0-9]{10}$/);
    expect(refund.updatedAt).toBeInstanceOf(Date);
    const wire = refund.raw as Record<string, unknown>;
    expect(wire.amount).toMatch(/^\d+\.\d{2}$/);
    expect(wire.created).toMatch(PACIFIC_MICROS);
    expect(wire.receipt).toBeNull();
  }
  // The request the sandbox saw: products by upc and quantity, dashes stripped from the key.
  const atProvider = await h.control.refundsAt(RD100002.ref);
  expect(
    atProvider
      .filter((r) => r.status === 'processing')
      .map((r) => r.amount)
      .sort(),
  ).toEqual(['11.99', '3.99']);
  return result;
}

/** 201 says nothing about success: settlement moves each refund on, later. */
export async function checkSettlement(h: Harness) {
  const client = clientFor(h);
  const ok = expectAccepted(await client.submitRefund(refundRequest()));
  await h.control.nextOutcome({ outcome: 'failed', error: 'Card issuer declined the refund.' });
  const doomed = expectAccepted(
    await client.submitRefund(
      refundRequest({ lines: [{ providerLineId: RD100002.bread, quantity: 1, amountMinor: 349 }], totalMinor: 349 }),
    ),
  );
  expect(doomed.exchange.status).toBe(201);
  expect(doomed.refunds[0]!.status).toBe('processing');
  expect((await h.control.settle()).settled).toBe(3);

  const read = await client.readStatus(RD100002.ref);
  const settled = refundIn(read, ok.refunds[0]!.ref);
  expect(settled).toMatchObject({ status: 'succeeded', lastError: null });
  expect((settled.raw as { receipt: unknown }).receipt).toMatchObject({ is_voided: false, message: 'Approved' });

  const failed = refundIn(read, doomed.refunds[0]!.ref);
  expect(failed).toMatchObject({ status: 'failed', lastError: 'Card issuer declined the refund.' });

  // Failed refunds hold no money: the bread can be refunded again, and getOrder leaves it out.
  const order = await client.getOrder(RD100002.ref);
  expect(order.ok && order.order.refundedMinor).toBe(449 + 399 + 1199);
  expectAccepted(
    await client.submitRefund(
      refundRequest({ lines: [{ providerLineId: RD100002.bread, quantity: 1, amountMinor: 349 }], totalMinor: 349 }),
    ),
  );
}

/** The 400 envelope with the sandbox's codes, `path` echoed, for refund-specific problems. */
export async function checkRefundRejections(h: Harness) {
  const client = clientFor(h);
  const one = (upc: string, quantity: number) => refundRequest({ lines: [{ providerLineId: upc, quantity, amountMinor: 0 }] });

  expectRejected(await client.submitRefund(one('0000000000000', 1)), 'unknown_product', 400);
  // Two milks bought, one already refunded.
  const over = expectRejected(await client.submitRefund(one(RD100002.milk, 2)), 'quantity_exceeds_refundable', 400);
  expect(over.exchange.responseBody).toMatchObject({
    path: `/api/orders/${RD100002.ref}/refund_by_product/`,
    errors: [{ code: 'quantity_exceeds_refundable', message: expect.any(String), source: { resource: 'Orders' } }],
  });
  expectRejected(
    await client.submitRefund(refundRequest({ ...amountFrom(RD100002.snapPayment, 'ebt_snap'), totalMinor: 1646 - 449 + 1 })),
    'amount_exceeds_refundable',
    400,
  );
  expectRejected(await client.submitRefund(refundRequest({ providerRef: 'zzzzzzzzzz' })), 'resource_not_found', 404);
  expectRejected(
    await client.submitRefund(refundRequest({ ...amountFrom('cc7a1b2c3d', 'credit_tpp'), totalMinor: 100 })),
    'resource_not_found',
    400,
  );
  expectRejected(await client.submitRefund(refundRequest({ providerRef: 'vembpsf9pv' })), 'order_not_refundable', 400);
  expectRejected(
    await clientFor(h, { merchantAccount: '1234567' }).submitRefund(refundRequest()),
    'invalid_merchant_account',
    400,
  );
  expectRejected(await clientFor(h, { apiVersion: 'latest' }).submitRefund(refundRequest()), 'invalid_api_version', 400);
  expectRejected(await clientFor(h, { clientSecret: 'wrong' }).submitRefund(refundRequest()), 'invalid_client', 401);
  // Nothing of the above reached the books.
  expect((await h.control.refundsAt(RD100002.ref)).map((r) => r.status)).toEqual(['succeeded']);
}

/** Missing or malformed headers and bodies, sent raw (the client never sends them). */
export async function checkHeaderValidation(h: Harness) {
  const path = `/api/orders/${RD100002.ref}/refund_by_product/`;
  const body = { products: [{ upc: RD100002.eggs, quantity: 1 }], reason: 'damaged', metadata: {} };
  const expectError = async (response: Awaited<ReturnType<typeof raw>>, status: number, code: string, resource?: string) => {
    expect(response.status).toBe(status);
    expect(response.body.path).toBe(path);
    expect(response.body.errors?.[0]?.code).toBe(code);
    if (resource) expect(response.body.errors?.[0]?.source.resource).toBe(resource);
    expect(describeForageError(code)).not.toEqual(UNKNOWN_FORAGE_ERROR);
  };
  await expectError(
    await raw(h, 'POST', path, { body, headers: { 'merchant-account': null } }),
    400,
    'missing_merchant_account',
    'Merchant_Account_Header',
  );
  await expectError(
    await raw(h, 'POST', path, { body, headers: { 'idempotency-key': null } }),
    400,
    'missing_idempotency_key',
    'Idempotency_Key',
  );
  await expectError(
    await raw(h, 'POST', path, { body, headers: { 'idempotency-key': 'has-dashes' } }),
    400,
    'invalid_idempotency_key',
  );
  await expectError(await raw(h, 'POST', path, { rawBody: '{"products": [' }), 400, 'cannot_parse_request_body');
  await expectError(await raw(h, 'POST', path, { body: { ...body, reason: undefined } }), 400, 'invalid_request_body');
  await expectError(
    await raw(h, 'POST', path, { body: { ...body, products: [{ upc: RD100002.eggs, quantity: 0.5 }] } }),
    400,
    'invalid_request_body',
  );
  // Header names in any case, `default` and dated versions.
  const shouting = await raw(h, 'POST', path, {
    body,
    headers: {
      'merchant-account': null,
      'MERCHANT-ACCOUNT': SANDBOX_CREDENTIALS.forage.merchantAccount,
      'API-VERSION': 'default',
    },
  });
  expect(shouting.status).toBe(201);
  expect(Array.isArray(shouting.body)).toBe(true);
  // No credentials → 401; paths need their trailing slash.
  const anonymous = await raw(h, 'GET', `/api/orders/${RD100002.ref}/`, { headers: { authorization: null } });
  expect(anonymous.status).toBe(401);
  expect(anonymous.body).toEqual({ detail: 'Authentication credentials were not provided.' });
  expect((await raw(h, 'GET', `/api/orders/${RD100002.ref}`)).status).toBe(404);
}

/** A retry after a 5xx that was applied gets the original 201: one refund at Forage, not two. */
export async function checkIdempotentReplay(h: Harness) {
  await h.control.fault({ operation: 'refund', mode: 'error_after', times: 1 });
  const result = expectAccepted(await clientFor(h).submitRefund(refundRequest()));
  expect(result.refunds).toHaveLength(2);
  expect((await h.control.requests('refund')).length).toBe(2);
  const atProvider = (await h.control.refundsAt(RD100002.ref)).filter((r) => r.status === 'processing');
  expect(atProvider.map((r) => r.ref).sort()).toEqual(result.refunds.map((r) => r.ref).sort());
}
