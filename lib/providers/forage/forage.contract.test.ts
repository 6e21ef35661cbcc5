import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTranslator } from 'use-intl/core';
import { connectionFailureWords, type ProviderErrorsT } from '@/lib/providers/error-words';
import { MESSAGES } from '@/messages';
import { sandboxConfig } from '@/sandbox/config';
import { forageModule } from '@/sandbox/forage';
import { startSandbox, type Sandbox } from '@/sandbox/server';
import {
  checkGetOrder,
  checkHeaderValidation,
  checkIdempotentReplay,
  checkRefundRejections,
  checkSettlement,
  checkSplitRefund,
  checkTokenCached,
  checkTokenEndpoint,
  expectAccepted,
  expectRead,
  expectRejected,
  refundIn,
} from '@/test/providers/forage/checks';
import { amountFrom, clientFor, harnessFor, raw, RD100002, refundRequest, type Harness } from '@/test/providers/forage/harness';

/** The real Forage client against the sandbox, in this process (forage.md §12). */

let sandbox: Sandbox;
let h: Harness;

beforeAll(async () => {
  sandbox = await startSandbox(sandboxConfig({ port: 0, host: '127.0.0.1', settleMode: 'manual', appUrl: null }), [forageModule]);
  h = harnessFor(sandbox.url);
});
afterAll(() => sandbox.close());
beforeEach(() => h.control.reset());

describe('Forage contract: tokens', () => {
  it('issues sandbox_ tokens for Basic client credentials, clamps expiration, refuses bad ones', () => checkTokenEndpoint(h));
  it('caches the token across calls', () => checkTokenCached(h));

  it('answers the invalid_token envelope instead of {detail} when configured', async () => {
    await h.control.options({ authErrors: 'envelope' });
    const forged = await raw(h, 'GET', `/api/orders/${RD100002.ref}/`, { token: 'sandbox_forged' });
    expect(forged.status).toBe(403);
    expect(forged.body.errors?.[0]).toMatchObject({ code: 'invalid_token', source: { resource: 'OAuth_Access_Tokens' } });
  });
});

describe('Forage contract: orders', () => {
  it('reads an order with its payments and what was refunded', () => checkGetOrder(h));

  it('ping: reachable and signed in; not with bad credentials or no server', async () => {
    expect(await clientFor(h).ping()).toMatchObject({ ok: true });
    const refused = await clientFor(h, { clientSecret: 'wrong' }).ping();
    const unreachable = await clientFor(h, { baseUrl: 'http://127.0.0.1:9' }).ping();
    expect(refused).toMatchObject({ ok: false });
    expect(unreachable).toMatchObject({ ok: false, code: 'network' });
    // Each failure carries a code the admin's page can say in Norwegian (the connection test).
    const nb = createTranslator({
      locale: 'nb',
      messages: MESSAGES.nb,
      namespace: 'providerErrors',
    }) as unknown as ProviderErrorsT;
    for (const failure of [refused, unreachable]) {
      const said = connectionFailureWords(nb, {
        provider: 'forage',
        detail: failure.detail!,
        code: failure.code,
        status: failure.status,
      });
      expect(said).not.toBe(failure.detail);
      expect(said).toMatch(/Forage|Refund Desk/);
    }
  });
});

