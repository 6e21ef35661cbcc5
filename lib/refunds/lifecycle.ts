import type { Tx } from '@/db';
import { insertRefundRow, writeRefundStatus, type NewRefundRow, type StatusFields } from '@/db/queries/refund-status';
import {
  AT_PROVIDER_REFUND_STATUSES,
  CANCELABLE_REFUND_STATUSES,
  FINAL_REFUND_STATUSES,
  IN_FLIGHT_REFUND_STATUSES,
  NOT_SENT_REFUND_STATUSES,
  RELEASED_REFUND_STATUSES,
  SETTLED_REFUND_STATUSES,
  refundStatusEnum,
  type RefundStatus,
} from '@/db/schema/enums';
import { appendAudit, type AuditContext, type AuditEntry } from '@/lib/audit';

/**
 * The refund lifecycle (PRODUCT.md §3) in one place: the statuses, their groups, and every
 * allowed move with what causes it. `transition` is the only writer of a refund's status, and
 * migration 0010 (generated from TRANSITIONS by `lifecycleTriggerSql`) makes the database refuse
 * any other move, whoever writes it.
 */

export const REFUND_STATUSES = refundStatusEnum.enumValues;
export {
  FINAL_REFUND_STATUSES as FINAL_STATUSES,
  AT_PROVIDER_REFUND_STATUSES as AT_PROVIDER_STATUSES,
  IN_FLIGHT_REFUND_STATUSES as IN_FLIGHT_STATUSES,
  NOT_SENT_REFUND_STATUSES as NOT_SENT_STATUSES,
  RELEASED_REFUND_STATUSES as RELEASED_STATUSES,
  SETTLED_REFUND_STATUSES as SETTLED_STATUSES,
  CANCELABLE_REFUND_STATUSES as CANCELABLE_STATUSES,
};

const has = (group: readonly RefundStatus[], status: RefundStatus) => group.includes(status);
export const isFinal = (status: RefundStatus) => has(FINAL_REFUND_STATUSES, status);
export const isAtProvider = (status: RefundStatus) => has(AT_PROVIDER_REFUND_STATUSES, status);
export const isCancelable = (status: RefundStatus) => has(CANCELABLE_REFUND_STATUSES, status);

/** Who or what moves a refund. */
export type Cause =
  /** The approval rules, when the request is made. */
  | 'policy'
  /** A manager deciding a request, or settling by hand what the provider's figures cannot prove. */
  | 'manager'
  /** The requester withdrawing (or a manager on their behalf). */
  | 'requester'
  /** Nobody decided before the request's expiry. */
  | 'expiry'
  /** The job that sends approved refunds. */
  | 'sender'
  /** What the provider answered to a submission, or later said about it (poll, webhook). */
  | 'provider'
  /** Settling an unknown outcome from what the provider shows afterwards. */
  | 'reconciler'
  /** Picking up a refund left in `submitting` by a crash. */
  | 'recovery';

interface Move {
  from: RefundStatus;
  to: RefundStatus;
  by: Cause;
  why: string;
}

const moves = (from: RefundStatus, to: RefundStatus[], by: Cause, why: string): Move[] =>
  to.map((target) => ({ from, to: target, by, why }));

/** Every allowed move. Anything not listed here is refused, in TypeScript and in the database. */
export const TRANSITIONS: readonly Move[] = [
  ...moves('requested', ['pending_approval'], 'policy', 'above a threshold or limit: a manager decides'),
  ...moves('requested', ['approved'], 'policy', 'within the agent’s limits'),
  ...moves('pending_approval', ['approved', 'rejected'], 'manager', 'a manager decided'),
  ...moves('pending_approval', ['expired'], 'expiry', 'no decision in time'),
  ...moves('pending_approval', ['canceled'], 'requester', 'withdrawn before a decision'),
  ...moves('approved', ['canceled'], 'requester', 'withdrawn before it was sent'),
  ...moves('approved', ['submitting'], 'sender', 'the sender took it; the attempt is written down next'),
  ...moves('submitting', ['approved'], 'sender', 'nothing was sent (the provider could not be read first)'),
  ...moves('submitting', ['approved'], 'recovery', 'the app stopped before anything was sent'),
  ...moves('submitting', ['outcome_unknown'], 'recovery', 'the app stopped after the request may have left'),
  ...moves(
    'submitting',
    ['processing', 'succeeded', 'partially_succeeded', 'failed', 'outcome_unknown'],
    'provider',
    'the provider answered (or did not)',
  ),
  ...moves('processing', ['succeeded', 'partially_succeeded', 'failed'], 'provider', 'the provider settled it'),
  ...moves(
    'outcome_unknown',
    ['processing', 'succeeded', 'partially_succeeded', 'failed'],
    'reconciler',
    'what the provider shows',
  ),
  ...moves('outcome_unknown', ['succeeded', 'partially_succeeded', 'failed'], 'provider', 'the provider’s own news settled it'),
  // No timer decides that a provider did not apply a refund (frontpayment.md errata 7): a manager
  // other than the requester settles it by hand, with a note, when the provider's figures cannot.
  ...moves('outcome_unknown', ['succeeded', 'failed'], 'manager', 'resolved by hand from what the provider shows'),
  ...moves('processing', ['succeeded', 'failed'], 'manager', 'resolved by hand from what the provider shows'),
];

