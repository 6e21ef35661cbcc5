import { eq } from 'drizzle-orm';
import type { Db } from '@/db';
import { getUserForUpdate } from '@/db/queries/users';
import { users, type Role } from '@/db/schema';
import { appendAudit, type AuditContext } from '@/lib/audit';
import { SafeError } from '@/lib/errors';

interface Actor {
  id: string;
}

/** Deactivation takes effect on the user's next request: every request reads this row. */
export async function setUserActive(db: Db, actor: Actor, audit: AuditContext, input: { userId: string; active: boolean }) {
  if (input.userId === actor.id && !input.active) {
    throw new SafeError('You cannot deactivate your own account.', 'self_deactivation');
  }
  return db.transaction(async (tx) => {
    const before = await getUserForUpdate(tx, input.userId);
    if (!before) throw new SafeError('That user no longer exists.', 'not_found');
    await tx.update(users).set({ active: input.active }).where(eq(users.id, input.userId));
    await appendAudit(tx, audit, {
      action: input.active ? 'user.activate' : 'user.deactivate',
      entityType: 'user',
      entityId: input.userId,
      before: { active: before.active },
      after: { active: input.active },
    });
    return { userId: input.userId, active: input.active };
  });
}

export async function changeUserRole(db: Db, actor: Actor, audit: AuditContext, input: { userId: string; role: Role }) {
  if (input.userId === actor.id) {
    throw new SafeError('Ask another admin to change your own role.', 'self_role_change');
  }
  return db.transaction(async (tx) => {
    const before = await getUserForUpdate(tx, input.userId);
    if (!before) throw new SafeError('That user no longer exists.', 'not_found');
    await tx.update(users).set({ role: input.role }).where(eq(users.id, input.userId));
    await appendAudit(tx, audit, {
      action: 'user.role_change',
      entityType: 'user',
      entityId: input.userId,
      before: { role: before.role },
      after: { role: input.role },
    });
    return { userId: input.userId, role: input.role };
  });
}
