/*
 * The approval rules moved to ./approval-rules (pure, shared with the refund form) and the policy
 * reads to @/db/queries/policy. This re-export remains only because the admin settings page
 * (app/(dashboard)/admin/settings/page.tsx) still imports from here; once its import points at
 * @/db/queries/policy, delete this file.
 */
export { approvalExpiryHours } from '@/db/queries/policy';
