'use client';

import { Bar, BarChart, CartesianGrid, Tooltip, XAxis, YAxis } from 'recharts';
import type { Provider } from '@/db/schema/enums';
import { SERIES_STYLE, SeriesSwatch } from './series';

/** One bar per UTC day: refund counts per provider, with amounts already formatted on the server. */
export type ChartRow = { day: string; label: string; amounts: Record<Provider, string> } & Record<Provider, number>;

export interface ChartSeries {
  key: Provider;
  label: string;
}

const patternId = (provider: Provider) => `overview-chart-${provider}`;
const fillFor = (provider: Provider) =>
  SERIES_STYLE[provider].pattern ? `url(#${patternId(provider)})` : SERIES_STYLE[provider].fill;

/** Diagonal stripes for the series that have them; defined once, inside the chart's SVG. */
function Patterns({ series }: { series: ChartSeries[] }) {
  return (
    <defs>
      {series.map(({ key }) => {
        const pattern = SERIES_STYLE[key].pattern;
        return pattern ? (
          <pattern key={key} id={patternId(key)} width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
            <rect width="6" height="6" fill={pattern.background} />
            <rect width="3" height="6" fill={pattern.stripe} />
          </pattern>
        ) : null;
      })}
    </defs>
  );
}

export function RefundsPerDayChart({ rows, series, summary }: { rows: ChartRow[]; series: ChartSeries[]; summary: string }) {
  return (
    <BarChart
      responsive
      data={rows}
      style={{ width: '100%', height: 256 }}
      margin={{ top: 8, right: 8, bottom: 0, left: -16 }}
      desc={summary}
      // The page gives the same numbers as a summary and a table; the chart is for the eye.
      accessibilityLayer={false}
      barCategoryGap="15%"
    >
      <Patterns series={series} />
      <CartesianGrid vertical={false} stroke="#e2e8f0" />
      <XAxis
        dataKey="label"
        tick={{ fontSize: 11, fill: '#475569' }}
        tickLine={false}
        axisLine={{ stroke: '#cbd5e1' }}
        minTickGap={16}
      />
      <YAxis allowDecimals={false} tick={{ fontSize: 11, fill: '#475569' }} tickLine={false} axisLine={false} width={40} />
      <Tooltip
        cursor={{ fill: '#f1f5f9' }}
        content={({ active, payload }) => {
          const row = payload?.[0]?.payload as ChartRow | undefined;
          if (!active || !row) return null;
          return (
            <div className="rounded-md border border-slate-200 bg-white px-3 py-2 text-xs shadow-md">
              <p className="mb-1 font-semibold text-slate-800">{row.label}</p>
              {series.map((s) => (
                <p key={s.key} className="flex items-center gap-1.5 text-slate-700">
                  <SeriesSwatch provider={s.key} />
                  <span>
                    {s.label}: {row[s.key]} {row[s.key] === 1 ? 'refund' : 'refunds'}
                    {row[s.key] > 0 && <span className="text-slate-500"> · {row.amounts[s.key]}</span>}
                  </span>
                </p>
              ))}
            </div>
          );
        }}
      />
      {series.map((s) => (
        <Bar
          key={s.key}
          dataKey={s.key}
          name={s.label}
          stackId="refunds"
          fill={fillFor(s.key)}
          stroke={SERIES_STYLE[s.key].stroke}
          strokeWidth={1}
          isAnimationActive={false}
        />
      ))}
    </BarChart>
  );
}
