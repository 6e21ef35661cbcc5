import { randomUUID } from 'node:crypto';
import { desc, sql } from 'drizzle-orm';
import type { Db, Tx } from '@/db';
import { CHAIN_VERSION, chainHash, GENESIS_HASH, toJson, type ChainedFields } from '@/db/audit-hash';
import { auditEvents, type AuditOutcome } from '@/db/schema';

/**
 * The write side of the audit log: every event is a link in a hash chain (PRODUCT.md §5), so the
 * lock, the head read, the hash and the insert belong together; lib/audit re-exports `appendAudit`.
 */

/** Who did it and from where (PCI DSS 10.2.2: user, event, time, origin, outcome, record). */
export interface AuditContext {
  actorId: string | null;
  actorRole: string | null;
  actorEmail: string | null;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
}

export interface AuditEntry {
  action: string;
  entityType: string;
  entityId?: string | null;
  before?: unknown;
  after?: unknown;
  outcome?: AuditOutcome;
}

/** One lock for the whole chain: concurrent writers queue here instead of forking the chain. */
export const AUDIT_CHAIN_LOCK = 0x52_44_41_55; // "RDAU"

/**
 * Appends an event inside the caller's transaction, so it commits or rolls back with the change it
 * records. The advisory lock is held until that transaction ends, which serialises `seq` and
 * `prev_hash`; unique constraints on both make a fork impossible even if the lock were bypassed.
 */
export async function appendAudit(tx: Tx, context: AuditContext, entry: AuditEntry) {
  await tx.execute(sql`select pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`);
  const [head] = await tx
    .select({ seq: auditEvents.seq, hash: auditEvents.hash })
    .from(auditEvents)
    .orderBy(desc(auditEvents.seq))
    .limit(1);

  const fields: ChainedFields = {
    id: randomUUID(),
    seq: (head?.seq ?? 0) + 1,
    // Millisecond precision: what a JS Date holds and the column stores (timestamptz(3)).
    occurredAt: new Date(),
    actorId: context.actorId,
    actorRole: context.actorRole,
    actorEmail: context.actorEmail,
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId ?? null,
    before: entry.before === undefined ? null : toJson(entry.before),
    after: entry.after === undefined ? null : toJson(entry.after),
    ip: context.ip,
    userAgent: context.userAgent,
    requestId: context.requestId,
    outcome: entry.outcome ?? 'success',
    prevHash: head?.hash ?? GENESIS_HASH,
    chainVersion: CHAIN_VERSION,
  };
  const hash = chainHash(fields);
  await tx.insert(auditEvents).values({ ...fields, outcome: entry.outcome ?? 'success', hash });
  return { id: fields.id, seq: fields.seq, hash };
}

/** For events that stand alone (a failed sign-in, a read of the audit log): their own transaction. */
export function recordAudit(db: Db, context: AuditContext, entry: AuditEntry) {
  return db.transaction((tx) => appendAudit(tx, context, entry));
}