/** Where a refund starts: its first status is one `requested` may move to, in the same transaction. */
export const INITIAL_STATUSES = TRANSITIONS.filter((m) => m.from === 'requested').map((m) => m.to);

export function canMove(from: RefundStatus, to: RefundStatus, by?: Cause) {
  return TRANSITIONS.some((m) => m.from === from && m.to === to && (by === undefined || m.by === by));
}

export class IllegalTransition extends Error {
  override name = 'IllegalTransition';
  constructor(from: RefundStatus, to: RefundStatus, by: Cause) {
    super(`a refund may not move from ${from} to ${to} (caused by ${by})`);
  }
}

export interface TransitionInput {
  refundId: string;
  /** The status the caller saw: the write happens only if the refund is still in it. */
  from: RefundStatus;
  to: RefundStatus;
  by: Cause;
  /** Plain-language reason for the new status; `null` clears the old one, absent keeps it. */
  statusReason?: string | null;
  providerErrorCode?: string | null;
  /** The audit action; `refund.status_changed` unless the move has its own name (`refund.approved` …). */
  action?: string;
  /** More to record in the audit event's `after` (a comment, the approved lines' digest …). */
  auditAfter?: Record<string, unknown>;
  outcome?: AuditEntry['outcome'];
}

/**
 * Moves one refund from `from` to `to`, if it is still in `from`, and appends the audit event in
 * the caller's transaction. Returns false when another writer moved it first (nothing written).
 * Throws IllegalTransition for a move the table does not allow.
 */
export async function transition(tx: Tx, audit: AuditContext, input: TransitionInput): Promise<boolean> {
  const { refundId, from, to, by } = input;
  if (!canMove(from, to, by)) throw new IllegalTransition(from, to, by);
  const now = new Date();
  const fields: StatusFields = {
    status: to,
    ...(input.statusReason !== undefined && { statusReason: input.statusReason }),
    ...(input.providerErrorCode !== undefined && { providerErrorCode: input.providerErrorCode }),
    ...(to === 'submitting' && { submittedAt: now }),
    ...(isFinal(to) && { completedAt: now }),
  };
  const moved = await writeRefundStatus(tx, refundId, from, fields);
  if (!moved) return false;
  const reason = Object.fromEntries(
    Object.entries({ statusReason: input.statusReason, providerErrorCode: input.providerErrorCode }).filter(
      ([, value]) => value !== undefined && value !== null,
    ),
  );
  await appendAudit(tx, audit, {
    action: input.action ?? 'refund.status_changed',
    entityType: 'refund',
    entityId: refundId,
    before: { status: from },
    after: { status: to, ...reason, ...input.auditAfter },
    outcome: input.outcome,
  });
  return true;
}

/**
 * Inserts a new refund directly in the status `requested` moves to (never left standing in
 * `requested`, PRODUCT.md §3). The caller appends the `refund.requested` audit event, which names
 * the status.
 */
export async function admit(tx: Tx, values: NewRefundRow, status: RefundStatus) {
  if (!INITIAL_STATUSES.includes(status)) throw new IllegalTransition('requested', status, 'policy');
  return insertRefundRow(tx, values, status);
}

/**
 * Records a refund that was completed somewhere else before Refund Desk saw it (the demo's past
 * refunds): inserted directly in its final status, which is what it was.
 */
export async function recordPastRefund(tx: Tx, values: NewRefundRow, status: (typeof FINAL_REFUND_STATUSES)[number]) {
  return insertRefundRow(tx, values, status);
}

const quote = (value: string) => `'${value.replace(/'/g, "''")}'`;

/**
 * The migration that makes the database enforce TRANSITIONS (db/migrations/0010_refund_lifecycle.sql
 * holds exactly this text; lib/refunds/lifecycle.test.ts keeps them equal): an update may change a
 * refund's status only along an allowed move. Inserts are not moves: the app inserts through
 * `admit` (an initial status only); loaders of history made elsewhere (the demo data, the
 * benchmark) insert refunds in whatever status they had.
 */
export function lifecycleTriggerSql() {
  const pairs = [...new Set(TRANSITIONS.map((m) => `(${quote(m.from)}, ${quote(m.to)})`))].join(',\n      ');
  return `-- Generated by lifecycleTriggerSql() in lib/refunds/lifecycle.ts from its TRANSITIONS table.
-- Do not edit by hand: change the table, then run \`npm run db:lifecycle\` to write a new migration.
CREATE OR REPLACE FUNCTION refund_status_move_allowed(p_from text, p_to text) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
  SELECT (p_from, p_to) IN (
    VALUES
      ${pairs}
  )
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION refunds_lifecycle_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.status IS DISTINCT FROM OLD.status AND NOT refund_status_move_allowed(OLD.status::text, NEW.status::text) THEN
    RAISE EXCEPTION 'refund % may not move from % to %', OLD.id, OLD.status, NEW.status USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
DROP TRIGGER IF EXISTS refunds_lifecycle ON refunds;
--> statement-breakpoint
CREATE TRIGGER refunds_lifecycle
  BEFORE UPDATE OF status ON refunds
  FOR EACH ROW EXECUTE FUNCTION refunds_lifecycle_guard();
`;
}
