'use client';

import { useTranslations } from 'next-intl';
import type { ReactNode } from 'react';
import { Select } from '@/components/ui/input';
import { cn } from '@/lib/cn';
import { formatMoney } from '@/lib/money';
import { remainingDailyMinor } from '@/lib/refunds/approval-rules';
import type { RefundFormData } from '@/lib/refunds/types';
import type { ApprovalCheck } from './refund-form-model';
import { FieldError } from './refund-lines-table';

/** The live summary: total, where it goes back to, whether a manager must approve, and the limits. */
export function RefundSummary({
  data,
  totalMinor,
  lineCount,
  split,
  approval,
  paymentRef,
  onPaymentRef,
  paymentError,
  children,
}: {
  data: RefundFormData;
  totalMinor: number;
  lineCount: number;
  split: { label: string; amountMinor: number }[];
  approval: ApprovalCheck[];
  paymentRef: string;
  onPaymentRef: (ref: string) => void;
  paymentError?: string;
  children: ReactNode;
}) {
  const t = useTranslations('refunds.summary');
  const money = (minor: number) => formatMoney(minor, data.currency, data.locale);
  const { approvalThresholdMinor, perRefundLimitMinor, perDayLimitMinor, usedTodayMinor } = data.policy;
  const leftToday = remainingDailyMinor(perDayLimitMinor, usedTodayMinor);
  return (
    <aside
      aria-labelledby="refund-summary-title"
      data-testid="refund-summary"
      className="space-y-3 rounded-md border border-slate-200 bg-slate-50 p-3 xl:sticky xl:top-4 xl:self-start"
    >
      <div>
        <h3 id="refund-summary-title" className="text-xs font-medium uppercase tracking-wide text-slate-500">
          {t('total')}
        </h3>
        {/* Polite live region: the total is read out as lines are chosen, without stealing focus. */}
        <p className="text-2xl font-semibold tabular-nums text-slate-900" aria-live="polite" data-testid="refund-total">
          {money(totalMinor)}
        </p>
        <p className="text-xs text-slate-500">
          {lineCount === 0 ? t('noLines') : t('lines', { count: lineCount, customer: data.customerName })}
        </p>
      </div>

      {data.paymentChoices.length > 0 && (
        <div className="space-y-1">
          <label htmlFor="refund-payment-ref" className="block text-xs font-medium text-slate-600">
            {t('from')}
          </label>
          <Select
            id="refund-payment-ref"
            value={paymentRef}
            onChange={(event) => onPaymentRef(event.target.value)}
            aria-invalid={Boolean(paymentError)}
            aria-describedby={paymentError ? 'refund-payment-ref-error' : undefined}
          >
            {data.paymentChoices.map((choice) => (
              <option key={choice.ref} value={choice.ref}>
                {t('choice', { label: choice.label, amount: money(choice.refundableMinor) })}
              </option>
            ))}
          </Select>
          <FieldError id="refund-payment-ref-error" message={paymentError} />
        </div>
      )}

      <div>
        <h3 className="text-xs font-medium uppercase tracking-wide text-slate-500">{t('goesBackTo')}</h3>
        {split.length === 0 ? (
          <p className="text-sm text-slate-500">—</p>
        ) : (
          <ul className="mt-0.5 space-y-0.5 text-sm" data-testid="refund-split">
            {split.map((part) => (
              <li key={part.label} className="flex justify-between gap-3">
                <span>{part.label}</span>
                <span className="tabular-nums font-medium">{money(part.amountMinor)}</span>
              </li>
            ))}
          </ul>
        )}
      </div>

      <div
        data-testid="refund-approval-note"
        aria-live="polite"
        className={cn(
          'rounded border px-2.5 py-1.5 text-sm',
          approval.length > 0 ? 'border-amber-200 bg-amber-50 text-amber-900' : 'border-slate-200 bg-white text-slate-700',
        )}
      >
        {totalMinor === 0 ? (
          t('chooseLines')
        ) : approval.length > 0 ? (
          <>
            <span className="font-medium">{t('needsApproval')}</span> {approval.map((a) => a.text).join('; ')}.
          </>
        ) : (
          t('noApproval')
        )}
      </div>

      <dl className="grid grid-cols-2 gap-x-3 gap-y-1 border-t border-slate-200 pt-2 text-xs" data-testid="refund-limits">
        <Limit label={t('leftOnOrder')} value={money(data.orderRefundableMinor)} />
        <Limit
          label={t('approvalAbove')}
          value={approvalThresholdMinor === null ? t('noThreshold') : money(approvalThresholdMinor)}
        />
        <Limit label={t('perRefund')} value={perRefundLimitMinor === null ? t('none') : money(perRefundLimitMinor)} />
        <Limit
          label={t('leftToday')}
          value={leftToday === null ? t('none') : money(leftToday)}
          hint={
            perDayLimitMinor === null ? undefined : t('used', { used: money(usedTodayMinor), limit: money(perDayLimitMinor) })
          }
        />
      </dl>
      {children}
    </aside>
  );
}

function Limit({ label, value, hint }: { label: string; value: string; hint?: string }) {
  return (
    <div className="min-w-0">
      <dt className="text-slate-500">{label}</dt>
      <dd className="font-medium tabular-nums break-words text-slate-800">{value}</dd>
      {hint && <dd className="text-slate-500">{hint}</dd>}
    </div>
  );
}
