import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Db, DbHandle } from '@/db';
import { refunds } from '@/db/schema';
import { approveRefund, linesDigest } from '@/lib/approvals/service';
import { SYSTEM_CONTEXT } from '@/lib/audit';
import { RetryLater } from '@/lib/jobs/worker';
import { refundBlocker } from './blockers';
import { submitApprovedRefund, UNKNOWN_OUTCOME_TEXT } from './pipeline';
import { pollRefund, reconcileRefund, recoverStuckSubmissions } from './reconcile';
import { transition } from './lifecycle';
import { resolveByHand } from './resolve';
import { createRefund } from './service';
import {
  ageSubmission,
  ago,
  claimAndWriteDown,
  drainJobs,
  FORAGE_MAX_RETRIES,
  forageRefundsAt,
  frontpaymentOrderAt,
  HANG_MS,
  lineFigures,
  liveJobs,
  orderByNumber,
  refundInput,
  refundRow,
  seededPglite,
  startProviders,
  submissionsOf,
  userId,
  type Providers,
} from '@/test/refunds';

/**
 * Faults between Refund Desk and the providers (PRODUCT.md §3 "Unknown outcomes"): answers lost
 * after the money moved, servers failing before it did, and the app dying mid-submission. In every
 * case exactly one refund exists at the provider and the final state here matches it.
 */

let handle: DbHandle;
let db: Db;
let p: Providers;
let agent: { id: string };

beforeAll(async () => {
  [handle, p] = await Promise.all([seededPglite(), startProviders()]);
  db = handle.db;
  agent = { id: await userId(db) };
});
afterEach(() => p.control('faults', undefined, 'DELETE'));
afterAll(async () => {
  await p?.close();
  await handle?.close();
});

const create = (input: Parameters<typeof createRefund>[3]) => createRefund(db, agent, SYSTEM_CONTEXT, input);
const fault = (provider: 'forage' | 'frontpayment', mode: string, times = 1) =>
  p.control('faults', { provider, operation: 'refund', mode, latencyMs: HANG_MS, times });
const ALL = FORAGE_MAX_RETRIES + 1; // a fault on every attempt of the Forage client
const refOf = async (orderNumber: string) => (await orderByNumber(db, orderNumber)).providerRef;
async function settleAndPoll(refundId: string) {
  await p.control('settle', {});
  await pollRefund(db, refundId, p.clientFor);
  return (await refundRow(db, refundId)).status;
}
const ours = async (orderRef: string, refundId: string) =>
  (await forageRefundsAt(p, orderRef)).filter((r) => r.metadata.refund_id === refundId);

