import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db, DbHandle } from '@/db';
import { jobs } from '@/db/schema';
import { listProviderChecks } from '@/db/queries/submissions';
import { SYSTEM_CONTEXT } from '@/lib/audit';
import {
  liveJobs,
  providerRefundsOf,
  refundInput,
  refundRow,
  seededPglite,
  startProviders,
  userId,
  type Providers,
} from '@/test/refunds';
import { submitApprovedRefund } from './pipeline';
import { requeueUnfollowedRefunds } from './reconcile';
import { resolveByHand } from './resolve';
import { createRefund } from './service';

/**
 * Settling by hand what the provider's figures cannot prove: four eyes, a note, a conclusion on the
 * record, and only for refunds whose outcome is open.
 */

let handle: DbHandle;
let db: Db;
let p: Providers;
let agent: { id: string };
let manager: { id: string };

/** A Frontpayment refund whose answer was a 500 before anything was applied: outcome unknown. */
async function unknownRefund(order: string, line: string, amount: number) {
  await p.control('faults', { provider: 'frontpayment', operation: 'refund', mode: 'error_before' });
  const { refundId } = await createRefund(db, agent, SYSTEM_CONTEXT, await refundInput(db, order, [{ line, amount }]));
  expect(await submitApprovedRefund(db, refundId, p.clientFor)).toBe('outcome_unknown');
  return refundId;
}

beforeAll(async () => {
  [handle, p] = await Promise.all([seededPglite(), startProviders()]);
  db = handle.db;
  agent = { id: await userId(db) };
  manager = { id: await userId(db, 'manager@refund-desk.test') };
});
afterAll(async () => {
  await p?.close();
  await handle?.close();
});

describe('an open outcome is followed however long it takes', () => {
  it('a reconcile job whose attempts ran out is queued again by the sweep, once', async () => {
    const refundId = await unknownRefund('RD-100018', '5424', 9900);
    const reconciles = async () => (await liveJobs(db, refundId)).filter((kind) => kind === 'refund.reconcile');
    expect(await reconciles()).toEqual(['refund.reconcile']);
    await db
      .update(jobs)
      .set({ status: 'failed' })
      .where(sql`${jobs.payload} ->> 'refundId' = ${refundId} and ${jobs.kind} = 'refund.reconcile'`);
    expect(await reconciles()).toEqual([]);
    expect(await requeueUnfollowedRefunds(db)).toBeGreaterThanOrEqual(1);
    expect(await reconciles()).toEqual(['refund.reconcile']);
    expect(await requeueUnfollowedRefunds(db)).toBe(0);
    expect(await reconciles()).toEqual(['refund.reconcile']);
  });
});

describe('settling a refund by hand', () => {
  it('as applied: refunded, with a provider refund row, the conclusion and the audit event carrying the note', async () => {
    const refundId = await unknownRefund('RD-100031', '5443', 19900);
    expect(await providerRefundsOf(db, refundId)).toEqual([]);
    const resolved = await resolveByHand(db, manager, SYSTEM_CONTEXT, {
      refundId,
      outcome: 'applied',
      note: 'Shown as refunded in the Frontpayment portal on 27 Nov.',
    });
    expect(resolved.status).toBe('succeeded');
    expect(await refundRow(db, refundId)).toMatchObject({ status: 'succeeded', statusReason: null });
    expect(await providerRefundsOf(db, refundId)).toMatchObject([{ amountMinor: 19900, status: 'succeeded' }]);
    const checks = await listProviderChecks(db, refundId);
    expect(checks.at(-1)).toMatchObject({ kind: 'conclusion', decidedBy: manager.id });
    expect(checks.at(-1)!.finding).toMatch(/^Concluded by hand: the provider applied it — Shown as refunded/);
    const audit = (await db.execute(
      sql`select action, actor_id, after from audit_events where entity_id = ${refundId} order by seq desc limit 1`,
    )) as unknown as { rows: { action: string; after: { status: string; note: string } }[] };
    expect(audit.rows[0]).toMatchObject({
      action: 'refund.resolved_by_hand',
      after: { status: 'succeeded', note: 'Shown as refunded in the Frontpayment portal on 27 Nov.' },
    });
  });

  it('never by the requester, whoever writes: the database refuses it too', async () => {
    const refundId = await unknownRefund('RD-100036', '5454', 39900);
    await expect(resolveByHand(db, agent, SYSTEM_CONTEXT, { refundId, outcome: 'applied', note: 'x' })).rejects.toMatchObject({
      code: 'own_request',
    });
    const refused = await db
      .execute(
        sql`insert into provider_checks (refund_id, kind, finding, decided_by) values (${refundId}, 'conclusion', 'mine', ${agent.id})`,
      )
      .then(
        () => null,
        (e: Error & { cause?: Error }) => (e.cause ?? e).message,
      );
    expect(refused).toMatch(/cannot be settled by hand by the user who requested it/);
    expect((await refundRow(db, refundId)).status).toBe('outcome_unknown');
  });

  it('only while the outcome is open, and never twice', async () => {
    const refundId = await unknownRefund('RD-100012', '5413', 9900);
    await resolveByHand(db, manager, SYSTEM_CONTEXT, { refundId, outcome: 'not_applied', note: 'Nothing at Frontpayment.' });
    await expect(
      resolveByHand(db, manager, SYSTEM_CONTEXT, { refundId, outcome: 'applied', note: 'Changed my mind.' }),
    ).rejects.toMatchObject({ code: 'not_unresolved' });
    expect(await refundRow(db, refundId)).toMatchObject({ status: 'failed', providerErrorCode: 'resolved_not_applied' });
  });
});
