import { getLocale, getTranslations } from 'next-intl/server';
import type { OrderFigures } from '@/db/queries/refundable';
import { formatMoney } from '@/lib/money';

/**
 * The order's money first: paid, refunded, still refundable, and a bar of how much is gone. The
 * bar is decoration for a sentence that says the same (not colour alone, WCAG 1.4.1).
 */
export async function OrderMoney({ figures, currency }: { figures: OrderFigures; currency: string }) {
  const [t, locale] = await Promise.all([getTranslations('orders.money'), getLocale()]);
  const money = (minor: number) => formatMoney(minor, currency, locale);
  const paid = figures.paidMinor;
  const share = (minor: number) => (paid > 0 ? Math.min(100, Math.max(0, (minor / paid) * 100)) : 0);
  const refunded = share(figures.refundedMinor);
  const held = Math.min(100 - refunded, share(figures.reservedMinor));
  const percent = new Intl.NumberFormat(locale === 'nb' ? 'nb-NO' : 'en-US', { style: 'percent', maximumFractionDigits: 0 });
  return (
    <section aria-labelledby="order-money-title" className="space-y-3 p-4">
      <h2 id="order-money-title" className="sr-only">
        {t('title')}
      </h2>
      {/* Rows of label and amount on a phone, three columns from 640 px; an amount is never split. */}
      <dl className="grid grid-cols-1 gap-x-3 gap-y-1.5 sm:grid-cols-3">
        <MoneyFigure label={t('paid')} value={money(figures.paidMinor)} testId="figure-paid" />
        <MoneyFigure label={t('refunded')} value={money(figures.refundedMinor)} testId="figure-refunded" />
        <MoneyFigure
          label={t('refundable')}
          value={money(figures.refundableMinor)}
          testId="figure-refundable"
          hint={figures.reservedMinor > 0 ? t('held', { amount: money(figures.reservedMinor) }) : undefined}
        />
      </dl>
      <div>
        <div aria-hidden="true" className="flex h-2.5 overflow-hidden rounded-full bg-emerald-100 ring-1 ring-slate-200">
          <div className="h-full bg-slate-500" style={{ width: `${refunded}%` }} />
          <div
            className="h-full bg-[repeating-linear-gradient(45deg,#d97706_0_4px,#fbbf24_4px_8px)]"
            style={{ width: `${held}%` }}
          />
        </div>
        <p className="mt-1 text-xs text-slate-600" data-testid="order-money-bar">
          {paid === 0
            ? t('barNothingPaid')
            : t('bar', {
                refunded: percent.format(refunded / 100),
                held: figures.reservedMinor > 0 ? percent.format(held / 100) : 'none',
                left: percent.format(share(figures.refundableMinor) / 100),
              })}
        </p>
      </div>
    </section>
  );
}

function MoneyFigure({ label, value, hint, testId }: { label: string; value: string; hint?: string; testId: string }) {
  return (
    <div className="flex min-w-0 flex-wrap items-baseline justify-between gap-x-3 sm:block">
      <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</dt>
      <dd className="text-lg font-semibold whitespace-nowrap tabular-nums text-slate-900 sm:mt-0.5" data-testid={testId}>
        {value}
      </dd>
      {hint && <dd className="basis-full text-right text-xs text-slate-500 sm:text-left">{hint}</dd>}
    </div>
  );
}
