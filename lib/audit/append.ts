import type { AuditContext } from '@/db/queries/audit-chain';

// The chain's write lives with its SQL (db/queries/audit-chain.ts); callers keep importing it from here.
export { appendAudit, recordAudit, type AuditContext, type AuditEntry } from '@/db/queries/audit-chain';

/** A signed-in user acting through a request: who they are, and where the request came from. */
export function actorContext(
  user: { id: string; role: string; email: string },
  meta: { ip: string | null; userAgent: string | null; requestId: string | null },
): AuditContext {
  return {
    actorId: user.id,
    actorRole: user.role,
    actorEmail: user.email,
    ip: meta.ip,
    userAgent: meta.userAgent,
    requestId: meta.requestId,
  };
}

export const SYSTEM_CONTEXT: AuditContext = {
  actorId: null,
  actorRole: 'system',
  actorEmail: null,
  ip: null,
  userAgent: null,
  requestId: null,
};