describe('Forage contract: order payments at the documented routes (errata 1)', () => {
  it("the sandbox lists an order's payments and returns one; /api/payments/{ref}/ does not exist", async () => {
    const list = await raw(h, 'GET', `/api/orders/${RD100002.ref}/payments/`);
    expect(list.status).toBe(200);
    const payments = list.body as unknown as { ref: string; funding_type: string; amount: string }[];
    expect(payments.map((p) => [p.ref, p.funding_type, p.amount])).toEqual([
      [RD100002.snapPayment, 'ebt_snap', '16.46'],
      [RD100002.cardPayment, 'credit_tpp', '11.99'],
    ]);
    const one = await raw(h, 'GET', `/api/orders/${RD100002.ref}/payments/${RD100002.cardPayment}/`);
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ ref: RD100002.cardPayment, order: RD100002.ref, amount: '11.99' });
    const elsewhere = await raw(h, 'GET', `/api/orders/zzzzzzzzzz/payments/${RD100002.cardPayment}/`);
    expect(elsewhere.status).toBe(404);
    const unknown = await raw(h, 'GET', `/api/orders/${RD100002.ref}/payments/zzzzzzzzzz/`);
    expect(unknown.body.errors?.[0]).toMatchObject({ code: 'resource_not_found', source: { resource: 'Payments' } });
    expect((await raw(h, 'GET', `/api/payments/${RD100002.cardPayment}/`)).status).toBe(404);
  });

  it('getOrder reads the payments from GET /api/orders/{ref}/payments/ only', async () => {
    const result = await clientFor(h).getOrder(RD100002.ref);
    expect(result.ok).toBe(true);
    const paths = (await h.control.requests()).map((r) => r.path);
    expect(paths).toContain(`/api/orders/${RD100002.ref}/payments/`);
    expect(paths.filter((p) => p.includes('/payments/'))).toEqual([`/api/orders/${RD100002.ref}/payments/`]);
  });

  it('the order lists unit_price before tax; getOrder prices the line at what the card paid, tax included', async () => {
    const order = await raw(h, 'GET', `/api/orders/${RD100002.ref}/`);
    const towels = (order.body as { product_list: { upc: string; unit_price: string; tax_rate: string }[] }).product_list.find(
      (p) => p.upc === RD100002.towels,
    );
    expect(towels).toMatchObject({ unit_price: '11.18', tax_rate: '0.072500' });
    const result = await clientFor(h).getOrder(RD100002.ref);
    if (!result.ok) throw new Error(result.code);
    expect(result.order.lines.find((l) => l.providerLineId === RD100002.towels)!.unitPriceMinor).toBe(1199);
    expect(result.order.payments.find((p) => p.ref === RD100002.cardPayment)!.amountMinor).toBe(1199);
  });

  it('getOrder takes a {results: [...]} page, and reads a payment the list lacks one by one', async () => {
    const seen: string[] = [];
    const fetchImpl: typeof fetch = async (input, init) => {
      const target = new URL(input instanceof Request ? input.url : String(input));
      seen.push(target.pathname);
      const response = await fetch(input, init);
      if (target.pathname !== `/api/orders/${RD100002.ref}/payments/`) return response;
      const all = (await response.json()) as { ref: string }[];
      return Response.json({ count: 1, next: null, results: all.filter((p) => p.ref === RD100002.snapPayment) });
    };
    const result = await clientFor(h, { fetchImpl }).getOrder(RD100002.ref);
    if (!result.ok) throw new Error(result.code);
    expect(result.order.payments).toEqual([
      { ref: RD100002.snapPayment, tender: 'ebt_snap', amountMinor: 1646 },
      { ref: RD100002.cardPayment, tender: 'credit_tpp', amountMinor: 1199 },
    ]);
    expect(seen).toContain(`/api/orders/${RD100002.ref}/payments/${RD100002.cardPayment}/`);
    expect(seen).not.toContain(`/api/orders/${RD100002.ref}/payments/${RD100002.snapPayment}/`);
  });

  it('getOrder uses payments embedded in the order without reading them', async () => {
    const seen: string[] = [];
    const fetchImpl: typeof fetch = async (input, init) => {
      const target = new URL(input instanceof Request ? input.url : String(input));
      seen.push(target.pathname);
      const response = await fetch(input, init);
      if (target.pathname !== `/api/orders/${RD100002.ref}/`) return response;
      const order = (await response.json()) as Record<string, unknown>;
      return Response.json({
        ...order,
        payments: [
          { ref: RD100002.snapPayment, funding_type: 'ebt_snap', amount: '16.46' },
          { ref: RD100002.cardPayment, funding_type: 'credit_tpp', amount: '11.99' },
        ],
      });
    };
    const result = await clientFor(h, { fetchImpl }).getOrder(RD100002.ref);
    if (!result.ok) throw new Error(result.code);
    expect(result.order.payments.map((p) => p.amountMinor)).toEqual([1646, 1199]);
    expect(seen.filter((p) => p.includes('/payments/'))).toEqual([]);
  });
});

describe('Forage contract: the products[] key is configurable (errata 3)', () => {
  it('a client and a sandbox both set to another key refund by product; the body names it', async () => {
    await h.control.config({ forage: { productKey: 'product_code' } });
    const result = expectAccepted(await clientFor(h, { productKey: 'product_code' }).submitRefund(refundRequest()));
    expect(result.refunds).toHaveLength(2);
    const [sent] = await h.control.requests('refund');
    const body = JSON.parse((sent as unknown as { body: string }).body) as { products: Record<string, unknown>[] };
    expect(body.products).toEqual([
      { product_code: RD100002.eggs, quantity: 1 },
      { product_code: RD100002.towels, quantity: 1 },
    ]);
  });

  it('a mismatch is refused by the sandbox, naming the key it wants', async () => {
    await h.control.config({ forage: { productKey: 'product_code' } });
    const before = (await h.control.refundsAt(RD100002.ref)).length;
    const rejected = expectRejected(await clientFor(h).submitRefund(refundRequest()), 'invalid_request_body', 400);
    expect(JSON.stringify(rejected.exchange.responseBody)).toContain('product_code');
    expect(await h.control.refundsAt(RD100002.ref)).toHaveLength(before);
  });

  it('the default key is upc, and the sandbox reads SANDBOX_FORAGE_PRODUCT_KEY', () => {
    expect(sandboxConfig().forage.productKey).toBe('upc');
    vi.stubEnv('SANDBOX_FORAGE_PRODUCT_KEY', 'sku');
    try {
      expect(sandboxConfig().forage.productKey).toBe('sku');
    } finally {
      vi.unstubAllEnvs();
    }
  });
});

