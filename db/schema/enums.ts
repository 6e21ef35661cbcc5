import { pgEnum } from 'drizzle-orm/pg-core';

// Every enum lives here once: the Drizzle column feeds zod schemas and UI options.

export const roleEnum = pgEnum('role', ['agent', 'manager', 'auditor', 'admin']);
export const providerEnum = pgEnum('provider', ['forage', 'frontpayment']);

/** Kind of order at the provider: Forage orders, or Frontpayment's three refund `type`s. */
export const orderKindEnum = pgEnum('order_kind', ['forage', 'regular', 'invoiced', 'reservation']);

/** Our normalised order status; the raw provider string is kept in `orders.provider_status`. */
export const orderStatusEnum = pgEnum('order_status', [
  'open',
  'reserved',
  'invoiced',
  'paid',
  'partially_refunded',
  'refunded',
  'cancelled',
  'expired',
]);

/**
 * Where money came from / goes back to. Forage `funding_type` values (forage.md §6.1) and
 * Frontpayment's money buckets: the order itself (regular / invoiced) or a reservation's
 * capture or charge (frontpayment.md §4 `source`).
 */
export const tenderEnum = pgEnum('tender', [
  'ebt_snap',
  'ebt_cash',
  'credit_tpp',
  'benefit',
  'regular',
  'invoiced',
  'captured',
  'charged',
]);

/** Forage product eligibility (forage.md §6.2); null for Frontpayment lines. */
export const eligibilityEnum = pgEnum('eligibility', ['snap', 'ebt_cash', 'non_ebt']);

export const refundStatusEnum = pgEnum('refund_status', [
  'requested',
  'pending_approval',
  'approved',
  'submitting',
  'processing',
  'succeeded',
  'partially_succeeded',
  'failed',
  'outcome_unknown',
  'rejected',
  'expired',
  'canceled',
]);

export const refundReasonEnum = pgEnum('refund_reason', [
  'damaged',
  'not_delivered',
  'wrong_item',
  'missing_item',
  'quality',
  'price_adjustment',
  'duplicate_charge',
  'other',
]);

export const providerRefundStatusEnum = pgEnum('provider_refund_status', ['pending', 'processing', 'succeeded', 'failed']);

/** A submission row is written as `pending` before the HTTP call and settled after it. */
export const submissionOutcomeEnum = pgEnum('submission_outcome', ['pending', 'accepted', 'rejected', 'unknown']);

export const approvalDecisionEnum = pgEnum('approval_decision', ['approved', 'rejected']);
export const jobStatusEnum = pgEnum('job_status', ['queued', 'running', 'done', 'failed']);
export const auditOutcomeEnum = pgEnum('audit_outcome', ['success', 'failure']);

export type Role = (typeof roleEnum.enumValues)[number];
export type Provider = (typeof providerEnum.enumValues)[number];
export type OrderKind = (typeof orderKindEnum.enumValues)[number];
export type OrderStatus = (typeof orderStatusEnum.enumValues)[number];
export type Tender = (typeof tenderEnum.enumValues)[number];
export type Eligibility = (typeof eligibilityEnum.enumValues)[number];
export type RefundStatus = (typeof refundStatusEnum.enumValues)[number];
export type RefundReason = (typeof refundReasonEnum.enumValues)[number];
export type AuditOutcome = (typeof auditOutcomeEnum.enumValues)[number];

/** Refund statuses whose amounts no longer hold money back on a line (PRODUCT.md §3). */
export const RELEASED_REFUND_STATUSES = ['rejected', 'expired', 'canceled', 'failed'] as const satisfies readonly RefundStatus[];
/** Refund statuses in which the money has moved. */
export const SETTLED_REFUND_STATUSES = ['succeeded', 'partially_succeeded'] as const satisfies readonly RefundStatus[];
