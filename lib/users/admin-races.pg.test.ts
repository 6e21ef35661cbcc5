import { setTimeout as sleep } from 'node:timers/promises';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refundLimits, users } from '@/db/schema';
import { SYSTEM_CONTEXT } from '@/lib/audit';
import { updateLimits } from '@/lib/settings/service';
import { freshPostgres, TEST_DATABASE_URL, warnPostgresSkipped } from '@/test/db';
import { inviteUser } from './service';

warnPostgresSkipped('two admins inviting the same email / creating the same limits row at once');

/**
 * Another admin's transaction that has written `write` but not committed yet: the code under test
 * cannot see the row when it checks, and its own insert then waits on the unique index and fails.
 */
async function whileUncommitted(
  db: Awaited<ReturnType<typeof freshPostgres>>['db'],
  write: Parameters<typeof db.transaction>[0],
  run: () => Promise<unknown>,
) {
  let release!: () => void;
  const written = new Promise<void>((resolve) => (release = resolve));
  const other = db.transaction(async (tx) => {
    await write(tx);
    release();
    await sleep(1_500);
  });
  await written;
  const outcome = await Promise.allSettled([run()]);
  await other;
  return outcome[0]!;
}

describe.skipIf(!TEST_DATABASE_URL)('two admins at once, on PostgreSQL', () => {
  let handle: Awaited<ReturnType<typeof freshPostgres>>;
  let adminId: string;
  beforeAll(async () => {
    handle = await freshPostgres(4);
    const [admin] = await handle.db.insert(users).values({ email: 'admin@race.test', name: 'Admin', role: 'admin' }).returning();
    adminId = admin!.id;
  });
  afterAll(() => handle?.close());

  it('an invitation racing another for the same address is told the address is taken, and one user exists', async () => {
    const outcome = await whileUncommitted(
      handle.db,
      async (tx) => {
        await tx.insert(users).values({ email: 'Twin@race.test', name: 'Twin', role: 'agent' });
      },
      () => inviteUser(handle.db, { id: adminId }, SYSTEM_CONTEXT, { name: 'Twin', email: 'twin@race.test', role: 'agent' }),
    );
    expect(outcome.status).toBe('rejected');
    expect((outcome as PromiseRejectedResult).reason).toMatchObject({ code: 'email_taken' });
    expect(await handle.db.select().from(users).where(eq(users.name, 'Twin'))).toHaveLength(1);
  });

  it('limits created by another admin at the same moment give a plain conflict, and one row exists', async () => {
    const outcome = await whileUncommitted(
      handle.db,
      async (tx) => {
        await tx
          .insert(refundLimits)
          .values({ currency: 'USD', userId: null, approvalThresholdMinor: 1, perRefundMinor: 1, perDayMinor: 1 });
      },
      () =>
        updateLimits(handle.db, { id: adminId }, SYSTEM_CONTEXT, {
          currency: 'USD',
          userId: null,
          approvalThresholdMinor: 100_00,
          perRefundMinor: 500_00,
          perDayMinor: 1_000_00,
        }),
    );
    expect(outcome.status).toBe('rejected');
    expect((outcome as PromiseRejectedResult).reason).toMatchObject({ code: 'conflict' });
    expect(await handle.db.select().from(refundLimits).where(eq(refundLimits.currency, 'USD'))).toHaveLength(1);
  });
});
