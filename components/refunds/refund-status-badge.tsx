import type { RefundStatus } from '@/db/schema/enums';
import { Badge, type Tone } from '@/components/ui/badge';
import { useTranslations } from 'next-intl';

const TONES: Record<RefundStatus, Tone> = {
  requested: 'gray',
  pending_approval: 'amber',
  approved: 'blue',
  submitting: 'blue',
  processing: 'blue',
  succeeded: 'green',
  partially_succeeded: 'amber',
  failed: 'red',
  outcome_unknown: 'red',
  rejected: 'gray',
  expired: 'gray',
  canceled: 'gray',
};

export function RefundStatusBadge({ status, testId }: { status: RefundStatus; testId?: string }) {
  const t = useTranslations('status.refund');
  return (
    <Badge tone={TONES[status]} data-testid={testId} data-status={status}>
      {t(status)}
    </Badge>
  );
}
