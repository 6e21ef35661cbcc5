import { useTranslations } from 'next-intl';
import type { RefundStatus } from '@/db/schema/enums';
import { RefundStatusBadge } from '@/components/refunds/refund-status-badge';
import { cn } from '@/lib/cn';
import type { ProviderErrorsT } from '@/lib/providers/error-words';
import { reasonText } from './reason-text';

const TROUBLE: RefundStatus[] = ['failed', 'partially_succeeded', 'outcome_unknown'];

/**
 * A refund's status badge and, when there is one, the reason in plain words with the provider's
 * raw code beside it. Only next-intl's hook: the server pages and the live (client) wrapper both render it.
 */
export function RefundStatusDisplay({
  status,
  statusReason,
  providerErrorCode,
  layout = 'stacked',
  showReason: withReason = true,
  testId = 'refund-status',
}: {
  status: RefundStatus;
  statusReason: string | null;
  providerErrorCode: string | null;
  layout?: 'stacked' | 'inline';
  showReason?: boolean;
  testId?: string;
}) {
  const t = useTranslations('refunds.note');
  const tr = useTranslations('refunds.reasons') as unknown as Parameters<typeof reasonText>[0];
  const tp = useTranslations('providerErrors') as unknown as ProviderErrorsT;
  const showReason = withReason && Boolean(statusReason || providerErrorCode) && status !== 'succeeded';
  return (
    <span
      className={cn(
        'inline-flex min-w-0 gap-x-2 gap-y-0.5',
        layout === 'stacked' ? 'flex-col items-start' : 'flex-wrap items-center',
      )}
    >
      <RefundStatusBadge status={status} testId={testId} />
      {showReason && (
        <span
          data-testid="refund-status-reason"
          className={cn(
            'max-w-sm text-xs break-words whitespace-normal',
            TROUBLE.includes(status) ? 'text-red-800' : 'text-slate-600',
          )}
        >
          {reasonText(tr, tp, statusReason, providerErrorCode)}
          {providerErrorCode && (
            <code
              className="ml-1.5 rounded bg-slate-100 px-1 py-px font-mono text-[11px] break-all text-slate-700"
              title={t('codeTitle')}
            >
              {providerErrorCode}
            </code>
          )}
        </span>
      )}
    </span>
  );
}
