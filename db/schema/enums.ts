import { pgEnum } from 'drizzle-orm/pg-core';

// Every enum lives here once: the Drizzle column feeds zod schemas and UI options.

export const roleEnum = pgEnum('role', ['agent', 'manager', 'auditor', 'admin']);
/**
 * The providers this build knows. Stored as text, not a Postgres enum: a provider is added by its
 * folder in lib/providers and a registry entry (lib/providers/registry.ts), with no migration.
 */
export const PROVIDERS = ['forage', 'frontpayment'] as const;

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
export const providerCheckKindEnum = pgEnum('provider_check_kind', ['status_read', 'conclusion']);

export const submissionOutcomeEnum = pgEnum('submission_outcome', ['pending', 'accepted', 'rejected', 'unknown']);

export const approvalDecisionEnum = pgEnum('approval_decision', ['approved', 'rejected']);
export const jobStatusEnum = pgEnum('job_status', ['queued', 'running', 'done', 'failed']);
export const auditOutcomeEnum = pgEnum('audit_outcome', ['success', 'failure']);

export type Role = (typeof roleEnum.enumValues)[number];
export type Provider = (typeof PROVIDERS)[number];
export type OrderKind = (typeof orderKindEnum.enumValues)[number];
export type OrderStatus = (typeof orderStatusEnum.enumValues)[number];
export type Tender = (typeof tenderEnum.enumValues)[number];
export type Eligibility = (typeof eligibilityEnum.enumValues)[number];
export type RefundStatus = (typeof refundStatusEnum.enumValues)[number];
export type RefundReason = (typeof refundReasonEnum.enumValues)[number];
export type AuditOutcome = (typeof auditOutcomeEnum.enumValues)[number];

/*
 * Refund status groups. The lifecycle (lib/refunds/lifecycle.ts, with its table of moves) is where
 * the rest of the app asks about them; they are declared here, beside the enum, because the
 * database's guards and queries use them too and db/ imports nothing from lib/. The lifecycle's
 * test checks each group against the table of moves.
 */
/** Nothing more happens to these on their own: no move leaves them. */
export const FINAL_REFUND_STATUSES = [
  'succeeded',
  'partially_succeeded',
  'failed',
  'rejected',
  'expired',
  'canceled',
] as const satisfies readonly RefundStatus[];
/** Its amounts no longer hold money back on the order's lines (PRODUCT.md §3; migration 0003's guard). */
export const RELEASED_REFUND_STATUSES = ['rejected', 'expired', 'canceled', 'failed'] as const satisfies readonly RefundStatus[];
/** The money moved. */
export const SETTLED_REFUND_STATUSES = ['succeeded', 'partially_succeeded'] as const satisfies readonly RefundStatus[];
/** Sent, being sent or possibly sent: only the provider's news or a reconciliation moves these on. */
export const AT_PROVIDER_REFUND_STATUSES = [
  'submitting',
  'processing',
  'outcome_unknown',
] as const satisfies readonly RefundStatus[];
/** Not sent yet: waiting for the rules, a manager, or the sender. */
export const NOT_SENT_REFUND_STATUSES = ['requested', 'pending_approval', 'approved'] as const satisfies readonly RefundStatus[];
/** Goes to the provider without anyone deciding again, or is there already. */
export const IN_FLIGHT_REFUND_STATUSES = ['approved', ...AT_PROVIDER_REFUND_STATUSES] as const satisfies readonly RefundStatus[];
/** Can still be withdrawn: nothing has been sent. */
export const CANCELABLE_REFUND_STATUSES = ['pending_approval', 'approved'] as const satisfies readonly RefundStatus[];