describe('Forage: the same Idempotency-Key makes retries safe', () => {
  const cases = [
    { mode: 'error_after', times: 1, order: 'RD-100013', line: '0412345000346', amount: 149 },
    { mode: 'hang_after', times: 1, order: 'RD-100019', line: '0412345000261', amount: 399 },
    // Every attempt of the client fails: outcome_unknown, resolved by the reconciler's retry.
    { mode: 'error_after', times: ALL, order: 'RD-100024', line: '0412345000117', amount: 899 },
    { mode: 'hang_after', times: ALL, order: 'RD-100026', line: '0412345000094', amount: 549 },
  ];
  it.each(cases)('$mode ×$times on $order → one refund at Forage, succeeded after settling', async (c) => {
    await fault('forage', c.mode, c.times);
    const posts = (await p.refundPosts('forage')).length;
    const { refundId } = await create(await refundInput(db, c.order, [{ line: c.line, amount: c.amount }]));
    const status = await submitApprovedRefund(db, refundId, p.clientFor);

    if (c.times === 1) {
      // The client's own retry got Forage's original answer back.
      expect(status).toBe('processing');
      expect(await submissionsOf(db, refundId)).toMatchObject([{ attempt: 1, outcome: 'accepted', responseStatus: 201 }]);
    } else {
      expect(status).toBe('outcome_unknown');
      expect(await refundRow(db, refundId)).toMatchObject({
        statusReason: UNKNOWN_OUTCOME_TEXT[c.mode === 'error_after' ? 'server_error' : 'timeout'],
        providerErrorCode: c.mode === 'error_after' ? 'server_error' : 'timeout',
      });
      expect(await liveJobs(db, refundId)).toContain('refund.reconcile');
      await reconcileRefund(db, refundId, p.clientFor);
      expect((await refundRow(db, refundId)).status).toBe('processing');
      const attempts = await submissionsOf(db, refundId);
      expect(attempts.map((s) => [s.attempt, s.outcome])).toEqual([
        [1, 'unknown'],
        [2, 'accepted'],
      ]);
      expect(attempts[1]!.idempotencyKey).toBe(attempts[0]!.idempotencyKey);
    }
    // Every attempt reached Forage (the faulted ones, then one more), yet Forage made one refund.
    expect(await p.refundPosts('forage')).toHaveLength(posts + c.times + 1);
    expect(await ours(await refOf(c.order), refundId)).toMatchObject([{ cents: c.amount }]);

    expect(await settleAndPoll(refundId)).toBe('succeeded');
    expect((await lineFigures(db, c.order, c.line)).line).toMatchObject({ refundedMinor: c.amount, reservedMinor: 0 });
  });
});

describe('Forage: past the Idempotency-Key lifetime, look before sending', () => {
  const KEY_TTL_MS = 800; // the sandbox forgets keys this fast here; our side is told it is 12 minutes later
  beforeAll(() => p.control('config', { forage: { idempotencyTtlMs: KEY_TTL_MS } }));
  afterAll(() => p.control('config', { forage: { idempotencyTtlMs: 10 * 60_000 } }));

  it('applied at Forage, retried in vain, then found among the order’s refunds: never sent a second time', async () => {
    await fault('forage', 'error_after', ALL);
    const { refundId } = await create(await refundInput(db, 'RD-100034', [{ line: '0412345000148', amount: 119 }]));
    const sentAt = Date.now();
    expect(await submitApprovedRefund(db, refundId, p.clientFor)).toBe('outcome_unknown');
    // Nine minutes after the first send Forage is down; the reconciler retries with the same key, in vain.
    await ageSubmission(db, refundId, 9 * 60_000, 1);
    await fault('forage', 'error_before', ALL);
    await expect(reconcileRefund(db, refundId, p.clientFor)).rejects.toBeInstanceOf(RetryLater);

    // Twelve minutes after the first send: the key is gone at Forage, whatever the last retry's time.
    await ageSubmission(db, refundId, 12 * 60_000, 1);
    await ageSubmission(db, refundId, 3 * 60_000, 2);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, sentAt + KEY_TTL_MS + 100 - Date.now())));
    const posts = (await p.refundPosts('forage')).length;
    await reconcileRefund(db, refundId, p.clientFor);
    expect((await refundRow(db, refundId)).status).toBe('processing');
    expect(await p.refundPosts('forage')).toHaveLength(posts);
    expect(await ours('68l2krnfrv', refundId)).toMatchObject([{ cents: 119 }]);
    expect(await settleAndPoll(refundId)).toBe('succeeded');
  });

  it('never applied at Forage → failed, the money free again, nothing sent again', async () => {
    await fault('forage', 'error_before', ALL);
    const { refundId } = await create(await refundInput(db, 'RD-100034', [{ line: '0412345000179', amount: 149 }]));
    expect(await submitApprovedRefund(db, refundId, p.clientFor)).toBe('outcome_unknown');
    await ageSubmission(db, refundId, 11 * 60_000, 1);
    const posts = (await p.refundPosts('forage')).length;
    await reconcileRefund(db, refundId, p.clientFor);
    expect(await refundRow(db, refundId)).toMatchObject({ status: 'failed', providerErrorCode: 'not_found_at_provider' });
    expect(await p.refundPosts('forage')).toHaveLength(posts);
    expect(await ours('68l2krnfrv', refundId)).toEqual([]);
    expect((await lineFigures(db, 'RD-100034', '0412345000179')).line).toMatchObject({ reservedMinor: 0, refundableMinor: 149 });
  });
});

