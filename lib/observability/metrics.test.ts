import { createHmac, randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { queryRows, type DbHandle } from '@/db';
import { PROVIDERS, refundStatusEnum } from '@/db/schema/enums';
import { SYSTEM_CONTEXT } from '@/lib/audit';
import { SANDBOX_DEFAULTS } from '@/lib/providers/config';
import { refundInput, seededPglite, startProviders, userId, type Providers } from '@/test/refunds';

/**
 * Issue #14: the metrics endpoint (app/api/metrics) and the counters behind it. The route, the
 * token check, the registry, the database gauges' queries, the provider HTTP layer and the webhook
 * route body are the real ones; the database is a seeded PGlite, the providers the in-process
 * sandbox, and the providers' connection check (which feeds refund_desk_provider_up) a stand-in.
 */

const database = vi.hoisted(() => ({ handle: null as DbHandle | null, state: 'up' as 'up' | 'down' | 'hanging' }));
vi.mock('@/db', async (importOriginal) => {
  const real = await importOriginal<typeof import('@/db')>();
  const handle = async () => {
    if (database.state === 'down') throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
    if (database.state === 'hanging') return new Promise<never>(() => {});
    return database.handle!;
  };
  return { ...real, getDbHandle: handle, getDb: async () => (await handle()).db };
});
vi.mock('@/lib/providers/connection', () => ({
  describeProviderConfig: () => ({ configured: true }),
  testProviderConnection: async (provider: string) =>
    provider === 'forage'
      ? { provider, ok: true, latencyMs: 3, testedAt: new Date().toISOString() }
      : { provider, ok: false, latencyMs: null, detail: 'HTTP 503', testedAt: new Date().toISOString() },
}));
vi.stubEnv('PROVIDERS', 'sandbox');

const { GET: scrapeRoute } = await import('@/app/api/metrics/route');
const { GET: readyRoute } = await import('@/app/api/health/ready/route');
const { httpCall } = await import('@/lib/providers/http');
const { handleWebhook } = await import('@/lib/webhooks/route');

const TOKEN = 'metrics-test-token-0123456789abcdefghij';

interface Sample {
  labels: Record<string, string>;
  value: number;
}

/** The Prometheus text exposition format, read back: samples by metric name, and each family's TYPE. */
function parseExposition(text: string) {
  const samples = new Map<string, Sample[]>();
  const types = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (!line) continue;
    const type = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (type) types.set(type[1]!, type[2]!);
    if (line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) throw new Error(`not an exposition line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, name, value] of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[name!] = value!;
    const list = samples.get(match[1]!) ?? [];
    list.push({ labels, value: Number(match[3]) });
    samples.set(match[1]!, list);
  }
  return { samples, types };
}

function value(samples: Map<string, Sample[]>, name: string, labels: Record<string, string> = {}) {
  const found = (samples.get(name) ?? []).filter((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  return found.reduce((sum, s) => sum + s.value, 0);
}

function scrape(headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` }, url = 'http://localhost/api/metrics') {
  return scrapeRoute(new Request(url, { headers }));
}

async function scraped() {
  const response = await scrape();
  expect(response.status).toBe(200);
  return parseExposition(await response.text());
}

let p: Providers;

function forageDelivery(body: string, secret: string = SANDBOX_DEFAULTS.forage.webhookSecret) {
  return handleWebhook(
    'forage',
    new Request('http://localhost/api/webhooks/forage', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'webhook-signature': createHmac('sha256', secret).update(body).digest('hex'),
      },
      body,
    }),
  );
}
const forageEvent = () =>
  JSON.stringify({
    ref: randomUUID().replace(/-/g, '').slice(0, 10),
    type: 'REFUND_STATUS_UPDATED',
    created: new Date().toISOString(),
    data: { refund_ref: 'mt1abc2def', order_ref: 'fg8d9e0f1a', payment_ref: 'sn8d9e0f1a', amount: '3.99', status: 'succeeded' },
  });

