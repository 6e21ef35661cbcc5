import type { RefundedTotal } from '@/db/queries/overview';
import { PROVIDER_LABELS } from '@/lib/providers/labels';
import { formatMoney } from '@/lib/money';

/** A stat (dt + dd, inside a `dl`) with one line per provider and currency: currencies are never added together. */
export function RefundedTotals({ label, totals, testId }: { label: string; totals: RefundedTotal[]; testId: string }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</dt>
      {totals.length === 0 ? (
        <dd className="mt-0.5 text-lg font-semibold text-slate-500" data-testid={testId}>
          Nothing yet
        </dd>
      ) : (
        <dd className="mt-0.5" data-testid={testId}>
          <ul className="space-y-0.5">
            {totals.map((t) => (
              <li
                key={`${t.provider}-${t.currency}`}
                data-provider={t.provider}
                data-currency={t.currency}
                data-amount-minor={t.amountMinor}
                className="flex flex-wrap items-baseline gap-x-2"
              >
                <span className="text-lg font-semibold tabular-nums text-slate-900">
                  {formatMoney(t.amountMinor, t.currency)}
                </span>
                <span className="text-xs text-slate-600">
                  {PROVIDER_LABELS[t.provider]} · {t.refunds} {t.refunds === 1 ? 'refund' : 'refunds'}
                </span>
              </li>
            ))}
          </ul>
        </dd>
      )}
    </div>
  );
}
