import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DbHandle } from '@/db';
import { auditEvents, refundLimits, settings, users } from '@/db/schema';
import { approvalExpiryHours, getLimits } from '@/db/queries/policy';
import { freshPglite } from '@/test/db';

const session = vi.hoisted(() => ({ userId: null as string | null }));
const database = vi.hoisted(() => ({ handle: null as DbHandle | null }));
vi.mock('@/lib/auth/session-id', () => ({
  getCookieSession: async () =>
    session.userId ? { userId: session.userId, sid: '00000000-0000-4000-8000-000000000000', oneTime: true } : null,
}));
vi.mock('@/db', async (importOriginal) => ({
  ...(await importOriginal<typeof import('@/db')>()),
  getDb: async () => database.handle!.db,
}));
vi.mock('next/headers', () => ({ headers: async () => new Headers({ 'user-agent': 'vitest', 'x-request-id': 'req-settings' }) }));
vi.mock('next/cache', () => ({ revalidatePath: () => {} }));

const { updateLimitsAction, removeLimitOverrideAction, updateApprovalExpiryAction } = await import('./actions');

const db = () => database.handle!.db;
let ids: Record<'admin' | 'manager' | 'agent' | 'auditor', string>;

beforeAll(async () => {
  database.handle = await freshPglite();
  const rows = await db()
    .insert(users)
    .values((['admin', 'manager', 'agent', 'auditor'] as const).map((role) => ({ email: `${role}@t.test`, name: role, role })))
    .returning();
  ids = Object.fromEntries(rows.map((r) => [r.role, r.id])) as typeof ids;
  await db().insert(refundLimits).values({
    currency: 'NOK',
    userId: null,
    approvalThresholdMinor: 2_000_00,
    perRefundMinor: 10_000_00,
    perDayMinor: 20_000_00,
  });
});
afterAll(() => database.handle?.close());
beforeEach(() => {
  session.userId = ids.admin;
});

const lastEvent = async (action: string) =>
  (await db().select().from(auditEvents).where(eq(auditEvents.action, action))).sort((a, b) => b.seq - a.seq)[0];

