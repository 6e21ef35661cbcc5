import { getTranslations } from 'next-intl/server';
import type { Provider, RefundStatus } from '@/db/schema/enums';
import { cn } from '@/lib/cn';
import { providerLabel } from '@/lib/providers/registry';
import { ProviderApprovalButton } from './provider-approval-button';
import { reasonWords } from './reason-words';

const TROUBLE: RefundStatus[] = ['failed', 'partially_succeeded', 'outcome_unknown'];
const HEADED = ['failed', 'partially_succeeded', 'outcome_unknown', 'rejected', 'pending_approval'] as const;
const headed = (status: RefundStatus): status is (typeof HEADED)[number] => (HEADED as readonly string[]).includes(status);

/** Codes Refund Desk itself gives a refund's outcome (no provider said them): refunds.json `deskCodes`. */
const REFUND_DESK_CODES = ['resolved_not_applied', 'not_found_at_provider'] as const;
const deskCode = (code: string): code is (typeof REFUND_DESK_CODES)[number] =>
  (REFUND_DESK_CODES as readonly string[]).includes(code);

/**
 * Why the refund is where it is, in plain words with the provider's raw code beside it; for a
 * failure also what to do next, and Frontpayment's approval request where it applies.
 */
export async function RefundStatusNote({
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
  const [t, said] = await Promise.all([getTranslations('refunds.note'), reasonWords()]);
  const trouble = TROUBLE.includes(status);
  const described = providerErrorCode
    ? deskCode(providerErrorCode)
      ? { message: t(`deskCodes.${providerErrorCode}`), action: t('freeAgain') }
      : said.providerError(provider, providerErrorCode)
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
          {headed(status) ? t(`headings.${status}`) : t('headings.other')}
        </h2>
        <p>
          {said.reason(statusReason, providerErrorCode) ?? described?.message}
          {providerErrorCode && (
            <code
              className="ml-1.5 rounded bg-slate-100 px-1 py-px font-mono text-xs break-all text-slate-700"
              title={t('codeTitle')}
            >
              {providerErrorCode}
            </code>
          )}
        </p>
        {trouble && described && <p>{t('next', { action: described.action })}</p>}
      </div>
      {canAskProvider && (
        <ProviderApprovalButton refundId={refundId} amountText={amountText} providerLabel={providerLabel(provider)} />
      )}
    </section>
  );
}
