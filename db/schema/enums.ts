import { pgEnum } from 'drizzle-orm/pg-core';
import {
  APPROVAL_DECISIONS,
  AUDIT_OUTCOMES,
  ELIGIBILITIES,
  JOB_STATUSES,
  ORDER_KINDS,
  ORDER_STATUSES,
  PROVIDER_CHECK_KINDS,
  PROVIDER_REFUND_STATUSES,
  REFUND_REASONS,
  REFUND_STATUSES,
  ROLES,
  SUBMISSION_OUTCOMES,
  TENDERS,
} from './enum-values';

// Every enum lives once, in ./enum-values.ts (plain arrays the browser may import too); the Drizzle
// columns here are made of them, and the zod schemas and UI options read the same arrays.
export * from './enum-values';

export const roleEnum = pgEnum('role', ROLES);
export const orderKindEnum = pgEnum('order_kind', ORDER_KINDS);
export const orderStatusEnum = pgEnum('order_status', ORDER_STATUSES);
export const tenderEnum = pgEnum('tender', TENDERS);
export const eligibilityEnum = pgEnum('eligibility', ELIGIBILITIES);
export const refundStatusEnum = pgEnum('refund_status', REFUND_STATUSES);
export const refundReasonEnum = pgEnum('refund_reason', REFUND_REASONS);
export const providerRefundStatusEnum = pgEnum('provider_refund_status', PROVIDER_REFUND_STATUSES);
export const providerCheckKindEnum = pgEnum('provider_check_kind', PROVIDER_CHECK_KINDS);
export const submissionOutcomeEnum = pgEnum('submission_outcome', SUBMISSION_OUTCOMES);
export const approvalDecisionEnum = pgEnum('approval_decision', APPROVAL_DECISIONS);
export const jobStatusEnum = pgEnum('job_status', JOB_STATUSES);
export const auditOutcomeEnum = pgEnum('audit_outcome', AUDIT_OUTCOMES);