beforeAll(async () => {
  const [handle, sandbox] = await Promise.all([seededPglite(), startProviders()]);
  database.handle = handle;
  p = sandbox;
  const db = handle.db;
  const agent = { id: await userId(db), role: 'agent' as const };
  const { createRefund } = await import('@/lib/refunds/service');
  const { submitApprovedRefund } = await import('@/lib/refunds/pipeline');
  // One refund whose outcome is unknown (Frontpayment answers 500 before applying anything) …
  await p.control('faults', { provider: 'frontpayment', operation: 'refund', mode: 'error_before' });
  const unknown = await createRefund(
    db,
    agent,
    SYSTEM_CONTEXT,
    await refundInput(db, 'RD-100031', [{ line: '5443', amount: 19900 }]),
  );
  expect(await submitApprovedRefund(db, unknown.refundId, p.clientFor)).toBe('outcome_unknown');
  // … and one waiting for a manager (above the NOK approval threshold).
  const waiting = await createRefund(
    db,
    agent,
    SYSTEM_CONTEXT,
    await refundInput(db, 'RD-100042', [{ line: '5475', amount: 249_900 }]),
  );
  expect(waiting.status).toBe('pending_approval');
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await p?.close();
  await database.handle?.close();
});

describe('the bearer token', () => {
  it('without METRICS_TOKEN the endpoint is off: 404 whatever is presented', async () => {
    vi.stubEnv('METRICS_TOKEN', '');
    expect((await scrape()).status).toBe(404);
    // Too short to be a secret: treated as unset.
    vi.stubEnv('METRICS_TOKEN', 'short');
    expect((await scrape({ authorization: 'Bearer short' })).status).toBe(404);
  });

  it('refuses a request without the token (401), with a wrong one (403), and never reads it from the query string', async () => {
    vi.stubEnv('METRICS_TOKEN', TOKEN);
    const missing = await scrape({});
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(await missing.text()).not.toContain('refund_desk_');
    expect((await scrape({ authorization: `Basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}` })).status).toBe(401);
    expect((await scrape({}, `http://localhost/api/metrics?token=${TOKEN}`)).status).toBe(401);
    expect((await scrape({}, `http://localhost/api/metrics?access_token=${TOKEN}`)).status).toBe(401);
    const wrong = await scrape({ authorization: `Bearer ${TOKEN}x` });
    expect(wrong.status).toBe(403);
    expect(await wrong.text()).not.toContain('refund_desk_');
    expect((await scrape({ authorization: `Bearer ${TOKEN.slice(0, -1)}` })).status).toBe(403);
  });

  it('with the token: 200 in the Prometheus text format, not cached', async () => {
    vi.stubEnv('METRICS_TOKEN', TOKEN);
    const response = await scrape();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(response.headers.get('cache-control')).toBe('no-store');
  });
});

