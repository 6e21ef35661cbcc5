import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '@/db';
import { refunds } from '@/db/schema';
import { SYSTEM_CONTEXT } from '@/lib/audit';
import { seededPglite, refundInput, refundRow, userId } from '@/test/refunds';
import {
  AT_PROVIDER_STATUSES,
  CANCELABLE_STATUSES,
  FINAL_STATUSES,
  IllegalTransition,
  INITIAL_STATUSES,
  IN_FLIGHT_STATUSES,
  lifecycleTriggerSql,
  NOT_SENT_STATUSES,
  REFUND_STATUSES,
  RELEASED_STATUSES,
  SETTLED_STATUSES,
  TRANSITIONS,
  canMove,
  transition,
} from './lifecycle';
import { createRefund } from './service';

const root = path.resolve(import.meta.dirname, '..', '..');
const leaving = (status: string) => TRANSITIONS.filter((m) => m.from === status);

describe('the table of moves', () => {
  it('is what the newest lifecycle migration enforces, word for word', () => {
    const folder = path.join(root, 'db', 'migrations');
    const newest = readdirSync(folder)
      .filter((f) => f.endsWith('.sql') && readFileSync(path.join(folder, f), 'utf8').includes('refund_status_move_allowed'))
      .sort()
      .at(-1)!;
    expect(readFileSync(path.join(folder, newest), 'utf8')).toBe(lifecycleTriggerSql());
  });

  it('gives every group the meaning its name says', () => {
    for (const status of FINAL_STATUSES) expect(leaving(status), status).toEqual([]);
    for (const status of REFUND_STATUSES.filter((s) => !FINAL_STATUSES.includes(s as never))) {
      expect(leaving(status).length, status).toBeGreaterThan(0);
    }
    // Money is released only by final statuses, and settled ones are final.
    for (const status of [...RELEASED_STATUSES, ...SETTLED_STATUSES]) expect(FINAL_STATUSES).toContain(status);
    // At the provider: only the provider's news, a reconciliation, crash recovery, the sender giving
    // back what it never sent, or a manager settling by hand what the figures cannot prove.
    for (const status of AT_PROVIDER_STATUSES) {
      for (const move of leaving(status)) expect(['provider', 'reconciler', 'recovery', 'sender', 'manager']).toContain(move.by);
      for (const move of leaving(status).filter((m) => m.by === 'manager')) expect(['succeeded', 'failed']).toContain(move.to);
      expect(leaving(status).some((m) => m.to === 'canceled')).toBe(false);
    }
    for (const status of CANCELABLE_STATUSES) expect(canMove(status, 'canceled', 'requester')).toBe(true);
    expect(IN_FLIGHT_STATUSES).toEqual(['approved', ...AT_PROVIDER_STATUSES]);
    expect(new Set([...NOT_SENT_STATUSES, ...AT_PROVIDER_STATUSES, ...FINAL_STATUSES])).toEqual(new Set(REFUND_STATUSES));
    expect(INITIAL_STATUSES).toEqual(['pending_approval', 'approved']);
  });

  it('never lets a final refund move again, nor a failed one go back to processing', () => {
    expect(canMove('failed', 'processing')).toBe(false);
    expect(canMove('succeeded', 'failed')).toBe(false);
    expect(canMove('canceled', 'approved')).toBe(false);
    expect(canMove('processing', 'canceled')).toBe(false);
    // A cause that does not own the move cannot make it either.
    expect(canMove('pending_approval', 'approved', 'requester')).toBe(false);
  });
});

describe('transition, the one writer (PGlite)', () => {
  let handle: DbHandle;
  let refundId: string;
  beforeAll(async () => {
    handle = await seededPglite();
    const created = await createRefund(
      handle.db,
      { id: await userId(handle.db) },
      SYSTEM_CONTEXT,
      await refundInput(handle.db, 'RD-100005', [{ line: '0412345000124', amount: 599 }]),
    );
    refundId = created.refundId;
    expect(created.status).toBe('approved');
  });
  afterAll(() => handle.close());

  it('refuses a move the table does not list, and writes nothing', async () => {
    await expect(
      handle.db.transaction((tx) =>
        transition(tx, SYSTEM_CONTEXT, { refundId, from: 'approved', to: 'succeeded', by: 'provider' }),
      ),
    ).rejects.toBeInstanceOf(IllegalTransition);
    expect((await refundRow(handle.db, refundId)).status).toBe('approved');
  });

  it('does nothing when the refund is no longer where the caller saw it', async () => {
    const moved = await handle.db.transaction((tx) =>
      transition(tx, SYSTEM_CONTEXT, { refundId, from: 'submitting', to: 'processing', by: 'provider' }),
    );
    expect(moved).toBe(false);
    expect((await refundRow(handle.db, refundId)).status).toBe('approved');
  });

  it('moves along the table, stamps the time and writes the audit event in the same transaction', async () => {
    const auditCount = async () =>
      (
        (await handle.db.execute(sql`select count(*)::int as n from audit_events where entity_id = ${refundId}`)) as unknown as {
          rows: { n: number }[];
        }
      ).rows[0]!.n;
    const before = await auditCount();
    const moved = await handle.db.transaction((tx) =>
      transition(tx, SYSTEM_CONTEXT, {
        refundId,
        from: 'approved',
        to: 'canceled',
        by: 'requester',
        statusReason: 'Not needed.',
      }),
    );
    expect(moved).toBe(true);
    const row = await refundRow(handle.db, refundId);
    expect(row).toMatchObject({ status: 'canceled', statusReason: 'Not needed.' });
    expect(row.completedAt).not.toBeNull();
    expect(await auditCount()).toBe(before + 1);
  });

  it('is backed by the database: plain SQL cannot move a refund off the table', async () => {
    // canceled is final: nothing may move it, whoever writes.
    const error = await handle.db.execute(sql`update ${refunds} set status = 'approved' where id = ${refundId}`).then(
      () => null,
      (e: Error & { cause?: Error }) => e.cause ?? e,
    );
    expect(error?.message).toMatch(/may not move from canceled to approved/);
    expect((await refundRow(handle.db, refundId)).status).toBe('canceled');
  });
});

describe('who writes refunds.status', () => {
  const sources = (dir: string): string[] =>
    readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
      const rel = path.join(dir, entry.name);
      if (entry.isDirectory()) return sources(rel);
      return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [rel] : [];
    });
  const product = ['app', 'components', 'lib', 'db', 'demo'].flatMap(sources);

  it('no product code but db/queries/refund-status.ts inserts or updates refunds', () => {
    const writers = product.filter((file) =>
      /\.(update|insert)\(\s*refunds\s*\)/.test(readFileSync(path.join(root, file), 'utf8')),
    );
    expect(writers).toEqual([path.join('db', 'queries', 'refund-status.ts')]);
  });

  it('only the lifecycle imports that file', () => {
    const importers = product.filter((file) =>
      readFileSync(path.join(root, file), 'utf8').includes("'@/db/queries/refund-status'"),
    );
    expect(importers).toEqual([path.join('lib', 'refunds', 'lifecycle.ts')]);
  });
});
