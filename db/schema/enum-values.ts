/**
 * Every enum's values, once, as plain arrays: enums.ts makes the Drizzle columns of them, zod
 * schemas parse with them, and the UI lists them as options. Nothing here imports Drizzle (or
 * anything else), so a client component can import it without shipping the ORM to the browser.
 */

export const ROLES = ['agent', 'manager', 'auditor', 'admin'] as const;
/**
 * The providers this build knows. Stored as text, not a Postgres enum: a provider is added by its
 * folder in lib/providers and a registry entry (lib/providers/registry.ts), with no migration.
 */
export const PROVIDERS = ['forage', 'frontpayment'] as const;

/** Kind of order at the provider: Forage orders, or Frontpayment's three refund `type`s. */
export const ORDER_KINDS = ['forage', 'regular', 'invoiced', 'reservation'] as const;

/** Our normalised order status; the raw provider string is kept in `orders.provider_status`. */
export const ORDER_STATUSES = [
  'open',
  'reserved',
  'invoiced',
  'paid',
  'partially_refunded',
  'refunded',
  'cancelled',
  'expired',
] as const;

/**
 * Where money came from / goes back to. Forage `funding_type` values (forage.md §6.1) and
 * Frontpayment's money buckets: the order itself (regular / invoiced) or a reservation's
 * capture or charge (frontpayment.md §4 `source`).
 */
export const TENDERS = ['ebt_snap', 'ebt_cash', 'credit_tpp', 'benefit', 'regular', 'invoiced', 'captured', 'charged'] as const;

/** Forage product eligibility (forage.md §6.2); null for Frontpayment lines. */
export const ELIGIBILITIES = ['snap', 'ebt_cash', 'non_ebt'] as const;

export const REFUND_STATUSES = [
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
] as const;

export const REFUND_REASONS = [
  'damaged',
  'not_delivered',
  'wrong_item',
  'missing_item',
  'quality',
  'price_adjustment',
  'duplicate_charge',
  'other',
] as const;

export const PROVIDER_REFUND_STATUSES = ['pending', 'processing', 'succeeded', 'failed'] as const;
export const PROVIDER_CHECK_KINDS = ['status_read', 'conclusion'] as const;
/** A submission row is written as `pending` before the HTTP call and settled after it. */
export const SUBMISSION_OUTCOMES = ['pending', 'accepted', 'rejected', 'unknown'] as const;
export const APPROVAL_DECISIONS = ['approved', 'rejected'] as const;
export const JOB_STATUSES = ['queued', 'running', 'done', 'failed'] as const;
export const AUDIT_OUTCOMES = ['success', 'failure'] as const;

export type Role = (typeof ROLES)[number];
export type Provider = (typeof PROVIDERS)[number];
export type OrderKind = (typeof ORDER_KINDS)[number];
export type OrderStatus = (typeof ORDER_STATUSES)[number];
export type Tender = (typeof TENDERS)[number];
export type Eligibility = (typeof ELIGIBILITIES)[number];
export type RefundStatus = (typeof REFUND_STATUSES)[number];
export type RefundReason = (typeof REFUND_REASONS)[number];
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

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