describe('Frontpayment: no idempotency key, so never re-sent', () => {
  const cases = [
    { mode: 'error_after', code: 'server_error', order: 'RD-100031', line: '5443', other: '5444', amount: 19900 },
    { mode: 'hang_after', code: 'timeout', order: 'RD-100036', line: '5453', other: '5454', amount: 49900 },
  ];
  it.each(cases)('$mode → outcome_unknown, order blocked, reconciled from refundedAmount after settling', async (c) => {
    await fault('frontpayment', c.mode);
    const posts = (await p.refundPosts('frontpayment')).length;
    const { refundId } = await create(await refundInput(db, c.order, [{ line: c.line, amount: c.amount }]));
    expect(await submitApprovedRefund(db, refundId, p.clientFor)).toBe('outcome_unknown');
    expect(await refundRow(db, refundId)).toMatchObject({
      statusReason: UNKNOWN_OUTCOME_TEXT[c.code as keyof typeof UNKNOWN_OUTCOME_TEXT],
      providerErrorCode: c.code,
    });
    expect(await submissionsOf(db, refundId)).toMatchObject([{ outcome: 'unknown', baselineRefundedMinor: 0 }]);
    expect(await liveJobs(db, refundId)).toContain('refund.reconcile');

    // No new refund on this order while we do not know what the last one did.
    const other = await refundInput(db, c.order, [{ line: c.other, amount: 1000 }]);
    await expect(create(other)).rejects.toThrow(/unknown outcome/);

    // Applied at Frontpayment but not settled: refundedAmount has not moved, so it is too early to tell.
    await expect(reconcileRefund(db, refundId, p.clientFor)).rejects.toBeInstanceOf(RetryLater);
    expect((await refundRow(db, refundId)).status).toBe('outcome_unknown');

    await p.control('settle', { provider: 'frontpayment' });
    await reconcileRefund(db, refundId, p.clientFor);
    expect((await refundRow(db, refundId)).status).toBe('succeeded');
    expect(await p.refundPosts('frontpayment')).toHaveLength(posts + 1);
    const at = await frontpaymentOrderAt(p, await refOf(c.order));
    expect(at.refunds.filter((r) => r.via === 'api')).toMatchObject([{ state: 'applied', totalMinor: c.amount }]);
    expect((await lineFigures(db, c.order, c.line)).line).toMatchObject({ refundedMinor: c.amount, reservedMinor: 0 });
    expect(await refundBlocker(db, await orderByNumber(db, c.order))).toBeNull();
  });

  it('error_before → outcome_unknown for as long as the figures prove nothing; a manager settles it by hand, and the money is free again', async () => {
    await fault('frontpayment', 'error_before');
    const posts = (await p.refundPosts('frontpayment')).length;
    const { refundId } = await create(await refundInput(db, 'RD-100022', [{ line: '5426', amount: 19900 }]));
    expect(await submitApprovedRefund(db, refundId, p.clientFor)).toBe('outcome_unknown');
    const baseline = (await frontpaymentOrderAt(p, 'ODR1700000022')).refundedMinor;

    await expect(reconcileRefund(db, refundId, p.clientFor)).rejects.toBeInstanceOf(RetryLater);
    await p.control('settle', { provider: 'frontpayment' });
    // A day later refundedAmount still has not grown: no timer concludes that it never will
    // (frontpayment.md errata 7), and the order stays closed to new refunds.
    await ageSubmission(db, refundId, 24 * 60 * 60_000);
    await expect(reconcileRefund(db, refundId, p.clientFor)).rejects.toBeInstanceOf(RetryLater);
    expect((await refundRow(db, refundId)).status).toBe('outcome_unknown');
    expect(await refundBlocker(db, await orderByNumber(db, 'RD-100022'))).toMatch(/unknown outcome/);
    expect((await lineFigures(db, 'RD-100022', '5426')).line).toMatchObject({ reservedMinor: 19900 });

    // The requester cannot settle it; another manager can, with a note.
    await expect(
      resolveByHand(db, agent, SYSTEM_CONTEXT, { refundId, outcome: 'not_applied', note: 'Not in the portal.' }),
    ).rejects.toMatchObject({ code: 'own_request' });
    const manager = { id: await userId(db, 'manager@refund-desk.test') };
    await resolveByHand(db, manager, SYSTEM_CONTEXT, { refundId, outcome: 'not_applied', note: 'Not in the portal.' });

    const refund = await refundRow(db, refundId);
    expect(refund).toMatchObject({ status: 'failed', providerErrorCode: 'resolved_not_applied' });
    expect(refund.statusReason).toMatch(/no money moved\. Not in the portal\./);
    expect(await p.refundPosts('frontpayment')).toHaveLength(posts + 1);
    const at = await frontpaymentOrderAt(p, 'ODR1700000022');
    expect(at.refundedMinor).toBe(baseline);
    expect(at.refunds.filter((r) => r.via === 'api')).toEqual([]);
    expect((await lineFigures(db, 'RD-100022', '5426')).line).toMatchObject({ reservedMinor: 0, refundableMinor: 19900 });
  });
});

