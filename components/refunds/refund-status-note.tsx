import type { Provider, RefundStatus } from '@/db/schema/enums';
import { cn } from '@/lib/cn';
import { providerLabel } from '@/lib/providers/registry';
import { describeProviderError } from './provider-error';
import { ProviderApprovalButton } from './provider-approval-button';

const TROUBLE: RefundStatus[] = ['failed', 'partially_succeeded', 'outcome_unknown'];
const HEADINGS: Partial<Record<RefundStatus, string>> = {
  failed: 'The refund failed',
  partially_succeeded: 'Part of the refund failed',
  outcome_unknown: 'Outcome not known yet',
  rejected: 'Rejected',
  pending_approval: 'Waiting for approval',
};

/** Codes Refund Desk itself gives a refund's outcome (no provider said them). */
const REFUND_DESK_CODES: Record<string, { message: string; action: string }> = {
  resolved_not_applied: {
    message: 'A manager settled this refund by hand: the provider did not make it.',
    action: 'The amount is free again: make a new refund if it is still owed.',
  },
  not_found_at_provider: {
    message: 'The provider has no record of this refund, so no money moved.',
    action: 'The amount is free again: make a new refund if it is still owed.',
  },
};

/**
 * Why the refund is where it is, in plain words with the provider's raw code beside it; for a
 * failure also what to do next, and Frontpayment's approval request where it applies.
 */
export function RefundStatusNote({
  provider,
  status,
  statusReason,
  providerErrorCode,
  refundId,
  amountText,
  canAskProvider,
}: {
  provider: Provider;
  status: RefundStatus;
  statusReason: string | null;
  providerErrorCode: string | null;
  refundId: string;
  amountText: string;
  canAskProvider: boolean;
}) {
  if (status === 'succeeded' || !(statusReason || providerErrorCode)) return null;
  const trouble = TROUBLE.includes(status);
  const described = providerErrorCode
    ? (REFUND_DESK_CODES[providerErrorCode] ?? describeProviderError(provider, providerErrorCode))
    : null;
  return (
    <section
      aria-labelledby="refund-note-title"
      data-testid="refund-problem"
      className={cn(
        'mb-4 flex flex-wrap items-start justify-between gap-3 rounded-lg border px-4 py-3 text-sm',
        trouble ? 'border-red-200 bg-red-50 text-red-900' : 'border-slate-200 bg-white text-slate-800',
      )}
    >
      <div className="min-w-0 space-y-0.5">
        <h2 id="refund-note-title" className="font-semibold">
          {HEADINGS[status] ?? 'Status'}
        </h2>
        <p>
          {statusReason ?? described?.message}
          {providerErrorCode && (
            <code className="ml-1.5 rounded bg-slate-100 px-1 py-px font-mono text-xs text-slate-700" title="Provider error code">
              {providerErrorCode}
            </code>
          )}
        </p>
        {trouble && described && <p>Next: {described.action}</p>}
      </div>
      {canAskProvider && (
        <ProviderApprovalButton refundId={refundId} amountText={amountText} providerLabel={providerLabel(provider)} />
      )}
    </section>
  );
}
