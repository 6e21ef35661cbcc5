import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db, DbHandle } from '@/db';
import { getOrder, listOrderLines } from '@/db/queries/orders';
import { insertRefundLimits } from '@/db/queries/settings';
import { SYSTEM_CONTEXT } from '@/lib/audit';
import { importOrder } from '@/lib/orders/import';
import { registerProvider } from '@/lib/providers/registry';
import type { ProviderClient } from '@/lib/providers/types';
import { sandboxConfig } from '@/sandbox/config';
import { startSandbox, type Sandbox } from '@/sandbox/server';
import { createFakepayClient } from '@/test/providers/fakepay/client';
import { fakepayProfile } from '@/test/providers/fakepay/profile';
import { fakepayModule } from '@/test/providers/fakepay/sandbox';
import { providerRefundsOf, refundRow, seededPglite, submissionsOf, userId } from '@/test/refunds';
import { listProviderChecks } from '@/db/queries/submissions';
import type { ClientFor } from './pipeline';
import { pollRefund, reconcileRefund } from './reconcile';
import { submitApprovedRefund } from './pipeline';
import { createRefund } from './service';

/**
 * A third provider, added the way the README says: its own folder (test/providers/fakepay: a
 * profile, a client and a sandbox module), one registry entry, and the sandbox module. Then an
 * order of it is imported and refunded end to end through the same services as Forage and
 * Frontpayment — including an answer lost after the provider applied the refund.
 */

let handle: DbHandle;
let db: Db;
let sandbox: Sandbox;
let client: ProviderClient;
let clientFor: ClientFor;
let orderId: string;

const control = async <T>(path: string, body?: unknown) => {
  const response = await fetch(`${sandbox.url}/__control/${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return (await response.json()) as T;
};
const refundsAtFakepay = async () =>
  (await control<{ refunds: { refund_id: string; status: string }[] }>('fakepay/refunds')).refunds;
const posts = () => sandbox.deps.requests.filter((r) => r.provider === 'fakepay' && r.operation === 'refund').length;

beforeAll(async () => {
  registerProvider(fakepayProfile);
  sandbox = await startSandbox(sandboxConfig({ port: 0, host: '127.0.0.1', settleMode: 'manual', appUrl: null }), [
    fakepayModule,
  ]);
  client = createFakepayClient(sandbox.url);
  clientFor = (provider) => {
    if (provider !== fakepayProfile.id) throw new Error(`no client for ${provider} in this test`);
    return client;
  };
  handle = await seededPglite();
  db = handle.db;
  // A new currency has no limits until an admin sets them (until then a manager decides every refund).
  await insertRefundLimits(db, [{ userId: null, currency: 'EUR', approvalThresholdMinor: 500_00 }]);
  const imported = await importOrder(db, client, SYSTEM_CONTEXT, 'FAKE-1');
  orderId = imported.orderId;
});
afterAll(async () => {
  await sandbox?.close();
  await handle?.close();
});

async function refundOfCups(amountMinor: number) {
  const lines = await listOrderLines(db, orderId);
  const cups = lines.find((l) => l.providerLineId === 'L2')!;
  return createRefund(db, { id: await userId(db) }, SYSTEM_CONTEXT, {
    orderId,
    requestKey: crypto.randomUUID(),
    lines: [{ orderLineId: cups.id, quantity: amountMinor / 900, amountMinor, reason: 'damaged' }],
    confirmedTotalMinor: amountMinor,
  });
}

describe('a third provider, Fakepay', () => {
  it('is imported like any order: its prefix, its status map, its lines and payment', async () => {
    const found = await getOrder(db, orderId);
    expect(found!.order).toMatchObject({ provider: 'fakepay', orderNumber: 'FK-FAKE-1', status: 'paid', currency: 'EUR' });
    expect(found!.payments).toMatchObject([{ providerPaymentRef: 'PAY-1', amountMinor: 8600 }]);
    const lines = await listOrderLines(db, orderId);
    expect(lines.map((l) => [l.providerLineId, l.unitPriceMinor, l.quantity])).toEqual([
      ['L1', 2500, 2],
      ['L2', 900, 4],
    ]);
  });

  it('refunds end to end: approved by the rules, sent once, processing, then succeeded when the money moved', async () => {
    const created = await refundOfCups(1800);
    expect(created.status).toBe('approved');
    expect(await submitApprovedRefund(db, created.refundId, clientFor)).toBe('processing');
    expect(await providerRefundsOf(db, created.refundId)).toMatchObject([
      { provider: 'fakepay', amountMinor: 1800, status: 'processing' },
    ]);

    await control('settle', {});
    await pollRefund(db, created.refundId, clientFor);
    expect((await refundRow(db, created.refundId)).status).toBe('succeeded');
    expect(await submissionsOf(db, created.refundId)).toMatchObject([{ attempt: 1, outcome: 'accepted', responseStatus: 201 }]);
  });

  it('an answer lost after Fakepay applied it: unknown, retried with the same key, applied once', async () => {
    const before = posts();
    await control('faults', { provider: 'fakepay', operation: 'refund', mode: 'error_after' });
    const created = await refundOfCups(900);
    expect(await submitApprovedRefund(db, created.refundId, clientFor)).toBe('outcome_unknown');

    // The reconcile job's work: Fakepay honours keys, so the same request again, with the same key.
    await reconcileRefund(db, created.refundId, clientFor);
    expect((await refundRow(db, created.refundId)).status).toBe('processing');
    expect(posts()).toBe(before + 2);
    expect((await refundsAtFakepay()).filter((r) => r.refund_id === created.refundId)).toHaveLength(1);

    // The first answer stays what it was; the retry and the conclusion are records of their own.
    expect(await submissionsOf(db, created.refundId)).toMatchObject([
      { attempt: 1, outcome: 'unknown', responseStatus: 500 },
      { attempt: 2, outcome: 'accepted', responseStatus: 201 },
    ]);
    const checks = await listProviderChecks(db, created.refundId);
    expect(checks.map((c) => c.kind)).toEqual(['conclusion']);
    expect(checks[0]!.finding).toMatch(/applied once/);
  });
});