describe('Forage contract: refunds', () => {
  it('splits refund_by_product into one refund per payment touched', () => checkSplitRefund(h));
  it('answers 201 first and settles later: to succeeded, or to failed', () => checkSettlement(h));
  it('rejects refund problems with 4xx envelopes and agent-readable messages', () => checkRefundRejections(h));
  it('validates headers and bodies', () => checkHeaderValidation(h));
  it('replays the original 201 to a retry after a 5xx-after-apply', () => checkIdempotentReplay(h));

  it('refunds an amount from one payment with a JSON number', async () => {
    const request = refundRequest({ ...amountFrom(RD100002.cardPayment, 'credit_tpp'), totalMinor: 250 });
    const result = expectAccepted(await clientFor(h).submitRefund(request));
    expect(result.exchange.requestBody).toMatchObject({ payment: RD100002.cardPayment, amount: 2.5 });
    expect(result.refunds).toEqual([expect.objectContaining({ tender: 'credit_tpp', amountMinor: 250, status: 'processing' })]);
  });

  it('settles automatically after settleMs in auto mode', async () => {
    await h.control.config({ settleMode: 'auto', settleMs: 50 });
    const result = expectAccepted(await clientFor(h).submitRefund(refundRequest()));
    await new Promise((resolve) => setTimeout(resolve, 200));
    const status = await clientFor(h).readStatus(RD100002.ref);
    expect(refundIn(status, result.refunds[0]!.ref).status).toBe('succeeded');
  });

  it('over-refund: 201 with a failed refund when configured so', async () => {
    await h.control.config({ forage: { overRefundMode: 'failed_refund' } });
    const request = refundRequest({ ...amountFrom(RD100002.cardPayment, 'credit_tpp'), totalMinor: 1200 });
    const result = expectAccepted(await clientFor(h).submitRefund(request));
    expect(result.refunds[0]).toMatchObject({
      status: 'failed',
      amountMinor: 1200,
      lastError: expect.stringContaining('exceeds'),
    });
    expect(await h.control.settle()).toEqual({ settled: 0 });
  });

  it('refund_all: 400 while a refund is processing, then the net remainder of each payment', async () => {
    const path = `/api/orders/${RD100002.ref}/refund_all/`;
    expectAccepted(await clientFor(h).submitRefund(refundRequest()));
    const blocked = await raw(h, 'POST', path, { body: { reason: 'failed to deliver', metadata: {} } });
    expect(blocked.status).toBe(400);
    expect(blocked.body.errors?.[0]?.code).toBe('refund_in_progress');
    await h.control.settle();
    const all = await raw(h, 'POST', path, { body: { reason: 'failed to deliver', metadata: {} } });
    expect(all.status).toBe(201);
    expect(all.body.refunds).toHaveLength(4);
    const amounts = (await h.control.refundsAt(RD100002.ref)).slice(3).map((r) => [r.funding_type, r.amount]);
    // SNAP 16.46 − 4.49 − 3.99; the card was already refunded in full.
    expect(amounts).toEqual([['ebt_snap', '7.98']]);
    await h.control.settle();
    const again = await raw(h, 'POST', path, { body: { reason: 'again', metadata: {} } });
    expect(again.body.errors?.[0]?.code).toBe('nothing_to_refund');
  });

  it('partial refunds carry a receipt only from API-Version 2024-01-08 on', async () => {
    const request = refundRequest({ ...amountFrom(RD100002.cardPayment, 'credit_tpp'), totalMinor: 100 });
    const result = expectAccepted(await clientFor(h).submitRefund(request));
    await h.control.settle();
    const read = async (apiVersion: string) =>
      refundIn(await clientFor(h, { apiVersion }).readStatus(RD100002.ref), result.refunds[0]!.ref);
    const newer = await read('2025-05-15'); // falls back to 2024-03-05
    const older = await read('2023-12-31'); // falls back to 2023-05-15
    expect((newer.raw as { receipt: unknown }).receipt).toMatchObject({ other_amount: '1.00' });
    expect((older.raw as { receipt: unknown }).receipt).toBeNull();
  });

  it('can start refunds in requires_confirmation, which the client reads as processing', async () => {
    await h.control.options({ initialStatus: 'requires_confirmation' });
    const result = expectAccepted(await clientFor(h).submitRefund(refundRequest()));
    expect(result.refunds.map((r) => [r.status, (r.raw as { status: string }).status])).toEqual([
      ['processing', 'requires_confirmation'],
      ['processing', 'requires_confirmation'],
    ]);
    expect(await h.control.settle()).toEqual({ settled: 2 });
  });

  it('an EBT-network timeout ends failed with a voided receipt', async () => {
    await h.control.nextOutcome({ outcome: 'failed', voided: true });
    const request = refundRequest({ lines: [{ providerLineId: RD100002.eggs, quantity: 1, amountMinor: 399 }], totalMinor: 399 });
    const result = expectAccepted(await clientFor(h).submitRefund(request));
    await h.control.settle();
    const status = refundIn(await clientFor(h).readStatus(RD100002.ref), result.refunds[0]!.ref);
    expect(status).toMatchObject({ status: 'failed', lastError: expect.stringContaining('timed out') });
    expect((status.raw as { receipt: unknown }).receipt).toMatchObject({ is_voided: true, snap_amount: '3.99' });
  });

  it('429: rejected and retryable, not retried automatically, nothing refunded', async () => {
    await h.control.fault({ operation: 'refund', mode: 'rate_limit', retryAfterSeconds: 3 });
    const result = expectRejected(await clientFor(h).submitRefund(refundRequest()), 'too_many_requests', 429);
    expect(result.retryable).toBe(true);
    expect(await h.control.requests('refund')).toHaveLength(1);
    expect(await h.control.refundsAt(RD100002.ref)).toHaveLength(1);
  });

  it('readStatus: the order list, one refund by ref, none for an unknown ref, and 404 for an unknown order', async () => {
    const list = expectRead(await clientFor(h).readStatus(RD100002.ref));
    expect(list.exchange.url).toMatch(new RegExp(`/api/orders/${RD100002.ref}/refunds/$`));
    expect(list.refunds.map((r) => [r.ref, r.status, r.amountMinor])).toEqual([['rf8d9e0f1a', 'succeeded', 449]]);
    expect(refundIn(list, 'rf8d9e0f1a')).toMatchObject({ paymentRef: RD100002.snapPayment, tender: 'ebt_snap' });
    expect(list.refunds.filter((r) => r.ref === 'zzzzzzzzzz')).toEqual([]);
    const unknown = await clientFor(h).readStatus('zzzzzzzzzz');
    expect(unknown).toMatchObject({ ok: false, code: 'resource_not_found' });
    expect(unknown.exchange.status).toBe(404);
  });

  it('readStatus returns ourRefundId: the refund id sent in metadata.refund_id', async () => {
    const client = clientFor(h);
    const request = refundRequest();
    expect(request.metadata).toEqual({ refund_id: request.refundId });
    const result = expectAccepted(await client.submitRefund(request));
    expect(result.exchange.requestBody).toMatchObject({ metadata: { refund_id: request.refundId } });
    const amount = refundRequest({ ...amountFrom(RD100002.snapPayment, 'ebt_snap'), totalMinor: 100 });
    const adjusted = expectAccepted(await client.submitRefund(amount));

    const read = expectRead(await client.readStatus(RD100002.ref));
    for (const refund of result.refunds) expect(refundIn(read, refund.ref).ourRefundId).toBe(request.refundId);
    expect(refundIn(read, adjusted.refunds[0]!.ref).ourRefundId).toBe(amount.refundId);
    // The demo's refund was made outside Refund Desk: no refund id of ours.
    expect(refundIn(read, 'rf8d9e0f1a').ourRefundId).toBeNull();
    expect(new Set(read.refunds.map((r) => r.ourRefundId))).toEqual(new Set([request.refundId, amount.refundId, null]));
  });

  it('getOrder retries a 5xx and reports a lasting one', async () => {
    await h.control.fault({ operation: 'get_order', mode: 'error_before', status: 503, times: 1 });
    expect((await clientFor(h).getOrder(RD100002.ref)).ok).toBe(true);
    await h.control.fault({ operation: 'get_order', mode: 'error_before', status: 502, times: -1 });
    expect(await clientFor(h).getOrder(RD100002.ref)).toMatchObject({ ok: false, code: 'server_error' });
  });
});