describe('the series', () => {
  it('exposes every series the README lists, with the database figures as the database has them', async () => {
    vi.stubEnv('METRICS_TOKEN', TOKEN);
    // A provider call and a webhook delivery, so that their counters have samples.
    expect((await p.clientFor('forage').ping()).ok).toBe(true);
    expect((await forageDelivery(forageEvent())).status).toBe(200);

    const { samples, types } = await scraped();
    const expected: Record<string, string> = {
      refund_desk_refunds: 'gauge',
      refund_desk_refunds_outcome_unknown: 'gauge',
      refund_desk_refunds_outcome_unknown_oldest_age_seconds: 'gauge',
      refund_desk_approvals_waiting: 'gauge',
      refund_desk_approvals_waiting_oldest_age_seconds: 'gauge',
      refund_desk_jobs: 'gauge',
      refund_desk_jobs_oldest_due_age_seconds: 'gauge',
      refund_desk_provider_calls_total: 'counter',
      refund_desk_provider_call_duration_seconds: 'histogram',
      refund_desk_webhook_deliveries_total: 'counter',
      refund_desk_provider_up: 'gauge',
      refund_desk_database_up: 'gauge',
      refund_desk_migrations_current: 'gauge',
      // Default process metrics, with the same prefix.
      refund_desk_process_cpu_seconds_total: 'counter',
      refund_desk_process_resident_memory_bytes: 'gauge',
      refund_desk_nodejs_eventloop_lag_seconds: 'gauge',
      refund_desk_nodejs_heap_size_used_bytes: 'gauge',
    };
    for (const [name, type] of Object.entries(expected)) expect(types.get(name), name).toBe(type);
    for (const name of Object.keys(expected)) {
      const sampleName = expected[name] === 'histogram' ? `${name}_count` : name;
      expect(samples.get(sampleName)?.length ?? 0, `${sampleName} has samples`).toBeGreaterThan(0);
    }

    // Refunds by provider and status: every pair, zeros included, equal to the database's count.
    const rows = await queryRows<{ provider: string; status: string; n: number }>(
      database.handle!.db,
      sql`select o.provider::text as provider, r.status::text as status, count(*)::int as n from refunds r join orders o on o.id = r.order_id group by 1, 2`,
    );
    expect(samples.get('refund_desk_refunds')).toHaveLength(PROVIDERS.length * refundStatusEnum.enumValues.length);
    for (const { provider, status, n } of rows)
      expect(value(samples, 'refund_desk_refunds', { provider, status }), `${provider} ${status}`).toBe(n);
    expect(value(samples, 'refund_desk_refunds', { provider: 'frontpayment', status: 'outcome_unknown' })).toBe(1);
    expect(value(samples, 'refund_desk_refunds_outcome_unknown')).toBe(1);
    expect(value(samples, 'refund_desk_approvals_waiting')).toBe(1);
    expect(value(samples, 'refund_desk_approvals_waiting_oldest_age_seconds')).toBeGreaterThanOrEqual(0);

    // The queue: the outcome_unknown refund's reconciliation and the delivery's processing.
    const [queued] = await queryRows<{ n: number }>(
      database.handle!.db,
      sql`select count(*)::int as n from jobs where status in ('queued', 'running')`,
    );
    expect(queued!.n).toBeGreaterThan(0);
    expect(value(samples, 'refund_desk_jobs')).toBe(queued!.n);
    expect(value(samples, 'refund_desk_jobs', { kind: 'webhook.process', status: 'queued' })).toBeGreaterThanOrEqual(1);

    expect(value(samples, 'refund_desk_provider_up', { provider: 'forage' })).toBe(1);
    expect(value(samples, 'refund_desk_provider_up', { provider: 'frontpayment' })).toBe(0);
    expect(value(samples, 'refund_desk_database_up')).toBe(1);
    expect(value(samples, 'refund_desk_migrations_current')).toBe(1);
    expect(
      value(samples, 'refund_desk_provider_calls_total', {
        provider: 'frontpayment',
        operation: 'refund',
        outcome: 'server_error',
      }),
    ).toBe(1);
    expect(
      value(samples, 'refund_desk_provider_calls_total', { provider: 'forage', operation: 'token', outcome: 'success' }),
    ).toBeGreaterThanOrEqual(1);
    expect(value(samples, 'refund_desk_webhook_deliveries_total', { provider: 'forage', result: 'accepted' })).toBe(1);
  });

  it('when the database does not answer: still 200, database_up 0, and the database gauges absent rather than stale', async () => {
    vi.stubEnv('METRICS_TOKEN', TOKEN);
    database.state = 'down';
    try {
      const { samples } = await scraped();
      expect(value(samples, 'refund_desk_database_up')).toBe(0);
      for (const name of [
        'refund_desk_refunds',
        'refund_desk_refunds_outcome_unknown',
        'refund_desk_approvals_waiting',
        'refund_desk_jobs',
      ])
        expect(samples.has(name), name).toBe(false);
      expect(samples.has('refund_desk_provider_calls_total')).toBe(true);
    } finally {
      database.state = 'up';
    }
  });
});

