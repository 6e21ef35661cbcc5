// Stopgap: the badge moved to components/refunds/ and the labels to lib/format.ts. Only
// components/refunds/refund-timeline.tsx still imports this file; once it reads REFUND_STATUS_LABELS
// from '@/lib/format', delete this file.
import type { RefundStatus } from '@/db/schema/enums';
import { REFUND_STATUS_LABELS } from '@/lib/format';

/** @deprecated Use REFUND_STATUS_LABELS from '@/lib/format'. */
export const REFUND_STATUS = Object.fromEntries(
  Object.entries(REFUND_STATUS_LABELS).map(([status, label]) => [status, { label }]),
) as Record<RefundStatus, { label: string }>;
