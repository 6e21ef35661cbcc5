import { createHash, createHmac, randomUUID } from 'node:crypto';
import { count } from 'drizzle-orm';
import type { DbHandle } from '@/db';
import { jobs, webhookEvents } from '@/db/schema';
import { SANDBOX_DEFAULTS } from '@/lib/providers/config';
import { checksumInput, DEFAULT_CHECKSUM } from '@/lib/providers/frontpayment/checksum';
import { handleWebhook } from '@/lib/webhooks/route';

/**
 * Webhook ingestion (issue #12): what app/api/webhooks/[provider]/route.ts does with a delivery —
 * handleWebhook: the per-source gate, the body read, the provider's signature check, parsing, and
 * in one transaction the inbox row (deduplicated on the provider's event id) and the queued job —
 * for correctly signed Forage webhooks and Frontpayment callbacks, a share of them repeated
 * deliveries (answered 2xx, written once). The delivery's audit event is written when it is
 * processed (lib/webhooks/ingest.ts), not here. Several deliveries are in flight at once, as a
 * server takes them; the rate is deliveries handled per second.
 */

export interface WebhookFigures {
  deliveries: number;
  duplicates: number;
  ms: number;
  perSec: number;
  /** Inbox rows and jobs written: one each per distinct delivery. */
  inboxRows: number;
  jobs: number;
}

const globalForDb = globalThis as unknown as { __refundDeskDb?: Promise<DbHandle> };

function forageDelivery(body: string, ip: string) {
  const signature = createHmac('sha256', SANDBOX_DEFAULTS.forage.webhookSecret).update(body).digest('hex');
  return () =>
    handleWebhook(
      'forage',
      new Request('http://localhost/api/webhooks/forage', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'webhook-signature': signature, 'x-forwarded-for': ip },
        body,
      }),
    );
}

function forageBody(n: number) {
  return JSON.stringify({
    ref: `bw${n.toString(36).padStart(8, '0')}`,
    type: 'REFUND_STATUS_UPDATED',
    created: new Date().toISOString(),
    data: {
      refund_ref: `rf${n.toString(36).padStart(8, '0')}`,
      order_ref: 'fg8d9e0f1a',
      payment_ref: 'sn8d9e0f1a',
      amount: '3.99',
      funding_type: 'ebt_snap',
      status: 'succeeded',
    },
  });
}

function frontpaymentUrl(n: number) {
  const params = new URLSearchParams({
    orderUuid: `ODR${createHash('md5').update(String(n)).digest('hex').slice(0, 12).toUpperCase()}`,
    status: 'REFUNDED',
    amount: '125.00',
    timestamp: String(Math.floor(Date.now() / 1000)),
  });
  const checksum = createHash('sha256')
    .update(checksumInput(params, DEFAULT_CHECKSUM) + SANDBOX_DEFAULTS.frontpayment.callbackSecret, 'utf8')
    .digest('hex');
  params.set('checksum', checksum);
  return `http://localhost/api/webhooks/frontpayment?${params.toString()}`;
}

function frontpaymentDelivery(url: string, ip: string) {
  return () => handleWebhook('frontpayment', new Request(url, { method: 'GET', headers: { 'x-forwarded-for': ip } }));
}

/**
 * `total` deliveries, half to each provider, `duplicateShare` of them repeats of an earlier one,
 * `concurrency` in flight. Sources rotate over many addresses: one source may send 600 a minute
 * (lib/webhooks/route.ts), and the gate is measured, not hit.
 */
export async function webhookFigures(
  handle: DbHandle,
  options: { total: number; duplicateShare?: number; concurrency?: number },
): Promise<WebhookFigures> {
  const { total, duplicateShare = 0.2, concurrency = 8 } = options;
  const saved = { PROVIDERS: process.env.PROVIDERS, TRUSTED_PROXY_HOPS: process.env.TRUSTED_PROXY_HOPS };
  process.env.PROVIDERS = 'sandbox';
  process.env.TRUSTED_PROXY_HOPS = '1';
  const savedDb = globalForDb.__refundDeskDb;
  // The route reads the server's database through getDb(): here, the benchmark's.
  globalForDb.__refundDeskDb = Promise.resolve(handle);
  try {
    const salt = randomUUID().slice(0, 8);
    const made: (() => Promise<Response>)[] = [];
    let duplicates = 0;
    const deliveries: (() => Promise<Response>)[] = [];
    for (let i = 0; i < total; i++) {
      const ip = `198.18.${(i >> 8) & 255}.${i & 255}`;
      if (made.length > 0 && i % Math.round(1 / duplicateShare) === 0) {
        deliveries.push(made[(i * 7919) % made.length]!);
        duplicates += 1;
        continue;
      }
      const n = Number.parseInt(salt, 16) + i;
      const delivery = i % 2 === 0 ? forageDelivery(forageBody(n), ip) : frontpaymentDelivery(frontpaymentUrl(n), ip);
      made.push(delivery);
      deliveries.push(delivery);
    }
    const [inboxBefore, jobsBefore] = await Promise.all([rows(handle, webhookEvents), rows(handle, jobs)]);
    let nextIndex = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (nextIndex < deliveries.length) {
          const response = await deliveries[nextIndex++]!();
          if (response.status !== 200) throw new Error(`webhook answered ${response.status}: ${await response.text()}`);
        }
      }),
    );
    const ms = performance.now() - started;
    const [inboxAfter, jobsAfter] = await Promise.all([rows(handle, webhookEvents), rows(handle, jobs)]);
    return {
      deliveries: total,
      duplicates,
      ms,
      perSec: total / (ms / 1000),
      inboxRows: inboxAfter - inboxBefore,
      jobs: jobsAfter - jobsBefore,
    };
  } finally {
    globalForDb.__refundDeskDb = savedDb;
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

async function rows(handle: DbHandle, table: typeof webhookEvents | typeof jobs) {
  const [row] = await handle.db.select({ n: count() }).from(table);
  return Number(row?.n ?? 0);
}
