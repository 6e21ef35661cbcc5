import { and, asc, eq, gte, inArray, isNull, or } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { DbOrTx } from '@/db';
import {
  approvals,
  auditEvents,
  orderLines,
  orderPayments,
  orders,
  providerChecks,
  providerRefunds,
  refundLines,
  refunds,
  submissions,
  users,
  webhookEvents,
  type Provider,
  type RefundStatus,
} from '@/db/schema';

/** One thing that happened to a refund. The refund page merges them into one timeline. */
export type TimelineEntry =
  | {
      kind: 'audit';
      at: Date;
      seq: number;
      action: string;
      actor: string | null;
      actorRole: string | null;
      outcome: 'success' | 'failure';
      before: unknown;
      after: unknown;
    }
  | { kind: 'request'; at: Date; attempt: number; idempotencyKey: string; body: unknown }
  | {
      kind: 'response';
      at: Date;
      attempt: number;
      outcome: 'pending' | 'accepted' | 'rejected' | 'unknown';
      httpStatus: number | null;
      errorCode: string | null;
      /** How long the call took, where it was recorded. */
      durationMs: number | null;
      body: unknown;
    }
  /** A status read made to settle an attempt, or the conclusion drawn (provider_checks). */
  | { kind: 'check'; at: Date; check: 'status_read' | 'conclusion'; attempt: number | null; finding: string; exchange: unknown }
  | {
      kind: 'webhook';
      at: Date;
      provider: Provider;
      eventId: string;
      eventType: string | null;
      eventCreatedAt: Date | null;
      processedAt: Date | null;
      lastError: string | null;
      payload: unknown;
    }
  /** From the refund row itself, for refunds with no audit trail (seeded or made before auditing). */
  | { kind: 'record'; at: Date; what: 'requested' | 'submitted' | 'completed'; status: RefundStatus };

const KIND_ORDER: Record<TimelineEntry['kind'], number> = { record: 0, request: 1, response: 2, check: 3, audit: 4, webhook: 5 };

const numberField = (value: unknown, key: string) => {
  const field = value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  return typeof field === 'number' ? field : null;
};

export function sortTimeline(entries: TimelineEntry[]): TimelineEntry[] {
  return [...entries].sort(
    (a, b) =>
      a.at.getTime() - b.at.getTime() ||
      KIND_ORDER[a.kind] - KIND_ORDER[b.kind] ||
      (a.kind === 'audit' && b.kind === 'audit' ? a.seq - b.seq : 0) ||
      (a.kind === 'request' && b.kind === 'request' ? a.attempt - b.attempt : 0),
  );
}

const requester = alias(users, 'requester');
const decider = alias(users, 'decider');

/**
 * Everything about one refund for its page: the refund with its order, requester and approval,
 * its lines (with the order lines' names), provider refunds, submissions, and a timeline of audit
 * events, provider requests and responses and webhooks, oldest first. Null when there is no such refund.
 */
