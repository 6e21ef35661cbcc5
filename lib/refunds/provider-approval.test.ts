import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db, DbHandle } from '@/db';
import { SYSTEM_CONTEXT } from '@/lib/audit';
import { SafeError } from '@/lib/errors';
import { refundInput, refundRow, seededPglite, startProviders, submissionsOf, userId, type Providers } from '@/test/refunds';
import { submitApprovedRefund } from './pipeline';
import { canAskProviderApproval, requestProviderApproval } from './provider-approval';
import { pollRefund } from './reconcile';
import { createRefund } from './service';

/**
 * Frontpayment refuses refunds above its own thresholds; its approval endpoint lets a person there
 * decide (frontpayment.md §5). The refused refund stays failed — final, its money released — and
 * the approval request is a follow-up refund of the same lines, sent once.
 */

let handle: DbHandle;
let db: Db;
let p: Providers;
let agent: { id: string; role: 'agent' };
let refusedId: string;

const approvalPosts = async () =>
  (await p.allRequests()).filter((r) => r.provider === 'frontpayment' && r.operation === 'approval').length;

beforeAll(async () => {
  [handle, p] = await Promise.all([seededPglite(), startProviders()]);
  db = handle.db;
  agent = { id: await userId(db), role: 'agent' };
  await p.control('config', { frontpayment: { perRequestThresholdMinor: 10_000 } });
  const created = await createRefund(
    db,
    agent,
    SYSTEM_CONTEXT,
    await refundInput(db, 'RD-100031', [{ line: '5443', amount: 19900 }]),
  );
  refusedId = created.refundId;
  expect(await submitApprovedRefund(db, refusedId, p.clientFor)).toBe('failed');
});
afterAll(async () => {
  await p?.close();
  await handle?.close();
});

describe('asking Frontpayment to approve a refund it refused for its limits', () => {
  it('the refusal is final and offers the approval request', async () => {
    const refused = await refundRow(db, refusedId);
    expect(refused).toMatchObject({ status: 'failed', providerErrorCode: 'refundRejectionForRequestAmountThresholdExceed' });
    expect(canAskProviderApproval(refused, 'frontpayment')).toBe(true);
    expect(canAskProviderApproval({ ...refused, providerErrorCode: 'orderNotFound' }, 'frontpayment')).toBe(false);
    expect(canAskProviderApproval(refused, 'forage')).toBe(false);
  });

  it('may be asked by the requester or a manager, not by another agent', async () => {
    const otherAgent = { id: await userId(db, 'agent2@refund-desk.test'), role: 'agent' as const };
    await expect(requestProviderApproval(db, otherAgent, SYSTEM_CONTEXT, refusedId, p.clientFor)).rejects.toMatchObject({
      code: 'forbidden',
    });
    expect(await approvalPosts()).toBe(0);
  });

  it('sends a follow-up of the same lines to the approval endpoint, once; the refused refund stays failed', async () => {
    const first = await requestProviderApproval(db, agent, SYSTEM_CONTEXT, refusedId, p.clientFor);
    expect(first.status).toBe('processing');
    expect(first.refundId).not.toBe(refusedId);
    expect(await refundRow(db, first.refundId)).toMatchObject({
      followUpOf: refusedId,
      amountMinor: 19900,
      requestedBy: agent.id,
    });
    expect((await refundRow(db, refusedId)).status).toBe('failed');

    const [attempt] = await submissionsOf(db, first.refundId);
    expect(attempt).toMatchObject({ attempt: 1, outcome: 'accepted' });
    expect(attempt!.requestBody).toMatchObject({ approvalFor: 'refundRejectionForRequestAmountThresholdExceed' });
    expect((attempt!.responseBody as { url: string }).url).toMatch(/\/orders\/refund\/request\/approval\/ODR1700000031$/);

    // A second click (or a second tab) finds the follow-up: nothing is sent again.
    const again = await requestProviderApproval(db, agent, SYSTEM_CONTEXT, refusedId, p.clientFor);
    expect(again.refundId).toBe(first.refundId);
    expect(await approvalPosts()).toBe(1);
  });

  it('settles when Frontpayment approves and the order’s refunded total grows', async () => {
    const followUp = (await requestProviderApproval(db, agent, SYSTEM_CONTEXT, refusedId, p.clientFor)).refundId;
    await pollRefund(db, followUp, p.clientFor).catch(() => undefined); // still waiting for a person
    expect((await refundRow(db, followUp)).status).toBe('processing');
    await p.control('frontpayment/approvals/ODR1700000031', { decision: 'approve' });
    await pollRefund(db, followUp, p.clientFor);
    expect((await refundRow(db, followUp)).status).toBe('succeeded');
  });

  it('refuses a refund that was not refused for the provider’s limits', async () => {
    const other = await createRefund(
      db,
      agent,
      SYSTEM_CONTEXT,
      await refundInput(db, 'RD-100031', [{ line: '5442', amount: 8990 }]),
    );
    await expect(requestProviderApproval(db, agent, SYSTEM_CONTEXT, other.refundId, p.clientFor)).rejects.toMatchObject({
      code: 'not_eligible',
    });
    await expect(requestProviderApproval(db, agent, SYSTEM_CONTEXT, other.refundId, p.clientFor)).rejects.toBeInstanceOf(
      SafeError,
    );
  });
});
