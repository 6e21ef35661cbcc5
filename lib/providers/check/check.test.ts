import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { SANDBOX_CREDENTIALS, sandboxConfig } from '@/sandbox/config';
import { forageModule } from '@/sandbox/forage';
import { frontpaymentModule } from '@/sandbox/frontpayment';
import { startSandbox, type Sandbox } from '@/sandbox/server';
import { hostKind, testRefundRefusal } from './hosts';
import type { Row } from './report';
import { runProvidersCheck } from './run';

/**
 * `npm run providers:check` against the provider sandbox, in this process (as test/refunds.ts
 * starts it): the default sandbox passes, a broken required assumption fails the run, a missing
 * optional one is reported without failing it, and a test refund goes out once, and never to a
 * production host.
 */

const FORAGE_ORDER = 'fg8d9e0f1a';
const FP_ORDER = 'ODR1700000003';

let sandbox: Sandbox;
let env: Record<string, string>;

beforeAll(async () => {
  sandbox = await startSandbox(sandboxConfig({ port: 0, host: '127.0.0.1', settleMode: 'manual', appUrl: null }), [
    forageModule,
    frontpaymentModule,
  ]);
  env = { PROVIDERS: 'sandbox', SANDBOX_URL: sandbox.url, PROVIDER_TIMEOUT_MS: '3000' };
});
afterAll(() => sandbox.close());
beforeEach(() => control('reset', {}));