export async function getRefundDetail(db: DbOrTx, refundId: string) {
  const [head] = await db
    .select({
      refund: refunds,
      order: {
        id: orders.id,
        orderNumber: orders.orderNumber,
        provider: orders.provider,
        providerRef: orders.providerRef,
        kind: orders.kind,
        customerName: orders.customerName,
        customerEmail: orders.customerEmail,
      },
      requester: { id: requester.id, name: requester.name, email: requester.email },
    })
    .from(refunds)
    .innerJoin(orders, eq(orders.id, refunds.orderId))
    .innerJoin(requester, eq(requester.id, refunds.requestedBy))
    .where(eq(refunds.id, refundId));
  if (!head) return null;

  const [approvalRows, lines, parts, attempts, audits, checks, followUps] = await Promise.all([
    db
      .select({
        decision: approvals.decision,
        comment: approvals.comment,
        decidedAt: approvals.decidedAt,
        decidedByName: decider.name,
      })
      .from(approvals)
      .innerJoin(decider, eq(decider.id, approvals.decidedBy))
      .where(eq(approvals.refundId, refundId)),
    db
      .select({
        id: refundLines.id,
        orderLineId: refundLines.orderLineId,
        name: orderLines.name,
        providerLineId: orderLines.providerLineId,
        unitPriceMinor: orderLines.unitPriceMinor,
        quantity: refundLines.quantity,
        amountMinor: refundLines.amountMinor,
        reason: refundLines.reason,
        reasonNote: refundLines.reasonNote,
      })
      .from(refundLines)
      .innerJoin(orderLines, eq(orderLines.id, refundLines.orderLineId))
      .where(eq(refundLines.refundId, refundId))
      .orderBy(asc(orderLines.position)),
    db
      .select({
        id: providerRefunds.id,
        providerRefundRef: providerRefunds.providerRefundRef,
        tender: providerRefunds.tender,
        amountMinor: providerRefunds.amountMinor,
        status: providerRefunds.status,
        lastError: providerRefunds.lastError,
        paymentRef: orderPayments.providerPaymentRef,
        providerUpdatedAt: providerRefunds.providerUpdatedAt,
        updatedAt: providerRefunds.updatedAt,
      })
      .from(providerRefunds)
      .leftJoin(orderPayments, eq(orderPayments.id, providerRefunds.paymentId))
      .where(eq(providerRefunds.refundId, refundId))
      .orderBy(asc(providerRefunds.createdAt), asc(providerRefunds.id)),
    db.select().from(submissions).where(eq(submissions.refundId, refundId)).orderBy(asc(submissions.attempt)),
    db
      .select({ event: auditEvents, actorName: users.name })
      .from(auditEvents)
      .leftJoin(users, eq(users.id, auditEvents.actorId))
      .where(and(eq(auditEvents.entityType, 'refund'), eq(auditEvents.entityId, refundId)))
      .orderBy(asc(auditEvents.seq)),
    // A read and the conclusion drawn from it share a transaction's timestamp; the kind's
    // order (status_read before conclusion) keeps them in the order they were made.
    db
      .select()
      .from(providerChecks)
      .where(eq(providerChecks.refundId, refundId))
      .orderBy(asc(providerChecks.createdAt), asc(providerChecks.kind)),
    db.select({ id: refunds.id, status: refunds.status }).from(refunds).where(eq(refunds.followUpOf, refundId)),
  ]);

  // Deliveries about this refund's provider refunds, and those that name only its order (the
  // provider sends no refund id) received since the refund was requested. The provider's parser
  // put both refs on the row when it arrived.
  const refs = parts.map((p) => p.providerRefundRef).filter((r): r is string => Boolean(r));
  const webhooks = await db
    .select()
    .from(webhookEvents)
    .where(
      and(
        eq(webhookEvents.provider, head.order.provider),
        or(
          refs.length ? inArray(webhookEvents.refundRef, refs) : undefined,
          and(
            isNull(webhookEvents.refundRef),
            eq(webhookEvents.orderRef, head.order.providerRef),
            gte(webhookEvents.receivedAt, head.refund.createdAt),
          ),
        ),
      ),
    );

  const timeline: TimelineEntry[] = [];
  for (const { event, actorName } of audits) {
    timeline.push({
      kind: 'audit',
      at: event.occurredAt,
      seq: event.seq,
      action: event.action,
      actor: actorName ?? event.actorEmail,
      actorRole: event.actorRole,
      outcome: event.outcome,
      before: event.before,
      after: event.after,
    });
  }
  for (const s of attempts) {
    timeline.push({
      kind: 'request',
      at: s.createdAt,
      attempt: s.attempt,
      idempotencyKey: s.idempotencyKey,
      body: s.requestBody,
    });
    if (s.completedAt || s.outcome !== 'pending') {
      timeline.push({
        kind: 'response',
        at: s.completedAt ?? s.createdAt,
        attempt: s.attempt,
        outcome: s.outcome,
        httpStatus: s.responseStatus,
        errorCode: s.errorCode,
        durationMs: numberField(s.responseBody, 'durationMs'),
        body: s.responseBody,
      });
    }
  }
  const attemptOf = new Map(attempts.map((s) => [s.id, s.attempt]));
  for (const c of checks) {
    timeline.push({
      kind: 'check',
      at: c.createdAt,
      check: c.kind,
      attempt: c.submissionId ? (attemptOf.get(c.submissionId) ?? null) : null,
      finding: c.finding,
      exchange: c.exchange,
    });
  }
  for (const w of webhooks) {
    timeline.push({
      kind: 'webhook',
      at: w.receivedAt,
      provider: w.provider,
      eventId: w.eventId,
      eventType: w.eventType,
      eventCreatedAt: w.eventCreatedAt,
      processedAt: w.processedAt,
      lastError: w.lastError,
      payload: w.payload,
    });
  }
  if (audits.length === 0) {
    const { refund } = head;
    timeline.push({ kind: 'record', at: refund.createdAt, what: 'requested', status: refund.status });
    if (refund.submittedAt) timeline.push({ kind: 'record', at: refund.submittedAt, what: 'submitted', status: refund.status });
    if (refund.completedAt) timeline.push({ kind: 'record', at: refund.completedAt, what: 'completed', status: refund.status });
  }

  return {
    refund: head.refund,
    order: head.order,
    requester: head.requester,
    approval: approvalRows[0] ?? null,
    lines,
    providerRefunds: parts,
    submissions: attempts,
    followUp: followUps[0] ?? null,
    timeline: sortTimeline(timeline),
  };
}

export type RefundDetail = NonNullable<Awaited<ReturnType<typeof getRefundDetail>>>;