describe('refund policy settings', () => {
  it('an admin changes a currency default; the policy uses it at once and the audit holds before and after', async () => {
    const result = await updateLimitsAction({
      currency: 'NOK',
      approvalThreshold: '1 500,00',
      perRefund: '8000',
      perDay: '16 000,50',
    });
    expect(result.ok).toBe(true);
    expect(await getLimits(db(), ids.agent, 'NOK')).toEqual({
      approvalThresholdMinor: 1_500_00,
      perRefundMinor: 8_000_00,
      perDayMinor: 16_000_50,
      configured: true,
    });
    const event = await lastEvent('settings.limits_update');
    expect(event).toMatchObject({ actorId: ids.admin, entityType: 'refund_limits', outcome: 'success' });
    expect(event!.before).toMatchObject({ approvalThresholdMinor: 2_000_00, perRefundMinor: 10_000_00, perDayMinor: 20_000_00 });
    expect(event!.after).toMatchObject({ approvalThresholdMinor: 1_500_00, perRefundMinor: 8_000_00, perDayMinor: 16_000_50 });
  });

  it('creates the default of a currency that had none', async () => {
    // No row for the currency: not configured, so every refund in it goes to a manager.
    expect(await getLimits(db(), ids.agent, 'USD')).toEqual({
      approvalThresholdMinor: null,
      perRefundMinor: null,
      perDayMinor: null,
      configured: false,
    });
    expect((await updateLimitsAction({ currency: 'USD', approvalThreshold: '100', perRefund: '500', perDay: '1000' })).ok).toBe(
      true,
    );
    expect(await getLimits(db(), ids.agent, 'USD')).toMatchObject({ approvalThresholdMinor: 100_00, configured: true });
    expect((await lastEvent('settings.limits_update'))!.before).toBeNull();
  });

  it('an override for one agent changes only their limits; an empty field inherits the default; removing it restores the default', async () => {
    const saved = await updateLimitsAction({
      currency: 'NOK',
      userId: ids.agent,
      approvalThreshold: '',
      perRefund: '',
      perDay: '500',
    });
    expect(saved.ok).toBe(true);
    expect(await getLimits(db(), ids.agent, 'NOK')).toEqual({
      approvalThresholdMinor: 1_500_00,
      perRefundMinor: 8_000_00,
      perDayMinor: 500_00,
      configured: true,
    });
    expect((await getLimits(db(), ids.manager, 'NOK')).perDayMinor).toBe(16_000_50);
    if (!saved.ok) return;
    expect((await removeLimitOverrideAction({ limitId: saved.data.limitId })).ok).toBe(true);
    expect((await getLimits(db(), ids.agent, 'NOK')).perDayMinor).toBe(16_000_50);
    const removal = await lastEvent('settings.limits_remove');
    expect(removal).toMatchObject({ entityId: saved.data.limitId, after: null });
    expect(removal!.before).toMatchObject({ userId: ids.agent, perDayMinor: 500_00 });
  });

  it('refuses bad figures with a message per field and changes nothing', async () => {
    const before = await db().select().from(refundLimits);
    const cases = [
      [{ currency: 'NOK', approvalThreshold: 'abc', perRefund: '1', perDay: '2' }, 'approvalThreshold'],
      [{ currency: 'NOK', approvalThreshold: '10', perRefund: '0', perDay: '2' }, 'perRefund'],
      [{ currency: 'NOK', approvalThreshold: '10', perRefund: '100', perDay: '50' }, 'perRefund'],
      [{ currency: 'NOK', approvalThreshold: '10', perRefund: '', perDay: '50' }, 'perRefund'],
      [{ currency: 'USD', approvalThreshold: '10.005', perRefund: '20', perDay: '50' }, 'approvalThreshold'],
      [{ currency: 'USD', approvalThreshold: '12,50', perRefund: '20', perDay: '50' }, 'approvalThreshold'],
      [{ currency: 'EUR', approvalThreshold: '10', perRefund: '20', perDay: '50' }, 'currency'],
      [{ currency: 'NOK', userId: ids.agent, approvalThreshold: '', perRefund: '', perDay: '' }, 'perDay'],
    ] as const;
    for (const [input, field] of cases) {
      const result = await updateLimitsAction(input);
      expect(result, JSON.stringify(input)).toMatchObject({ ok: false, code: 'invalid_input' });
      if (!result.ok) expect(Object.keys(result.fieldErrors ?? {}), JSON.stringify(input)).toContain(field);
    }
    expect(await db().select().from(refundLimits)).toEqual(before);
  });

  it('refuses an override for a role that never requests refunds, and the defaults cannot be removed', async () => {
    expect(await updateLimitsAction({ currency: 'NOK', userId: ids.auditor, perDay: '100' })).toMatchObject({
      ok: false,
      code: 'not_a_requester',
    });
    const [fallback] = await db()
      .select()
      .from(refundLimits)
      .where(and(eq(refundLimits.currency, 'NOK')));
    expect(await removeLimitOverrideAction({ limitId: fallback!.id })).toMatchObject({ ok: false, code: 'default_limits' });
  });

  it('only admins change the policy', async () => {
    for (const role of ['manager', 'agent', 'auditor'] as const) {
      session.userId = ids[role];
      expect(await updateLimitsAction({ currency: 'NOK', approvalThreshold: '1', perRefund: '1', perDay: '1' })).toMatchObject({
        ok: false,
        code: 'forbidden',
      });
      expect(await updateApprovalExpiryAction({ hours: 1 })).toMatchObject({ ok: false, code: 'forbidden' });
    }
    session.userId = ids.admin;
    expect((await getLimits(db(), ids.agent, 'NOK')).approvalThresholdMinor).toBe(1_500_00);
  });

  it('approval expiry: default 48 h, changed with before and after audited, bad values refused', async () => {
    expect(await approvalExpiryHours(db())).toBe(48);
    expect(await updateApprovalExpiryAction({ hours: '0' })).toMatchObject({ ok: false, code: 'invalid_input' });
    expect(await updateApprovalExpiryAction({ hours: '2.5' })).toMatchObject({ ok: false, code: 'invalid_input' });
    expect((await updateApprovalExpiryAction({ hours: '24' })).ok).toBe(true);
    expect(await approvalExpiryHours(db())).toBe(24);
    expect((await updateApprovalExpiryAction({ hours: 72 })).ok).toBe(true);
    expect(await approvalExpiryHours(db())).toBe(72);
    const event = await lastEvent('settings.update');
    expect(event).toMatchObject({
      entityType: 'setting',
      entityId: 'approval_expiry_hours',
      before: { approval_expiry_hours: 24 },
      after: { approval_expiry_hours: 72 },
    });
    expect(await db().select().from(settings).where(eq(settings.key, 'approval_expiry_hours'))).toMatchObject([
      { value: 72, updatedBy: ids.admin },
    ]);
  });
});
