import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sandboxConfig } from '@/sandbox/config';
import { forageModule } from '@/sandbox/forage';
import { startSandbox, type Sandbox } from '@/sandbox/server';
import { expectAccepted, expectRejected } from '@/test/providers/forage/checks';
import { clientFor, harnessFor, raw, RD100002, refundRequest, type Harness } from '@/test/providers/forage/harness';

/**
 * Idempotency and retries (forage.md §9, §12.7, §12.9; PRODUCT.md §3 "Unknown outcomes"): a retry
 * carries the same Idempotency-Key, gets the original answer, and never makes a second refund.
 */

let sandbox: Sandbox;
let h: Harness;

beforeAll(async () => {
  sandbox = await startSandbox(sandboxConfig({ port: 0, host: '127.0.0.1', settleMode: 'manual', appUrl: null }), [forageModule]);
  h = harnessFor(sandbox.url);
});
afterAll(() => sandbox.close());
beforeEach(() => h.control.reset());

/** Refunds created during the test (the order starts with one from the demo history). */
const newRefunds = async () => (await h.control.refundsAt(RD100002.ref)).slice(1);

describe('Forage idempotency at the sandbox', () => {
  const path = `/api/orders/${RD100002.ref}/refund_by_product/`;
  const body = { products: [{ upc: RD100002.eggs, quantity: 1 }], reason: 'damaged', metadata: {} };

  it('replays the byte-identical answer, frozen at creation, and makes no second refund', async () => {
    const first = await raw(h, 'POST', path, { body, headers: { 'idempotency-key': 'replay1' } });
    await h.control.settle();
    const second = await raw(h, 'POST', path, {
      body: { metadata: {}, reason: 'damaged', products: body.products },
      headers: { 'idempotency-key': 'replay1' },
    });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.text).toBe(first.text);
    expect((await newRefunds()).map((r) => r.status)).toEqual(['succeeded']);
  });

  it('same key with a different body: 400 cannot_change_request, nothing new', async () => {
    const request = refundRequest();
    expectAccepted(await clientFor(h).submitRefund(request));
    const changed = { ...request, lines: request.lines.slice(0, 1), totalMinor: 399 };
    expectRejected(await clientFor(h).submitRefund(changed), 'cannot_change_request', 400);
    expect(await newRefunds()).toHaveLength(2);
  });

  it('serializes concurrent duplicates: the second waits and gets the first answer', async () => {
    await h.control.options({ processingDelayMs: 150 });
    const request = refundRequest();
    const [a, b] = await Promise.all([clientFor(h).submitRefund(request), clientFor(h).submitRefund(request)]);
    expect(expectAccepted(a).refunds.map((r) => r.ref)).toEqual(expectAccepted(b).refunds.map((r) => r.ref));
    expect(await newRefunds()).toHaveLength(2);
  });

  it('forgets a key after idempotencyTtlMs', async () => {
    await h.control.config({ forage: { idempotencyTtlMs: 100 } });
    const amountPath = `/api/orders/${RD100002.ref}/refunds/`;
    const amount = { payment: RD100002.cardPayment, amount: 1, reason: 'price_adjustment', metadata: {} };
    const first = await raw(h, 'POST', amountPath, { body: amount, headers: { 'idempotency-key': 'ttl1' } });
    await new Promise((resolve) => setTimeout(resolve, 150));
    const second = await raw(h, 'POST', amountPath, { body: amount, headers: { 'idempotency-key': 'ttl1' } });
    expect(second.status).toBe(201);
    expect(second.text).not.toBe(first.text);
    expect(await newRefunds()).toHaveLength(2);
  });
});