describe('one refund in flight per Frontpayment order', () => {
  it('a request approved while another is unknown waits, so one refund’s settling never vouches for the other', async () => {
    // A large request waits for a manager (it holds money but is not in flight) …
    const large = await create(await refundInput(db, 'RD-100028', [{ line: '5435', amount: 250000 }]));
    expect(large.status).toBe('pending_approval');
    // … while a small one is sent and its answer is lost before Frontpayment applied it.
    await fault('frontpayment', 'error_before');
    const small = await create(await refundInput(db, 'RD-100028', [{ line: '5436', amount: 10000 }]));
    expect(await submitApprovedRefund(db, small.refundId, p.clientFor)).toBe('outcome_unknown');
    const posts = (await p.refundPosts('frontpayment')).length;

    const manager = { id: await userId(db, 'manager@refund-desk.test') };
    await approveRefund(db, manager, SYSTEM_CONTEXT, {
      refundId: large.refundId,
      linesDigest: await linesDigest(db, large.refundId),
    });
    // Sending it now would make refundedAmount grow by 2 500 kr, which reconciling the small one would read as its own.
    await expect(submitApprovedRefund(db, large.refundId, p.clientFor)).rejects.toBeInstanceOf(RetryLater);
    expect((await refundRow(db, large.refundId)).status).toBe('approved');
    expect(await p.refundPosts('frontpayment')).toHaveLength(posts);

    // Nothing proves the small one's outcome; a manager settles it by hand before the large one goes.
    await expect(reconcileRefund(db, small.refundId, p.clientFor)).rejects.toBeInstanceOf(RetryLater);
    expect((await refundRow(db, small.refundId)).status).toBe('outcome_unknown');
    await resolveByHand(db, manager, SYSTEM_CONTEXT, {
      refundId: small.refundId,
      outcome: 'not_applied',
      note: 'Checked with Frontpayment.',
    });
    expect((await refundRow(db, small.refundId)).status).toBe('failed');

    expect(await submitApprovedRefund(db, large.refundId, p.clientFor)).toBe('processing');
    expect(await settleAndPoll(large.refundId)).toBe('succeeded');
    expect((await frontpaymentOrderAt(p, 'ODR1700000028')).refunds.filter((r) => r.via === 'api')).toMatchObject([
      { state: 'applied', totalMinor: 250000 },
    ]);
  });
});

