'use client';

import Link from 'next/link';
import { useTranslations } from 'next-intl';
import type { Ref } from 'react';
import type { RefundReason, RefundStatus } from '@/db/schema/enums';
import { Button } from '@/components/ui/button';
import { Select } from '@/components/ui/input';
import { formatMoney } from '@/lib/money';
import { REFUND_REASONS } from '@/lib/refunds/constants';
import type { RefundFormData } from '@/lib/refunds/types';
import { RefundStatusLive } from './refund-status-live';

export type RefundResult = { refundId: string; status: RefundStatus; final: boolean; duplicate: boolean; totalMinor: number };

/** The form's title, the provider's rule, and the bulk actions. */
export function RefundFormToolbar({
  note,
  selectedCount,
  onReasonForAll,
  onEverything,
  onClear,
}: {
  note: string;
  selectedCount: number;
  onReasonForAll: (reason: RefundReason) => void;
  onEverything: () => void;
  onClear: () => void;
}) {
  const t = useTranslations('refunds.form');
  const ts = useTranslations('status');
  return (
    <header className="flex flex-wrap items-center justify-between gap-2 border-b border-slate-200 px-4 py-2.5">
      <div>
        <h2 id="refund-form-title" className="text-sm font-semibold text-slate-800">
          {t('title')}
        </h2>
        <p className="text-xs text-slate-500">{note}</p>
      </div>
      <div className="flex flex-wrap items-center gap-2">
        <label htmlFor="refund-reason-all" className="sr-only">
          {t('reasonForAll')}
        </label>
        <div className="w-full min-[420px]:w-52">
          <Select
            id="refund-reason-all"
            value=""
            disabled={selectedCount === 0}
            onChange={(event) => event.target.value && onReasonForAll(event.target.value as RefundReason)}
          >
            <option value="">{t('setAllReasons')}</option>
            {REFUND_REASONS.map((reason) => (
              <option key={reason} value={reason}>
                {ts(`reason.${reason}`)}
              </option>
            ))}
          </Select>
        </div>
        <Button type="button" variant="secondary" onClick={onEverything} data-testid="refund-everything">
          {t('everything')}
        </Button>
        <Button type="button" variant="ghost" disabled={selectedCount === 0} onClick={onClear}>
          {t('clear')}
        </Button>
      </div>
    </header>
  );
}

/** After a success: what was requested, its live status, and a link to the refund. */
export function RefundResultNotice({
  ref,
  result,
  data,
}: {
  ref: Ref<HTMLDivElement>;
  result: RefundResult;
  data: Pick<RefundFormData, 'currency' | 'customerName' | 'locale'>;
}) {
  const t = useTranslations('refunds.result');
  return (
    <div
      ref={ref}
      tabIndex={-1}
      role="status"
      data-testid="refund-result"
      className="mb-3 flex flex-wrap items-center justify-between gap-2 rounded-md border border-brand-100 bg-brand-50 px-3 py-2 text-sm text-slate-800"
    >
      <span className="flex flex-wrap items-center gap-x-2 gap-y-1">
        {result.duplicate && <span>{t('duplicate')}</span>}
        <span>
          {t.rich(result.status === 'pending_approval' ? 'requestedWaiting' : 'requested', {
            amount: formatMoney(result.totalMinor, data.currency, data.locale),
            customer: data.customerName,
            strong: (chunks) => <strong>{chunks}</strong>,
          })}
        </span>
        <RefundStatusLive
          refundId={result.refundId}
          initial={{ status: result.status, final: result.final, statusReason: null, providerErrorCode: null }}
          refresh="never"
          showReason={false}
          testId="refund-result-status"
        />
      </span>
      <Link href={`/refunds/${result.refundId}`} className="font-medium text-brand-700 underline">
        {t('view')}
      </Link>
    </div>
  );
}
