/**
 * `npm run admin:retire-demo`: deactivates the demo accounts and removes their passwords, on the
 * record. For a database that began as a demo and now serves real providers; the accounts stay (the
 * audit trail names them) but can never sign in again.
 */
import { openAppDb } from '@/db';
import { endUserSessions } from '@/db/queries/sessions';
import { findUserByEmail, retireUser } from '@/db/queries/users';
import { DEMO_USERS } from '@/demo/accounts';
import { appendAudit } from '@/lib/audit';

const audit = {
  actorId: null,
  actorRole: 'system',
  actorEmail: 'npm run admin:retire-demo',
  ip: null,
  userAgent: null,
  requestId: null,
};
const handle = await openAppDb();
try {
  let retired = 0;
  for (const demo of DEMO_USERS) {
    await handle.db.transaction(async (tx) => {
      const user = await findUserByEmail(tx, demo.email);
      if (!user || (!user.active && !user.passwordHash)) return;
      await retireUser(tx, user.id);
      await endUserSessions(tx, user.id, 'deactivated');
      await appendAudit(tx, audit, {
        action: 'user.deactivate',
        entityType: 'user',
        entityId: user.id,
        before: { active: user.active },
        after: { active: false, passwordRemoved: true, reason: 'demo account retired' },
      });
      retired += 1;
    });
  }
  console.log(retired ? `Retired ${retired} demo accounts.` : 'No active demo accounts.');
} finally {
  await handle.close();
}
