import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SANDBOX_CREDENTIALS, sandboxConfig } from '@/sandbox/config';
import { forageModule } from '@/sandbox/forage';
import { startSandbox, type Sandbox } from '@/sandbox/server';
import { expectAccepted } from '@/test/providers/forage/checks';
import { clientFor, harnessFor, raw, rawToken, RD100002, refundRequest, type Harness } from '@/test/providers/forage/harness';

/** The OAuth token: cached, refreshed once for many callers, replaced when Forage refuses it. */

let sandbox: Sandbox;
let h: Harness;

beforeAll(async () => {
  sandbox = await startSandbox(sandboxConfig({ port: 0, host: '127.0.0.1', settleMode: 'manual', appUrl: null }), [forageModule]);
  h = harnessFor(sandbox.url);
});
afterAll(() => sandbox.close());
beforeEach(() => h.control.reset());

const tokenRequests = async () => (await h.control.stats()).tokenRequests;
const twenty = <T>(call: () => Promise<T>) => Promise.all(Array.from({ length: 20 }, call));

describe('Forage token', () => {
  it('expired at Forage: 20 concurrent calls are refused, and cause exactly one token request', async () => {
    const client = clientFor(h);
    expect((await client.readStatus(RD100002.ref)).ok).toBe(true);
    const before = await tokenRequests();
    await h.control.expireTokens();
    const results = await twenty(() => client.readStatus(RD100002.ref));
    expect(results.map((r) => r.ok)).toEqual(Array(20).fill(true));
    expect((await tokenRequests()) - before).toBe(1);
  });

  it('expired by our clock: 20 concurrent calls share one refresh', async () => {
    let offset = 0;
    const client = clientFor(h, { now: () => new Date(Date.now() + offset), tokenExpirationSeconds: 3600 });
    await client.readStatus(RD100002.ref);
    const before = await tokenRequests();
    offset = 3600_000;
    const results = await twenty(() => client.readStatus(RD100002.ref));
    expect(results.every((r) => r.ok)).toBe(true);
    expect((await tokenRequests()) - before).toBe(1);
  });

  it('is refreshed shortly before it expires, not after', async () => {
    let offset = 0;
    const client = clientFor(h, { now: () => new Date(Date.now() + offset), tokenExpirationSeconds: 600 });
    await client.ping();
    const before = await tokenRequests();
    offset = 530_000; // within the last tenth (60 s): not yet
    await client.ping();
    expect(await tokenRequests()).toBe(before);
    offset = 545_000; // inside the margin: refresh
    await client.ping();
    expect((await tokenRequests()) - before).toBe(1);
  });

  it('a refund POST with a refused token gets a new token and goes through once', async () => {
    const client = clientFor(h);
    await client.ping();
    await h.control.expireTokens();
    const before = await tokenRequests();
    expectAccepted(await client.submitRefund(refundRequest()));
    expect((await tokenRequests()) - before).toBe(1);
    expect(await h.control.requests('refund')).toHaveLength(2);
  });

  it('a revoked token is refused', async () => {
    const token = await rawToken(h);
    expect((await raw(h, 'GET', `/api/orders/${RD100002.ref}/`, { token })).status).toBe(200);
    const { clientId, clientSecret } = SANDBOX_CREDENTIALS.forage;
    const revoked = await fetch(`${h.baseUrl}/o/revoke_token/`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ token }).toString(),
    });
    expect(revoked.status).toBe(200);
    expect((await raw(h, 'GET', `/api/orders/${RD100002.ref}/`, { token })).status).toBe(403);
  });

  it('Forage refusing our credentials: not retried, nothing sent', async () => {
    const result = await clientFor(h, { clientSecret: 'wrong' }).submitRefund(refundRequest());
    expect(result).toMatchObject({ kind: 'rejected', code: 'invalid_client', retryable: false });
    expect(await tokenRequests()).toBe(1);
    expect(await h.control.requests('refund')).toHaveLength(0);
  });

  it('the token endpoint down: rejected as retryable, since the refund never left us', async () => {
    await h.control.fault({ operation: 'token', mode: 'error_before', times: -1 });
    const result = await clientFor(h, { maxRetries: 2 }).submitRefund(refundRequest());
    expect(result).toMatchObject({ kind: 'rejected', code: 'server_error', retryable: true });
    expect(await h.control.requests('token')).toHaveLength(3);
    expect(await h.control.requests('refund')).toHaveLength(0);
  });

  it('never records the token in the exchange', async () => {
    await h.control.fault({ operation: 'refund', mode: 'error_before', times: -1 });
    const result = await clientFor(h, { maxRetries: 0 }).submitRefund(refundRequest());
    expect(JSON.stringify(result)).not.toMatch(/sandbox_|Bearer|Basic/);
  });
});