describe('the app dies mid-submission', () => {
  it('Forage, after the submission row and before the call → outcome_unknown, reconciled with one refund at Forage', async () => {
    const posts = (await p.refundPosts('forage')).length;
    const { refundId } = await create(await refundInput(db, 'RD-100005', [{ line: '0412345000124', amount: 599 }]));
    await claimAndWriteDown(db, p, refundId);

    expect(await recoverStuckSubmissions(db, 0)).toBe(1);
    expect((await refundRow(db, refundId)).status).toBe('outcome_unknown');
    expect(await submissionsOf(db, refundId)).toMatchObject([{ outcome: 'unknown', errorCode: 'interrupted' }]);
    expect(await liveJobs(db, refundId)).toContain('refund.reconcile');
    expect(await p.refundPosts('forage')).toHaveLength(posts);

    await drainJobs(db, p.clientFor);
    expect((await refundRow(db, refundId)).status).toBe('processing');
    expect(await p.refundPosts('forage')).toHaveLength(posts + 1);
    expect(await ours('qa7frrxhwd', refundId)).toMatchObject([{ cents: 599 }]);
    expect(await settleAndPoll(refundId)).toBe('succeeded');
  });

  it('Forage, after the claim and before the submission row → approved again, resubmitted once', async () => {
    const posts = (await p.refundPosts('forage')).length;
    const { refundId } = await create(await refundInput(db, 'RD-100017', [{ line: '0412345000384', amount: 699 }]));
    await db.transaction((tx) => transition(tx, SYSTEM_CONTEXT, { refundId, from: 'approved', to: 'submitting', by: 'sender' }));
    await db
      .update(refunds)
      .set({ updatedAt: ago(5 * 60_000) })
      .where(eq(refunds.id, refundId));
    // The queued submit job runs meanwhile and finds the refund taken: nothing is sent.
    await drainJobs(db, p.clientFor);
    expect(await liveJobs(db, refundId)).toEqual([]);

    expect(await recoverStuckSubmissions(db, 0)).toBe(1);
    expect((await refundRow(db, refundId)).status).toBe('approved');
    expect(await liveJobs(db, refundId)).toEqual(['refund.submit']);

    await drainJobs(db, p.clientFor);
    expect((await refundRow(db, refundId)).status).toBe('processing');
    expect(await p.refundPosts('forage')).toHaveLength(posts + 1);
    expect(await submissionsOf(db, refundId)).toMatchObject([{ attempt: 1, outcome: 'accepted' }]);
    expect(await ours('xtcof1mlr8', refundId)).toMatchObject([{ cents: 699 }]);
    expect(await settleAndPoll(refundId)).toBe('succeeded');
  });

  it('Frontpayment, after the call and before its answer was written → reconciled from refundedAmount, never re-sent', async () => {
    const posts = (await p.refundPosts('frontpayment')).length;
    const { refundId } = await create(await refundInput(db, 'RD-100018', [{ line: '5422', amount: 19900 }]));
    const request = await claimAndWriteDown(db, p, refundId);
    expect((await p.clientFor('frontpayment').submitRefund(request)).kind).toBe('accepted'); // …and the process dies here.

    expect(await recoverStuckSubmissions(db, 0)).toBe(1);
    expect((await refundRow(db, refundId)).status).toBe('outcome_unknown');
    await drainJobs(db, p.clientFor); // the reconcile job: not settled yet, so it waits
    expect((await refundRow(db, refundId)).status).toBe('outcome_unknown');

    await p.control('settle', { provider: 'frontpayment' });
    await reconcileRefund(db, refundId, p.clientFor);
    expect((await refundRow(db, refundId)).status).toBe('succeeded');
    expect(await p.refundPosts('frontpayment')).toHaveLength(posts + 1);
    expect((await frontpaymentOrderAt(p, 'ODR1700000018')).refunds).toMatchObject([{ state: 'applied', totalMinor: 19900 }]);
  });
});