describe('the counters move', () => {
  const calls = async (labels: Record<string, string>) =>
    value((await scraped()).samples, 'refund_desk_provider_calls_total', labels);
  const histogramCount = async (labels: Record<string, string>) =>
    value((await scraped()).samples, 'refund_desk_provider_call_duration_seconds_count', labels);

  it('on every provider call, by provider, operation and outcome, with its duration', async () => {
    vi.stubEnv('METRICS_TOKEN', TOKEN);
    const metric = { provider: 'forage', operation: 'read_order' };
    const send = (fetchImpl: typeof fetch, timeoutMs = 1_000) =>
      httpCall({ method: 'GET', url: 'http://provider.test/x', timeoutMs, metric }, fetchImpl);
    const before = {
      success: await calls({ ...metric, outcome: 'success' }),
      client: await calls({ ...metric, outcome: 'client_error' }),
      server: await calls({ ...metric, outcome: 'server_error' }),
      timeout: await calls({ ...metric, outcome: 'timeout' }),
      network: await calls({ ...metric, outcome: 'network_error' }),
      observed: await histogramCount(metric),
    };
    await send(async () => new Response('{}', { status: 200 }));
    await send(async () => new Response('{}', { status: 404 }));
    await send(async () => new Response('{}', { status: 503 }));
    await send(async () => {
      throw new TypeError('fetch failed', { cause: new Error('ECONNREFUSED') });
    });
    await send(
      (_url, init) => new Promise((_, reject) => init!.signal!.addEventListener('abort', () => reject(init!.signal!.reason))),
      20,
    );
    // Unlabelled calls (the providers:check command) are not counted.
    await httpCall({ method: 'GET', url: 'http://provider.test/x', timeoutMs: 100 }, async () => new Response('{}'));

    expect(await calls({ ...metric, outcome: 'success' })).toBe(before.success + 1);
    expect(await calls({ ...metric, outcome: 'client_error' })).toBe(before.client + 1);
    expect(await calls({ ...metric, outcome: 'server_error' })).toBe(before.server + 1);
    expect(await calls({ ...metric, outcome: 'network_error' })).toBe(before.network + 1);
    expect(await calls({ ...metric, outcome: 'timeout' })).toBe(before.timeout + 1);
    expect(await histogramCount(metric)).toBe(before.observed + 5);
  });

  it('on every webhook delivery: accepted, duplicate, refused with its reason; an unknown provider is one series', async () => {
    vi.stubEnv('METRICS_TOKEN', TOKEN);
    const deliveries = async (labels: Record<string, string>) =>
      value((await scraped()).samples, 'refund_desk_webhook_deliveries_total', labels);
    const before = {
      accepted: await deliveries({ provider: 'forage', result: 'accepted' }),
      duplicate: await deliveries({ provider: 'forage', result: 'duplicate' }),
      badSignature: await deliveries({ provider: 'forage', result: 'refused', reason: 'bad_signature' }),
      unknown: await deliveries({ provider: 'unknown', result: 'refused', reason: 'unknown_provider' }),
    };
    const event = forageEvent();
    expect((await forageDelivery(event)).status).toBe(200);
    expect((await forageDelivery(event)).status).toBe(200);
    expect((await forageDelivery(forageEvent(), 'not-the-secret')).status).toBe(401);
    for (const name of ['paypal', 'x'.repeat(200)])
      expect(
        (await handleWebhook(name, new Request(`http://localhost/api/webhooks/${name}`, { method: 'POST', body: '{}' }))).status,
      ).toBe(404);

    expect(await deliveries({ provider: 'forage', result: 'accepted' })).toBe(before.accepted + 1);
    expect(await deliveries({ provider: 'forage', result: 'duplicate' })).toBe(before.duplicate + 1);
    expect(await deliveries({ provider: 'forage', result: 'refused', reason: 'bad_signature' })).toBe(before.badSignature + 1);
    expect(await deliveries({ provider: 'unknown', result: 'refused', reason: 'unknown_provider' })).toBe(before.unknown + 2);
    const providers = new Set(
      (await scraped()).samples.get('refund_desk_webhook_deliveries_total')!.map((s) => s.labels.provider),
    );
    expect([...providers].sort()).toEqual(['forage', 'unknown']);
  });
});

describe('readiness (the database stood in for)', () => {
  it('a database that never answers makes it not ready within the probe’s 2 s, saying nothing more', async () => {
    database.state = 'hanging';
    try {
      const started = Date.now();
      const response = await readyRoute();
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({ status: 'not_ready' });
      expect(Date.now() - started).toBeLessThan(4_000);
    } finally {
      database.state = 'up';
    }
    const response = await readyRoute();
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ready' });
  });

  it('a provider outage does not make it not ready (it shows in refund_desk_provider_up only)', async () => {
    vi.stubEnv('METRICS_TOKEN', TOKEN);
    expect((await readyRoute()).status).toBe(200);
    expect(value((await scraped()).samples, 'refund_desk_provider_up', { provider: 'frontpayment' })).toBe(0);
  });
});
