import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createForageClient } from '@/lib/providers/forage/client';
import { ALL_IN_ORDER, LEGACY_CHECKSUM_FIELDS, type ChecksumFormula } from '@/lib/providers/frontpayment/checksum';
import { createFrontpaymentClient } from '@/lib/providers/frontpayment/client';
import type { ProviderClient, ProviderOrder, RefundRequest } from '@/lib/providers/types';
import { SANDBOX_CREDENTIALS, sandboxConfig } from '@/sandbox/config';
import { forageModule } from '@/sandbox/forage';
import { frontpaymentModule } from '@/sandbox/frontpayment';
import { PROFILE_NAMES, type ProfileName } from '@/sandbox/profiles';
import { startSandbox, type Sandbox } from '@/sandbox/server';

/**
 * The provider clients against the sandbox under EVERY profile (sandbox/profiles.ts): each kind of
 * order imports and its status reads, whatever variant of the provider's documents the sandbox
 * plays; and what each profile changes is what the client sees. The expectations below are
 * written out per profile (not read from the profile module), so a profile that stops doing
 * what its name says fails here.
 */

interface Expected {
  /** Frontpayment's status read carries refundedAmount (errata 2). */
  statusAmounts: boolean;
  /** Frontpayment order details list numeric line ids (errata 1). */
  lineIds: boolean;
  /** Reservation paymentHistory entries carry the capture uuid (errata 5). */
  historyUuids: boolean;
  /** The client formula under which the sandbox's callback checksum verifies (errata 3). */
  checksum: 'current' | 'v1' | 'v2';
  /** Forage REFUND_STATUS_UPDATED carries last_processing_error (forage errata 5). */
  webhookFailureText: boolean;
}

const base: Expected = { statusAmounts: true, lineIds: true, historyUuids: true, checksum: 'current', webhookFailureText: true };

const EXPECTED: Record<ProfileName, Expected> = {
  default: base,
  'fp-status-without-amounts': { ...base, statusAmounts: false },
  'fp-details-without-line-ids': { ...base, lineIds: false },
  'fp-history-without-uuids': { ...base, historyUuids: false },
  'fp-checksum-v1': { ...base, checksum: 'v1' },
  'fp-checksum-v2': { ...base, checksum: 'v2' },
  'forage-webhook-status-only': { ...base, webhookFailureText: false },
  'as-documented': { ...base, lineIds: false, historyUuids: false, webhookFailureText: false },
};

/** The client's own formulas (lib/providers/frontpayment/checksum.ts), not the sandbox's. */
const FORMULAS: Record<Expected['checksum'], ChecksumFormula> = {
  current: ALL_IN_ORDER,
  v1: { kind: 'fields', fields: [...LEGACY_CHECKSUM_FIELDS.original] },
  v2: { kind: 'fields', fields: [...LEGACY_CHECKSUM_FIELDS.withAmountAndTimestamp] },
};

const FORAGE_ORDER = { ref: 'fg8d9e0f1a', eggs: '0412345000032' }; // RD-100002
const FP_ORDERS = [
  { ref: 'ODR1700000031', kind: 'regular' },
  { ref: 'ODR1700000018', kind: 'invoiced' },
  { ref: 'RES1700000004', kind: 'reservation' },
] as const;

let sandbox: Sandbox;
let receiver: Server;
let receiverUrl: string;
/** Every webhook / callback the sandbox delivered to the receiver. */
const received: { url: URL; headers: IncomingHttpHeaders; body: string }[] = [];
let forage: ProviderClient;
let frontpayment: ProviderClient;
const fpWith = (checksum: ChecksumFormula) =>
  createFrontpaymentClient({
    baseUrl: `${sandbox.url}/api/v1`,
    token: SANDBOX_CREDENTIALS.frontpayment.token,
    callbackSecret: SANDBOX_CREDENTIALS.frontpayment.callbackSecret,
    checksum,
    timeoutMs: 2_000,
  });

