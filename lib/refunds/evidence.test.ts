import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db, DbHandle } from '@/db';
import { getRefundDetail } from '@/db/queries/refund-detail';
import { listProviderChecks } from '@/db/queries/submissions';
import { providerChecks, submissions } from '@/db/schema';
import { SYSTEM_CONTEXT } from '@/lib/audit';
import { submitApprovedRefund } from './pipeline';
import { reconcileRefund } from './reconcile';
import { createRefund } from './service';
import { refundInput, refundRow, seededPglite, startProviders, submissionsOf, userId, type Providers } from '@/test/refunds';

/**
 * What a provider answered is recorded once and never rewritten (PRODUCT.md §3; the issue's
 * reproduction: Frontpayment applied a refund, then answered HTTP 500; after reconciliation the
 * timeline said "Frontpayment answered 200 · accepted" with the status read as the body). The
 * attempt keeps its real answer; what was learned afterwards is appended as checks.
 */

let handle: DbHandle;
let db: Db;
let p: Providers;
let refundId: string;

const refusal = (query: Promise<unknown>) =>
  query.then(
    () => null,
    (error: Error & { cause?: Error }) => (error.cause ?? error).message,
  );

beforeAll(async () => {
  [handle, p] = await Promise.all([seededPglite(), startProviders()]);
  db = handle.db;
  await p.control('faults', { provider: 'frontpayment', operation: 'refund', mode: 'error_after', status: 500 });
  const created = await createRefund(
    db,
    { id: await userId(db) },
    SYSTEM_CONTEXT,
    await refundInput(db, 'RD-100031', [{ line: '5442', amount: 8990 }]),
  );
  refundId = created.refundId;
  expect(await submitApprovedRefund(db, refundId, p.clientFor)).toBe('outcome_unknown');
  await p.control('settle', {});
  await reconcileRefund(db, refundId, p.clientFor);
});
afterAll(async () => {
  await p?.close();
  await handle?.close();
});

describe('a 5xx after Frontpayment applied the refund', () => {
  it('settles it once, from the order’s refunded total, without sending again', async () => {
    expect((await refundRow(db, refundId)).status).toBe('succeeded');
    expect(await p.refundPosts('frontpayment')).toHaveLength(1);
  });

  it('keeps attempt 1’s real answer: HTTP 500, outcome unknown', async () => {
    const [attempt, ...more] = await submissionsOf(db, refundId);
    expect(more).toEqual([]);
    expect(attempt).toMatchObject({ attempt: 1, outcome: 'unknown', responseStatus: 500, errorCode: 'server_error' });
    expect((attempt!.responseBody as { url: string }).url).toMatch(/\/connect\/orders\/refund\/ODR1700000031$/);
  });

  it('records the status read and the conclusion as checks of their own, in that order', async () => {
    const checks = await listProviderChecks(db, refundId);
    expect(checks.map((c) => [c.kind, c.finding])).toEqual([
      ['status_read', expect.stringMatching(/^Status read: refunded amount grew by 89,90\skr/)],
      ['conclusion', 'Concluded: Frontpayment applied it once — nothing was sent again'],
    ]);
    expect(checks[0]!.exchange).toMatchObject({ method: 'GET', status: 200 });
    expect(checks.every((c) => c.submissionId === checks[0]!.submissionId)).toBe(true);
  });

  it('shows them so on the refund’s timeline', async () => {
    const detail = await getRefundDetail(db, refundId);
    const entries = detail!.timeline.filter((e) => e.kind === 'response' || e.kind === 'check');
    expect(entries).toMatchObject([
      { kind: 'response', attempt: 1, httpStatus: 500, outcome: 'unknown' },
      { kind: 'check', check: 'status_read', attempt: 1 },
      { kind: 'check', check: 'conclusion', attempt: 1 },
    ]);
  });

  it('lets nobody rewrite or remove the record, not even with plain SQL', async () => {
    expect(
      await refusal(
        db.execute(sql`update ${submissions} set response_status = 200, outcome = 'accepted' where refund_id = ${refundId}`),
      ),
    ).toMatch(/answer to attempt .* is recorded already/);
    expect(await refusal(db.execute(sql`update ${submissions} set request_body = '{}' where refund_id = ${refundId}`))).toMatch(
      /never rewritten/,
    );
    expect(await refusal(db.execute(sql`delete from ${submissions} where refund_id = ${refundId}`))).toMatch(/never deleted/);
    expect(
      await refusal(db.execute(sql`update ${providerChecks} set finding = 'nothing' where refund_id = ${refundId}`)),
    ).toMatch(/append-only/);
    expect(await refusal(db.execute(sql`delete from ${providerChecks} where refund_id = ${refundId}`))).toMatch(/append-only/);
    expect(await submissionsOf(db, refundId)).toMatchObject([{ responseStatus: 500, outcome: 'unknown' }]);
  });
});
