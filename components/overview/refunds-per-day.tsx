import { Fragment } from 'react';
import type { OverviewDay } from '@/db/queries/overview';
import type { Provider } from '@/db/schema/enums';
import { EmptyState } from '@/components/ui/card';
import { Table, Td, Th } from '@/components/ui/table';
import { PROVIDER_LABELS } from '@/lib/providers/labels';
import { formatMoney } from '@/lib/money';
import { RefundsPerDayChart, type ChartRow, type ChartSeries } from './refunds-per-day-chart';
import { SERIES_STYLE, SeriesSwatch } from './series';

const dayLabel = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });
const label = (day: string) => dayLabel.format(new Date(`${day}T00:00:00Z`));

function amountText(amounts: { currency: string; amountMinor: number }[]) {
  return amounts.length ? amounts.map((a) => formatMoney(a.amountMinor, a.currency)).join(' + ') : '—';
}

/**
 * Settled refunds per UTC day and provider over the last 30 days: a stacked bar chart of counts
 * (amounts in different currencies cannot share an axis; they are in the tooltip and the table),
 * a text legend, a one-sentence summary and the same numbers as a table.
 */
export function RefundsPerDay({ days }: { days: OverviewDay[] }) {
  const providers = Object.keys(days[0]?.providers ?? {}) as Provider[];
  const series: ChartSeries[] = providers.map((key) => ({ key, label: PROVIDER_LABELS[key] }));
  const totals = Object.fromEntries(providers.map((p) => [p, days.reduce((n, d) => n + d.providers[p].refunds, 0)])) as Record<
    Provider,
    number
  >;
  const all = providers.reduce((n, p) => n + totals[p], 0);
  if (all === 0) {
    return (
      <EmptyState title="No refunds settled in the last 30 days">
        Refunds appear here on the day the provider settles them.
      </EmptyState>
    );
  }

  const rows: ChartRow[] = days.map((d) => {
    const row = { day: d.day, label: label(d.day), amounts: {} } as ChartRow;
    for (const p of providers) {
      row[p] = d.providers[p].refunds;
      row.amounts[p] = amountText(d.providers[p].amounts);
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
  const summary =
    `${all} refunds settled from ${label(first)} to ${label(last)}: ` +
    series.map((s) => `${s.label} ${totals[s.key]}`).join(', ') +
    `. Busiest day ${label(busiest.day)} with ${busiest.n}.`;

  return (
    <figure className="px-4 pb-3 pt-2">
      <ul className="mb-1 flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-700" aria-label="Legend">
        {series.map((s) => (
          <li key={s.key} className="flex items-center gap-1.5">
            <SeriesSwatch provider={s.key} />
            <span>
              <span className="font-medium">{s.label}</span> ({SERIES_STYLE[s.key].texture}) · {totals[s.key]} refunds
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
        <summary className="cursor-pointer text-xs font-medium text-brand-700 hover:underline">Show as table</summary>
        <div className="mt-2 max-h-80 overflow-y-auto rounded border border-slate-200">
          <Table data-testid="overview-chart-table">
            <caption className="sr-only">Settled refunds per day (UTC) and provider, last 30 days</caption>
            <thead>
              <tr>
                <Th rowSpan={2}>Day (UTC)</Th>
                {series.map((s) => (
                  <Th key={s.key} scope="colgroup" colSpan={2} className="text-center">
                    {s.label}
                  </Th>
                ))}
              </tr>
              <tr>
                {series.map((s) => (
                  <Fragment key={s.key}>
                    <Th numeric>Refunds</Th>
                    <Th numeric>Amount</Th>
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
                      amount={amountText(d.providers[s.key].amounts)}
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