async function control<T = Record<string, unknown>>(path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${sandbox.url}/__control/${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await response.json()) as T;
  if (!response.ok) throw new Error(`control ${path}: HTTP ${response.status} ${JSON.stringify(json)}`);
  return json;
}

beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({
        url: new URL(req.url ?? '/', receiverUrl),
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  sandbox = await startSandbox(sandboxConfig({ port: 0, host: '127.0.0.1', settleMode: 'manual', appUrl: null }), [
    forageModule,
    frontpaymentModule,
  ]);
  forage = createForageClient({ baseUrl: sandbox.url, ...SANDBOX_CREDENTIALS.forage, timeoutMs: 2_000, retryBaseDelayMs: 5 });
  frontpayment = fpWith(ALL_IN_ORDER);
});

afterAll(async () => {
  await sandbox?.close();
  await new Promise((resolve) => receiver?.close(resolve));
});

function fpRefund(order: ProviderOrder, amountMinor: number): RefundRequest {
  const refundId = randomUUID();
  const line = order.lines[0]!;
  return {
    refundId,
    idempotencyKey: `${refundId}-1`,
    providerRef: order.providerRef,
    kind: order.kind,
    currency: 'NOK',
    totalMinor: amountMinor,
    lines: [{ providerLineId: line.providerLineId, quantity: 1, amountMinor }],
    reason: 'damaged',
    mode: 'units',
    payment: order.kind === 'reservation' ? { ref: order.payments[0]!.ref, tender: order.payments[0]!.tender } : null,
  };
}

async function imported(client: ProviderClient, ref: string): Promise<ProviderOrder> {
  const result = await client.getOrder(ref);
  if (!result.ok) throw new Error(`import of ${ref} failed: ${result.code} ${result.message}`);
  return result.order;
}

const fpRefundPosts = async () =>
  (await control<{ requests: { provider: string; operation: string }[] }>('requests')).requests.filter(
    (r) => r.provider === 'frontpayment' && r.operation === 'refund',
  );

it('every profile the sandbox defines has its expectations here', () => {
  expect([...PROFILE_NAMES].sort()).toEqual(Object.keys(EXPECTED).sort());
});

