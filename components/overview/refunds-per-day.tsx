import { createTranslator } from 'next-intl';
import { Fragment } from 'react';
import type { Locale } from '@/i18n/locales';
import { MESSAGES } from '@/messages';
import type { OverviewDay } from '@/db/queries/overview';
import type { Provider } from '@/db/schema/enums';
import { EmptyState } from '@/components/ui/card';
import { Table, Td, Th } from '@/components/ui/table';
import { PROVIDER_LABELS } from '@/lib/providers/labels';
import { formatMoney } from '@/lib/money';
import { RefundsPerDayChart, type ChartRow, type ChartSeries } from './refunds-per-day-chart';
import { SERIES_STYLE, SeriesSwatch } from './series';

const DAY_LOCALE: Record<Locale, string> = { en: 'en-GB', nb: 'nb-NO' };
/** "3 Nov" in en, "3. nov." in nb: the day a bar or a table row stands for (UTC). */
export function dayLabel(day: string, locale: Locale) {
  return new Intl.DateTimeFormat(DAY_LOCALE[locale], { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(
    new Date(`${day}T00:00:00Z`),
  );
}

function amountText(amounts: { currency: string; amountMinor: number }[], locale: Locale) {
  return amounts.length ? amounts.map((a) => formatMoney(a.amountMinor, a.currency, locale)).join(' + ') : '—';
}

/**
 * Settled refunds per UTC day and provider over the last 30 days: a stacked bar chart of counts
 * (amounts in different currencies cannot share an axis; they are in the tooltip and the table),
 * a text legend, a one-sentence summary and the same numbers as a table.
 */
export function RefundsPerDay({ days, locale = 'en' }: { days: OverviewDay[]; locale?: Locale }) {
  // Synchronous (rendered to a string in its test): the page passes the reader's language.
  const t = createTranslator({ locale, messages: MESSAGES[locale], namespace: 'overview.chart' });
  const label = (day: string) => dayLabel(day, locale);
  const providers = Object.keys(days[0]?.providers ?? {}) as Provider[];
  const series: ChartSeries[] = providers.map((key) => ({ key, label: PROVIDER_LABELS[key] }));
  const totals = Object.fromEntries(providers.map((p) => [p, days.reduce((n, d) => n + d.providers[p].refunds, 0)])) as Record<
    Provider,
    number
  >;
  const all = providers.reduce((n, p) => n + totals[p], 0);
  if (all === 0) {
    return <EmptyState title={t('empty', { days: days.length })}>{t('emptyBody')}</EmptyState>;
  }

  const rows: ChartRow[] = days.map((d) => {
    const row = { day: d.day, label: label(d.day), amounts: {}, counts: {} } as ChartRow;
    for (const p of providers) {
      row[p] = d.providers[p].refunds;
      row.amounts[p] = amountText(d.providers[p].amounts, locale);
      row.counts![p] = t('legendCount', { count: d.providers[p].refunds });
    }
    return row;
  });
  const busiest = days.reduce(
    (best, d) => {
      const n = providers.reduce((sum, p) => sum + d.providers[p].refunds, 0);
      return n > best.n ? { day: d.day, n } : best;
    },
    { day: '', n: 0 },
  );
  const first = days[0]!.day;
  const last = days.at(-1)!.day;
  const summary = t('summary', {
    total: all,
    from: label(first),
    to: label(last),
    perProvider: series.map((s) => `${s.label} ${totals[s.key]}`).join(', '),
    busiest: label(busiest.day),
    count: busiest.n,
  });

  return (
    <figure className="px-4 pb-3 pt-2">
      <ul className="mb-1 flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-700" aria-label={t('legend')}>
        {series.map((s) => (
          <li key={s.key} className="flex items-center gap-1.5">
            <SeriesSwatch provider={s.key} />
            <span>
              <span className="font-medium">{s.label}</span> ({t(SERIES_STYLE[s.key].texture)}) ·{' '}
              {t('legendCount', { count: totals[s.key] })}
            </span>
          </li>
        ))}
      </ul>
      {/* The summary below and the table are what screen readers and keyboards get. */}
      <div aria-hidden="true">
        <RefundsPerDayChart rows={rows} series={series} summary={summary} />
      </div>
      <figcaption className="mt-1 text-xs text-slate-600">{summary}</figcaption>
      <details className="mt-2 text-sm">
        <summary className="cursor-pointer text-xs font-medium text-brand-700 hover:underline">{t('showTable')}</summary>
        <div className="mt-2 max-h-80 overflow-y-auto rounded border border-slate-200">
          <Table data-testid="overview-chart-table">
            <caption className="sr-only">{t('caption', { days: days.length })}</caption>
            <thead>
              <tr>
                <Th rowSpan={2}>{t('day')}</Th>
                {series.map((s) => (
                  <Th key={s.key} scope="colgroup" colSpan={2} className="text-center">
                    {s.label}
                  </Th>
                ))}
              </tr>
              <tr>
                {series.map((s) => (
                  <Fragment key={s.key}>
                    <Th numeric>{t('refunds')}</Th>
                    <Th numeric>{t('amount')}</Th>
                  </Fragment>
                ))}
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {[...days].reverse().map((d) => (
                <tr key={d.day} data-day={d.day}>
                  <Td className="whitespace-nowrap">{label(d.day)}</Td>
                  {series.map((s) => (
                    <SeriesCells
                      key={s.key}
                      refunds={d.providers[s.key].refunds}
                      amount={amountText(d.providers[s.key].amounts, locale)}
                    />
                  ))}
                </tr>
              ))}
            </tbody>
          </Table>
        </div>
      </details>
    </figure>
  );
}

function SeriesCells({ refunds, amount }: { refunds: number; amount: string }) {
  return (
    <>
      <Td numeric className={refunds === 0 ? 'text-slate-400' : undefined}>
        {refunds}
      </Td>
      <Td numeric className="whitespace-nowrap text-slate-600">
        {amount}
      </Td>
    </>
  );
}