async function control<T = unknown>(path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${sandbox.url}/__control/${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return (await response.json()) as T;
}

const refundRequests = async () =>
  (await control<{ requests: { operation: string }[] }>('requests')).requests.filter((r) => r.operation === 'refund');

const run = (argv: string[], extra: Record<string, string> = {}, fetchImpl?: typeof fetch) =>
  runProvidersCheck({ argv, env: { ...env, ...extra }, fetchImpl });

const row = (rows: Row[], provider: Row['provider'], id: string) => {
  const found = rows.find((r) => r.provider === provider && r.id === id);
  if (!found) throw new Error(`no row ${provider}/${id}`);
  return found;
};

describe('providers:check against the sandbox', () => {
  it('passes on the default sandbox: the expected rows hold, and nothing secret is printed', async () => {
    const result = await run(['--forage-order', FORAGE_ORDER, '--frontpayment-order', FP_ORDER]);
    expect(result.exitCode, result.output).toBe(0);
    const forage = ['configured', 'token', 'token_expiry', 'bad_token', 'merchant', 'api_version', 'not_found'];
    for (const id of [...forage, 'order', 'payments', 'refunds', 'import', 'status_known']) {
      expect(row(result.rows, 'forage', id).result, id).toBe('holds');
    }
    const fp = ['configured', 'token', 'bad_token', 'not_found', 'details', 'line_ids', 'status', 'refunded_amount'];
    for (const id of [...fp, 'status_known', 'import']) expect(row(result.rows, 'frontpayment', id).result, id).toBe('holds');
    // The sandbox's seeded refund was not made by Refund Desk: only a test refund can prove the echo.
    expect(row(result.rows, 'forage', 'refund_id').result).toBe('not checked');
    expect(row(result.rows, 'frontpayment', 'checksum')).toMatchObject({ result: 'not checked', need: 'required' });
    expect(row(result.rows, 'frontpayment', 'test_refund').seen).toMatch(/not asked for/);
    expect(result.output).toMatch(/^Summary: .*\(exit 0\)\.$/m);
    for (const secret of [
      SANDBOX_CREDENTIALS.forage.clientSecret,
      SANDBOX_CREDENTIALS.forage.webhookSecret,
      SANDBOX_CREDENTIALS.frontpayment.token,
      SANDBOX_CREDENTIALS.frontpayment.callbackSecret,
    ]) {
      expect(result.output).not.toContain(secret);
    }
    expect(result.output).not.toMatch(/sandbox_[A-Za-z0-9_-]{8,}/); // an access token
    expect(await refundRequests()).toHaveLength(0);
  });

  it('without a named order, the order rows are not checked, and the run still passes', async () => {
    const result = await run(['--provider', 'frontpayment']);
    expect(result.exitCode).toBe(0);
    expect(result.rows.every((r) => r.provider === 'frontpayment')).toBe(true);
    expect(row(result.rows, 'frontpayment', 'details')).toMatchObject({
      result: 'not checked',
      seen: expect.stringMatching(/no order named/),
    });
  });

  it('fails when the Frontpayment token is refused, and reads nothing else', async () => {
    const result = await run(['--frontpayment-order', FP_ORDER], {
      FRONTPAYMENT_BASE_URL: `${sandbox.url}/api/v1`,
      FRONTPAYMENT_TOKEN: 'not-the-token',
      FRONTPAYMENT_CALLBACK_SECRET: 'x',
    });
    expect(result.exitCode).toBe(1);
    expect(row(result.rows, 'frontpayment', 'token')).toMatchObject({ result: 'does not hold', need: 'required' });
    expect(row(result.rows, 'frontpayment', 'token').seen).toMatch(/HTTP 401/);
    expect(row(result.rows, 'frontpayment', 'details').result).toBe('not checked');
    expect(row(result.rows, 'forage', 'token').result).toBe('holds');
    expect(result.output).toMatch(/1 required assumption does not hold: not ready \(exit 1\)/);
    expect(result.output).not.toContain('not-the-token');
  });

  it('fails when the named order does not exist', async () => {
    const result = await run(['--provider', 'forage', '--forage-order', 'zz00000000']);
    expect(result.exitCode).toBe(1);
    expect(row(result.rows, 'forage', 'order')).toMatchObject({ result: 'does not hold', need: 'required' });
    expect(row(result.rows, 'forage', 'order').seen).toMatch(/404 resource_not_found/);
    expect(row(result.rows, 'forage', 'import').result).toBe('does not hold');
  });

  it('fails when Forage refuses the Merchant-Account', async () => {
    const result = await run(['--provider', 'forage'], {
      FORAGE_BASE_URL: sandbox.url,
      FORAGE_CLIENT_ID: SANDBOX_CREDENTIALS.forage.clientId,
      FORAGE_CLIENT_SECRET: SANDBOX_CREDENTIALS.forage.clientSecret,
      FORAGE_MERCHANT_ACCOUNT: '1234567',
      FORAGE_WEBHOOK_SECRET: 'x',
    });
    expect(result.exitCode).toBe(1);
    expect(row(result.rows, 'forage', 'merchant').result).toBe('does not hold');
    expect(row(result.rows, 'forage', 'merchant').seen).toMatch(/invalid_merchant_account/);
  });

  it('reports a missing optional field (no refundedAmount) without failing the run', async () => {
    await control('profile', { name: 'fp-status-without-amounts' });
    const result = await run(['--provider', 'frontpayment', '--frontpayment-order', FP_ORDER]);
    expect(result.exitCode, result.output).toBe(0);
    expect(row(result.rows, 'frontpayment', 'refunded_amount')).toMatchObject({ result: 'does not hold', need: 'optional' });
    expect(row(result.rows, 'frontpayment', 'import').result).toBe('holds');
    expect(row(result.rows, 'frontpayment', 'refunded_amount').without).toBe('outcomes of unclear refunds are settled by hand.');
    expect(result.output).toMatch(/refundedAmount is missing\. Without it: outcomes of unclear/);
  });

  it('fails on a profile that breaks a required assumption: order details without line ids (no refund could be sent)', async () => {
    await control('profile', { name: 'fp-details-without-line-ids' });
    const result = await run(['--provider', 'frontpayment', '--frontpayment-order', FP_ORDER]);
    expect(result.exitCode, result.output).toBe(1);
    expect(row(result.rows, 'frontpayment', 'line_ids')).toMatchObject({ result: 'does not hold', need: 'required' });
    expect(row(result.rows, 'frontpayment', 'import').result).toBe('holds');
  });
});

describe('providers:check --send-test-refund', () => {
  it.each([
    ['forage', { FORAGE_BASE_URL: 'https://api.joinforage.app' }, /api\.joinforage\.app, PRODUCTION/],
    ['frontpayment', { FRONTPAYMENT_BASE_URL: 'https://apigo.frontpayment.no/api/v1' }, /apigo\.frontpayment\.no, PRODUCTION/],
    ['frontpayment', { FRONTPAYMENT_BASE_URL: 'https://payments.example.com/api/v1' }, /not known as a test host/],
  ])('refuses %s at a host that is not a test host, before any request', async (provider, urls, why) => {
    const fetchImpl = vi.fn<typeof fetch>(() => Promise.reject(new Error('no request may be made')));
    const result = await run(['--provider', provider, '--send-test-refund', '--test-order', 'ODR1700000031'], urls, fetchImpl);
    expect(result.exitCode).toBe(2);
    expect(result.output).toMatch(why);
    expect(result.output).toMatch(/Nothing was sent/);
    expect(fetchImpl).not.toHaveBeenCalled();
  });

  it('sends exactly one Frontpayment refund of 1,00 kr to the sandbox and reports what came back', async () => {
    const result = await run(['--provider', 'frontpayment', '--send-test-refund', '--test-order', 'ODR1700000031']);
    expect(result.exitCode, result.output).toBe(0);
    expect(row(result.rows, 'frontpayment', 'test_refund')).toMatchObject({ result: 'holds' });
    expect(row(result.rows, 'frontpayment', 'test_refund').seen).toMatch(
      /1,00 kr on line \d+: HTTP 202 message "orderRefundedSuccessfully"/,
    );
    // Manual settlement: not applied yet, which proves nothing either way (errata 7).
    expect(row(result.rows, 'frontpayment', 'test_applied').result).toBe('not checked');
    const posts = await refundRequests();
    expect(posts).toHaveLength(1);
  });

  it('sends exactly one Forage refund of 1 unit to the sandbox; the refund_id echo and the product key then hold', async () => {
    const result = await run(['--provider', 'forage', '--send-test-refund', '--test-order', 'fg7a1b2c3d']);
    expect(result.exitCode, result.output).toBe(0);
    for (const id of ['test_refund', 'product_key', 'refund_id', 'test_listed']) {
      expect(row(result.rows, 'forage', id).result, id).toBe('holds');
    }
    expect(row(result.rows, 'forage', 'test_refund').seen).toMatch(/1 × 4011 \(unit_price \$0\.69\): HTTP 201/);
    expect(await refundRequests()).toHaveLength(1);
  });

  it('reports a refused test refund as a required failure', async () => {
    // An expired order has nothing to refund.
    const result = await run(['--provider', 'frontpayment', '--send-test-refund', '--test-order', 'ODR1700000014']);
    expect(result.exitCode).toBe(1);
    expect(row(result.rows, 'frontpayment', 'test_refund').result).toBe('does not hold');
    expect(await refundRequests()).toHaveLength(1);
  });

  it('needs --test-order and a single provider', async () => {
    expect((await run(['--send-test-refund'])).exitCode).toBe(2);
    expect((await run(['--send-test-refund', '--test-order', FP_ORDER])).output).toMatch(/needs one provider/);
    expect((await run(['--test-order', FP_ORDER])).exitCode).toBe(2);
    expect((await run(['--provider', 'paypal'])).exitCode).toBe(2);
    expect(await refundRequests()).toHaveLength(0);
  });
});

describe('hosts', () => {
  it('knows the test, production and loopback hosts', () => {
    expect(hostKind('forage', 'https://api.sandbox.joinforage.app').kind).toBe('test');
    expect(hostKind('forage', 'https://api.joinforage.app').kind).toBe('production');
    expect(hostKind('forage', 'https://api.sandbox.joinforage.app.example.com').kind).toBe('unknown');
    expect(hostKind('frontpayment', 'https://demo-api.frontpayment.no/api/v1').kind).toBe('test');
    expect(hostKind('frontpayment', 'http://localhost:4010/api/v1').kind).toBe('loopback');
    expect(hostKind('frontpayment', 'http://[::1]:4010/api/v1').kind).toBe('loopback');
    expect(testRefundRefusal('forage', 'Forage', 'http://127.0.0.1:4010')).toBeNull();
    expect(testRefundRefusal('forage', 'Forage', 'https://demo-api.frontpayment.no')).toMatch(/not known as a test host/);
  });
});
