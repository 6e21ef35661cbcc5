import type { Db } from '@/db';
import {
  deleteRefundLimits,
  getRefundLimitsByIdForUpdate,
  getRefundLimitsForUpdate,
  getSettingForUpdate,
  insertRefundLimits,
  updateRefundLimits,
  upsertSetting,
  type RefundLimitsRow,
} from '@/db/queries/settings';
import { getUser } from '@/db/queries/users';
import { isUniqueViolation } from '@/db/sql';
import { appendAudit, type AuditContext } from '@/lib/audit';
import { can } from '@/lib/auth/permissions';
import { SafeError } from '@/lib/errors';
import type { UpdateLimitsInput } from './schemas';

interface Actor {
  id: string;
}

function limitsSnapshot(row: Pick<RefundLimitsRow, 'approvalThresholdMinor' | 'perRefundMinor' | 'perDayMinor'>) {
  return {
    approvalThresholdMinor: row.approvalThresholdMinor,
    perRefundMinor: row.perRefundMinor,
    perDayMinor: row.perDayMinor,
  };
}

/**
 * Sets the limits of one currency, for everyone or for one agent, and records the change with the
 * figures before and after. The row is locked so two admins' edits apply one after the other.
 */
export async function updateLimits(db: Db, actor: Actor, audit: AuditContext, input: UpdateLimitsInput) {
  return db
    .transaction(async (tx) => {
      if (input.userId) {
        const agent = await getUser(tx, input.userId);
        if (!agent) throw new SafeError('That user no longer exists.', 'user_not_found');
        if (!can(agent.role, 'refunds.create')) {
          throw new SafeError('This user does not request refunds, so limits for them would never apply.', 'not_a_requester');
        }
      }
      const existing = await getRefundLimitsForUpdate(tx, { currency: input.currency, userId: input.userId });
      const values = {
        approvalThresholdMinor: input.approvalThresholdMinor,
        perRefundMinor: input.perRefundMinor,
        perDayMinor: input.perDayMinor,
        updatedBy: actor.id,
      };
      const row = existing
        ? await updateRefundLimits(tx, existing.id, values)
        : (await insertRefundLimits(tx, [{ ...values, currency: input.currency, userId: input.userId }]))[0];
      await appendAudit(tx, audit, {
        action: 'settings.limits_update',
        entityType: 'refund_limits',
        entityId: row!.id,
        before: existing ? { currency: existing.currency, userId: existing.userId, ...limitsSnapshot(existing) } : null,
        after: { currency: row!.currency, userId: row!.userId, ...limitsSnapshot(row!) },
      });
      return { limitId: row!.id };
    })
    .catch((error: unknown) => {
      // Two admins creating the same limits row at once: the unique constraint lets one through.
      if (!isUniqueViolation(error, 'refund_limits_user_currency_key')) throw error;
      throw new SafeError('Someone else just set these limits. Reload the page to see them, then try again.', 'conflict');
    });
}

/** Removes one agent's override; they fall back to the defaults. The defaults cannot be removed. */
export async function removeLimitOverride(db: Db, _actor: Actor, audit: AuditContext, input: { limitId: string }) {
  return db.transaction(async (tx) => {
    const existing = await getRefundLimitsByIdForUpdate(tx, input.limitId);
    if (!existing) throw new SafeError('That override was already removed.', 'override_not_found');
    if (existing.userId === null) throw new SafeError('The defaults cannot be removed, only changed.', 'default_limits');
    await deleteRefundLimits(tx, existing.id);
    await appendAudit(tx, audit, {
      action: 'settings.limits_remove',
      entityType: 'refund_limits',
      entityId: existing.id,
      before: { currency: existing.currency, userId: existing.userId, ...limitsSnapshot(existing) },
      after: null,
    });
    return { limitId: existing.id };
  });
}

/** A typed setting, changed with its old and new value in the audit trail. */
export async function updateSetting(db: Db, actor: Actor, audit: AuditContext, key: 'approval_expiry_hours', value: number) {
  return db.transaction(async (tx) => {
    const existing = await getSettingForUpdate(tx, key);
    await upsertSetting(tx, key, value, actor.id);
    await appendAudit(tx, audit, {
      action: 'settings.update',
      entityType: 'setting',
      entityId: key,
      before: existing ? { [key]: existing.value } : null,
      after: { [key]: value },
    });
    return { key, value };
  });
}