describe('Forage client retries with the same key', () => {
  it('error_after (5xx after the refund was made): the retry gets the original 201', async () => {
    await h.control.fault({ operation: 'refund', mode: 'error_after', times: 1 });
    const result = expectAccepted(await clientFor(h).submitRefund(refundRequest()));
    expect(await h.control.requests('refund')).toHaveLength(2);
    expect((await newRefunds()).map((r) => r.ref).sort()).toEqual(result.refunds.map((r) => r.ref).sort());
  });

  it('hang_after past the client timeout: retried with the same key, accepted, one refund', async () => {
    await h.control.fault({ operation: 'refund', mode: 'hang_after', latencyMs: 1500, times: 1 });
    const result = expectAccepted(await clientFor(h, { timeoutMs: 500 }).submitRefund(refundRequest()));
    expect(result.refunds).toHaveLength(2);
    expect(await newRefunds()).toHaveLength(2);
  });

  it('drop_after (connection dropped after the refund was made): accepted on retry, one refund', async () => {
    await h.control.fault({ operation: 'refund', mode: 'drop_after', times: 1 });
    expectAccepted(await clientFor(h).submitRefund(refundRequest()));
    expect(await newRefunds()).toHaveLength(2);
  });

  it('a 5xx before anything was made is retried into a single refund', async () => {
    await h.control.fault({ operation: 'refund', mode: 'error_before', status: 503, times: 2 });
    expectAccepted(await clientFor(h).submitRefund(refundRequest()));
    expect(await h.control.requests('refund')).toHaveLength(3);
    expect(await newRefunds()).toHaveLength(2);
  });

  it('retries exhausted on 5xx: unknown (server_error), never failed, and nothing at Forage', async () => {
    await h.control.fault({ operation: 'refund', mode: 'error_before', times: -1 });
    const result = await clientFor(h, { maxRetries: 3 }).submitRefund(refundRequest());
    expect(result).toMatchObject({ kind: 'unknown', reason: 'server_error' });
    expect(await h.control.requests('refund')).toHaveLength(4);
    expect(await newRefunds()).toHaveLength(0);
  });

  it('retries exhausted on timeouts: unknown (timeout)', async () => {
    await h.control.fault({ operation: 'refund', mode: 'hang', latencyMs: 1000, times: -1 });
    const result = await clientFor(h, { timeoutMs: 150, maxRetries: 1 }).submitRefund(refundRequest());
    expect(result).toMatchObject({ kind: 'unknown', reason: 'timeout' });
  });

  it('dropped every time after applying: unknown (network), and still exactly one refund', async () => {
    await h.control.fault({ operation: 'refund', mode: 'drop_after', times: -1 });
    const result = await clientFor(h, { maxRetries: 2 }).submitRefund(refundRequest());
    expect(result).toMatchObject({ kind: 'unknown', reason: 'network' });
    expect(await h.control.requests('refund')).toHaveLength(3);
    expect(await newRefunds()).toHaveLength(2);
  });

  it('a refusal after an ambiguous try is still unknown: the first try may have made the refund', async () => {
    await h.control.fault({ operation: 'refund', mode: 'error_after', times: 1 });
    await h.control.fault({ operation: 'refund', mode: 'rate_limit', times: 1 });
    const result = await clientFor(h).submitRefund(refundRequest());
    expect(result).toMatchObject({ kind: 'unknown', reason: 'server_error' });
    expect(await newRefunds()).toHaveLength(2);
  });

  it('does not retry once the Idempotency-Key may have expired at Forage', async () => {
    await h.control.fault({ operation: 'refund', mode: 'error_before', times: -1 });
    let clock = Date.now();
    const now = () => new Date((clock += 6 * 60_000)); // every reading is six minutes later
    const result = await clientFor(h, { now, idempotencyLifetimeMs: 10 * 60_000 }).submitRefund(refundRequest());
    expect(result).toMatchObject({ kind: 'unknown', reason: 'server_error' });
    expect((await h.control.requests('refund')).length).toBeLessThan(4);
  });

  it('sends the Idempotency-Key alphanumeric: the dashes of our UUID stripped', async () => {
    const request = refundRequest();
    const result = expectAccepted(await clientFor(h).submitRefund(request));
    const key = request.idempotencyKey.replace(/-/g, '');
    const replay = await raw(h, 'POST', `/api/orders/${RD100002.ref}/refund_by_product/`, {
      body: result.exchange.requestBody,
      headers: { 'idempotency-key': key },
    });
    expect(replay.status).toBe(201);
    expect((replay.body as unknown as { ref: string }[]).map((r) => r.ref)).toEqual(result.refunds.map((r) => r.ref));
  });
});
