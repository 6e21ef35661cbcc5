import { getLocale, getTranslations } from 'next-intl/server';
import type { RefundedTotal } from '@/db/queries/overview';
import { PROVIDER_LABELS } from '@/lib/providers/labels';
import { formatMoney } from '@/lib/money';

/** A stat (dt + dd, inside a `dl`) with one line per provider and currency: currencies are never added together. */
export async function RefundedTotals({ label, totals, testId }: { label: string; totals: RefundedTotal[]; testId: string }) {
  const [t, locale] = await Promise.all([getTranslations('overview'), getLocale()]);
  return (
    <div className="min-w-0">
      <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</dt>
      {totals.length === 0 ? (
        <dd className="mt-0.5 text-lg font-semibold text-slate-500" data-testid={testId}>
          {t('nothingYet')}
        </dd>
      ) : (
        <dd className="mt-0.5" data-testid={testId}>
          <ul className="space-y-0.5">
            {totals.map((total) => (
              <li
                key={`${total.provider}-${total.currency}`}
                data-provider={total.provider}
                data-currency={total.currency}
                data-amount-minor={total.amountMinor}
                className="flex flex-wrap items-baseline gap-x-2"
              >
                <span className="text-lg font-semibold tabular-nums text-slate-900">
                  {formatMoney(total.amountMinor, total.currency, locale)}
                </span>
                <span className="text-xs text-slate-600">
                  {PROVIDER_LABELS[total.provider]} · {t('refundCount', { count: total.refunds })}
                </span>
              </li>
            ))}
          </ul>
        </dd>
      )}
    </div>
  );
}
