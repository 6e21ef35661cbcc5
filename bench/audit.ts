import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { type Db } from '@/db';
import { auditEvents } from '@/db/schema';
import { CHAIN_VERSION, chainHash, GENESIS_HASH, toJson, type ChainedFields } from '@/db/audit-hash';
import { mulberry32 } from '@/demo/mulberry32.mjs';
import { benchUuid, DAY_S, HISTORY_DAYS } from './derive';

// One jsonb parameter a chunk: several times faster than an 18-parameters-a-row VALUES list (which
// would also cap a statement at 3,640 rows: 65,535 bind parameters).
const AUDIT_CHUNK = 5000;
const AUDIT_COLUMNS =
  'id, seq, occurred_at, actor_id, actor_role, actor_email, action, entity_type, entity_id, before, after, ip, user_agent, request_id, outcome, prev_hash, hash, chain_version';

const ACTIONS: [action: string, weight: number][] = [
  ['refund.requested', 22],
  ['refund.status_changed', 28],
  ['refund.approved', 5],
  ['refund.canceled', 2],
  ['provider_refund.status_changed', 8],
  ['webhook.received', 10],
  ['auth.sign_in', 12],
  ['auth.sign_out', 5],
  ['order.imported', 4],
  ['refunds.export', 1],
  ['access.denied', 1],
  ['settings.update', 1],
  ['audit.verify', 1],
];
const ACTION_TOTAL = ACTIONS.reduce((sum, [, w]) => sum + w, 0);
const STATUSES = ['approved', 'submitting', 'processing', 'succeeded', 'failed'];

/**
 * Audit events with a correctly chained, keyed hash (db/audit-hash.ts), inserted in chunks. The
 * table is append-only by trigger, which allows INSERT. Returns a refund id that has events.
 */
export async function seedAudit(
  db: Db,
  total: number,
  refundCount: number,
  orderCount: number,
  users: { id: string; email: string; role: string }[],
  now: Date,
): Promise<string> {
  const random = mulberry32(42);
  const start = now.getTime() - HISTORY_DAYS * DAY_S * 1000;
  const step = (HISTORY_DAYS * DAY_S * 1000 - 60_000) / Math.max(total, 1);
  // A handful of refunds get many events, so the entity filter has a page to show.
  const busyRefund = benchUuid('r', Math.max(1, Math.floor(refundCount / 3)));
  let prevHash = GENESIS_HASH;
  let seq = 0;
  while (seq < total) {
    const chunk: Record<string, unknown>[] = [];
    for (let i = 0; i < AUDIT_CHUNK && seq < total; i++) {
      seq += 1;
      let roll = random() * ACTION_TOTAL;
      let action = ACTIONS[0]![0];
      for (const [name, weight] of ACTIONS) {
        if ((roll -= weight) < 0) {
          action = name;
          break;
        }
      }
      const user = users[Math.floor(random() * users.length)]!;
      const provider = random() < 0.5 ? 'forage' : 'frontpayment';
      const refundId = seq % 997 === 0 ? busyRefund : benchUuid('r', 1 + Math.floor(random() * refundCount));
      let actor: { id: string | null; role: string; email: string | null } = { id: user.id, role: user.role, email: user.email };
      let entityType = 'refund';
      let entityId: string | null = refundId;
      let before: unknown = null;
      let after: unknown = null;
      let outcome: 'success' | 'failure' = 'success';
      const from = STATUSES[Math.floor(random() * (STATUSES.length - 1))]!;
      switch (action) {
        case 'refund.requested':
          after = { status: 'pending_approval', amountMinor: 100 + Math.floor(random() * 50_000), lines: 1 + (seq % 2) };
          break;
        case 'refund.status_changed':
          if (random() < 0.4) actor = { id: null, role: 'system', email: null };
          before = { status: from };
          after = { status: STATUSES[STATUSES.indexOf(from) + 1] };
          break;
        case 'refund.approved':
          before = { status: 'pending_approval' };
          after = { status: 'approved', comment: 'OK' };
          break;
        case 'refund.canceled':
          before = { status: 'approved' };
          after = { status: 'canceled' };
          break;
        case 'provider_refund.status_changed':
          actor = { id: null, role: `provider:${provider}`, email: null };
          entityType = 'provider_refund';
          entityId = randomUUID();
          before = { status: 'processing' };
          after = { status: 'succeeded', refundId };
          break;
        case 'webhook.received':
          actor = { id: null, role: `provider:${provider}`, email: null };
          entityType = 'webhook';
          entityId = `evt_${seq.toString(36)}`;
          after = { eventType: 'refund.updated', refundId };
          break;
        case 'auth.sign_in':
        case 'auth.sign_out':
          entityType = 'user';
          entityId = user.id;
          if (action === 'auth.sign_in' && random() < 0.1) outcome = 'failure';
          break;
        case 'order.imported':
          entityType = 'order';
          entityId = benchUuid('o', 1 + Math.floor(random() * orderCount));
          after = { provider, orderNumber: `BN-${String(1 + Math.floor(random() * orderCount)).padStart(8, '0')}` };
          break;
        case 'refunds.export':
          entityType = 'refund_history';
          entityId = null;
          after = { provider };
          break;
        case 'access.denied':
          entityType = 'route';
          entityId = 'refunds.export';
          after = { permission: 'export.csv' };
          outcome = 'failure';
          break;
        case 'settings.update':
          entityType = 'settings';
          entityId = 'approval_expiry_hours';
          before = { value: 48 };
          after = { value: 72 };
          break;
        case 'audit.verify':
          entityType = 'audit_chain';
          entityId = null;
          after = { ok: true, verified: seq - 1 };
          break;
      }
      const fields: ChainedFields = {
        id: randomUUID(),
        seq,
        occurredAt: new Date(Math.floor(start + seq * step)),
        actorId: actor.id,
        actorRole: actor.role,
        actorEmail: actor.email,
        action,
        entityType,
        entityId,
        before: before === null ? null : toJson(before),
        after: after === null ? null : toJson(after),
        ip: `10.${seq % 7}.${seq % 251}.${seq % 13}`,
        userAgent: 'Mozilla/5.0 (X11; Linux x86_64) RefundDeskBench/1.0',
        requestId: randomUUID(),
        outcome,
        prevHash,
        chainVersion: CHAIN_VERSION,
      };
      const hash = chainHash(fields);
      chunk.push({
        id: fields.id,
        seq: fields.seq,
        occurred_at: fields.occurredAt.toISOString(),
        actor_id: fields.actorId,
        actor_role: fields.actorRole,
        actor_email: fields.actorEmail,
        action: fields.action,
        entity_type: fields.entityType,
        entity_id: fields.entityId,
        before: fields.before,
        after: fields.after,
        ip: fields.ip,
        user_agent: fields.userAgent,
        request_id: fields.requestId,
        outcome: fields.outcome,
        prev_hash: fields.prevHash,
        hash,
        chain_version: fields.chainVersion,
      });
      prevHash = hash;
    }
    // Column names and types come from the table; a JSON null becomes SQL NULL, as appendAudit writes it.
    await db.execute(
      sql`insert into ${auditEvents} (${sql.raw(AUDIT_COLUMNS)})
          select ${sql.raw(AUDIT_COLUMNS)} from jsonb_populate_recordset(null::audit_events, ${JSON.stringify(chunk)}::jsonb)`,
    );
  }
  return busyRefund;
}