describe.each(Object.entries(EXPECTED) as [ProfileName, Expected][])('sandbox profile %s', (name, expected) => {
  beforeEach(async () => {
    await control('reset', {});
    received.length = 0;
    const active = await control<{ name: string; overrides: Record<string, unknown> }>('profile', { name });
    expect(active).toMatchObject({ name, overrides: {} });
  });

  it('imports a Forage order and reads its status', async () => {
    const order = await imported(forage, FORAGE_ORDER.ref);
    expect(order).toMatchObject({ provider: 'forage', providerRef: FORAGE_ORDER.ref, kind: 'forage' });
    expect(order.lines.length).toBeGreaterThan(0);
    const status = await forage.readStatus(FORAGE_ORDER.ref);
    expect(status.ok).toBe(true);
  });

  it.each(FP_ORDERS)('imports Frontpayment $ref ($kind) and reads its status', async ({ ref, kind }) => {
    const order = await imported(frontpayment, ref);
    expect(order).toMatchObject({ provider: 'frontpayment', providerRef: ref, kind, currency: 'NOK' });
    expect(order.lines.length).toBeGreaterThan(0);
    // Reservation details document a line id (§6); order details only under the assumption.
    expect(order.lineIdsKnown ?? true).toBe(kind === 'reservation' ? true : expected.lineIds);
    const status = await frontpayment.readStatus(ref);
    if (!status.ok) throw new Error(`status read of ${ref} failed: ${status.code}`);
    expect(status.refundedMinor).toBe(expected.statusAmounts ? 0 : null);
    if (kind !== 'reservation') expect(order.refundedMinorKnown ?? true).toBe(expected.statusAmounts);
  });

  it(`a refund by line is ${expected.lineIds ? 'sent' : 'refused by the client (lineIdsUnknown)'}`, async () => {
    const order = await imported(frontpayment, 'ODR1700000031');
    const result = await frontpayment.submitRefund(fpRefund(order, 50_00));
    if (expected.lineIds) {
      expect(result.kind).toBe('accepted');
      expect(await fpRefundPosts()).toHaveLength(1);
    } else {
      expect(result).toMatchObject({ kind: 'rejected', code: 'lineIdsUnknown', retryable: false });
      expect(await fpRefundPosts()).toEqual([]);
    }
  });

  it(`a reservation refund is ${expected.historyUuids ? 'sent from the capture' : 'refused by the client (paymentReferenceUnknown)'}`, async () => {
    const order = await imported(frontpayment, 'RES1700000004');
    expect(order.payments.map((p) => p.ref)).toEqual([
      expected.historyUuids ? 'CAP700004' : expect.stringMatching(/^captured-1/),
    ]);
    const result = await frontpayment.submitRefund(fpRefund(order, 100_00));
    if (expected.historyUuids) expect(result.kind).toBe('accepted');
    else expect(result).toMatchObject({ kind: 'rejected', code: 'paymentReferenceUnknown' });
  });

  it(`a callback verifies with the ${expected.checksum} checksum formula and no other`, async () => {
    await control('config', { appUrl: receiverUrl });
    await control('frontpayment/orders/ODR1700000031/status', { status: 'PAID' });
    await control('webhooks');
    const callback = received.find((r) => r.url.pathname === '/api/webhooks/frontpayment');
    if (!callback) throw new Error('no callback delivered');
    const verdicts = Object.fromEntries(
      Object.entries(FORMULAS).map(([formula, checksum]) => [
        formula,
        fpWith(checksum).verifyWebhook({ rawBody: '', headers: new Headers(), url: callback.url }),
      ]),
    );
    for (const [formula, verdict] of Object.entries(verdicts)) {
      expect(verdict, formula).toEqual(formula === expected.checksum ? { ok: true } : { ok: false, reason: 'bad_signature' });
    }
    expect(frontpayment.parseWebhook({ rawBody: '', url: callback.url })).toMatchObject({
      orderRef: 'ODR1700000031',
      status: 'PAID',
    });
  });

  it(`a failed Forage refund's webhook ${expected.webhookFailureText ? 'carries' : 'does not carry'} the failure text`, async () => {
    await control('config', { appUrl: receiverUrl });
    await control('forage/next-outcome', { outcome: 'failed', error: 'Card issuer declined the refund.' });
    const refundId = randomUUID();
    const submitted = await forage.submitRefund({
      refundId,
      idempotencyKey: refundId.replace(/-/g, ''),
      providerRef: FORAGE_ORDER.ref,
      kind: 'forage',
      currency: 'USD',
      totalMinor: 399,
      lines: [{ providerLineId: FORAGE_ORDER.eggs, quantity: 1, amountMinor: 399 }],
      reason: 'damaged',
      metadata: { refund_id: refundId },
      mode: 'units',
      payment: null,
    });
    expect(submitted.kind).toBe('accepted');
    await control('settle', { provider: 'forage' });
    await control('webhooks');
    const failed = received
      .filter((r) => r.url.pathname === '/api/webhooks/forage')
      .map((r) => ({ r, event: forage.parseWebhook({ rawBody: r.body, url: r.url }) }))
      .find(({ event }) => event.status === 'failed');
    if (!failed) throw new Error('no failed webhook delivered');
    const headers = new Headers(failed.r.headers as Record<string, string>);
    expect(forage.verifyWebhook({ rawBody: failed.r.body, headers, url: failed.r.url })).toEqual({ ok: true });
    const data = (failed.event.raw as { data: Record<string, unknown> }).data;
    expect('last_processing_error' in data).toBe(expected.webhookFailureText);
    expect(forage.profile.interpretWebhook(failed.event.type, failed.event.raw)).toMatchObject({
      kind: 'refund_status',
      status: 'failed',
      failure: expected.webhookFailureText ? 'Card issuer declined the refund.' : null,
    });
  });
});
