import type { RefundStatus } from '@/db/schema/enums';
import { Badge, type Tone } from '@/components/ui/badge';

export const REFUND_STATUS: Record<RefundStatus, { label: string; tone: Tone }> = {
  requested: { label: 'Requested', tone: 'gray' },
  pending_approval: { label: 'Awaiting approval', tone: 'amber' },
  approved: { label: 'Approved', tone: 'blue' },
  submitting: { label: 'Sending', tone: 'blue' },
  processing: { label: 'Processing', tone: 'blue' },
  succeeded: { label: 'Refunded', tone: 'green' },
  partially_succeeded: { label: 'Partly refunded', tone: 'amber' },
  failed: { label: 'Failed', tone: 'red' },
  outcome_unknown: { label: 'Outcome unknown', tone: 'red' },
  rejected: { label: 'Rejected', tone: 'gray' },
  expired: { label: 'Expired', tone: 'gray' },
  canceled: { label: 'Canceled', tone: 'gray' },
};

export function RefundStatusBadge({ status, testId }: { status: RefundStatus; testId?: string }) {
  const { label, tone } = REFUND_STATUS[status];
  return (
    <Badge tone={tone} data-testid={testId} data-status={status}>
      {label}
    </Badge>
  );
}
