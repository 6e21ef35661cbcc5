import type { Provider } from '@/db/schema/enum-values';
import { SERIES_STYLE } from './series';

/** One bar per UTC day: refund counts per provider, with amounts already formatted. */
export type ChartRow = {
  day: string;
  label: string;
  amounts: Record<Provider, string>;
  /** The counts in words in the reader's language ("3 refusjoner"); English when absent. */
  counts?: Record<Provider, string>;
} & Record<Provider, number>;

export interface ChartSeries {
  key: Provider;
  label: string;
}

/**
 * The chart is drawn on the server as plain SVG: no charting library and no script in the browser.
 * An SVG scales as a whole, text included, so it is drawn twice, for a narrow and a wide box, and
 * CSS shows the one that fits; each is shown near its own size, so its 11–12 px text stays that.
 */
export const CHART_SIZES = {
  narrow: { width: 360, height: 220, font: 11, labelGap: 44 },
  wide: { width: 720, height: 256, font: 12, labelGap: 56 },
} as const;
export type ChartSize = keyof typeof CHART_SIZES;

const MARGIN = { top: 10, right: 6, bottom: 22, left: 30 };
/** Space between bars, as a share of each day's band. */
const BAR_GAP = 0.15;

/**
 * The y axis: whole refunds in about four steps of 1, 2 or 5 × 10ⁿ, the top tick a step above the
 * tallest bar's floor, so the tallest bar never touches the top of the box.
 */
export function countTicks(max: number): number[] {
  if (max <= 0) return [0, 1];
  const raw = max / 4;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = Math.max(
    1,
    [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw)!,
  );
  const top = (Math.floor(max / step) + 1) * step;
  return Array.from({ length: top / step + 1 }, (_, i) => i * step);
}

export interface ChartBar {
  day: string;
  provider: Provider;
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Where everything goes in a box of `size`: pure arithmetic, tested on its own. */
export function chartLayout(rows: ChartRow[], series: ChartSeries[], size: ChartSize) {
  const { width, height, labelGap } = CHART_SIZES[size];
  const plot = { left: MARGIN.left, top: MARGIN.top, right: width - MARGIN.right, bottom: height - MARGIN.bottom };
  const totals = rows.map((row) => series.reduce((sum, s) => sum + row[s.key], 0));
  const ticks = countTicks(Math.max(0, ...totals));
  const top = ticks.at(-1)!;
  const yOf = (count: number) => plot.bottom - (count / top) * (plot.bottom - plot.top);
  const band = (plot.right - plot.left) / Math.max(rows.length, 1);
  const barWidth = band * (1 - BAR_GAP);
  // Every k-th day is labelled, counted back from the last (today), so labels never overlap.
  const every = Math.max(1, Math.ceil(labelGap / band));
  const bars: ChartBar[] = [];
  const days = rows.map((row, i) => {
    const x = plot.left + i * band;
    let stacked = 0;
    for (const s of series) {
      const count = row[s.key];
      if (count > 0) {
        const y = yOf(stacked + count);
        bars.push({ day: row.day, provider: s.key, x: x + (band - barWidth) / 2, y, width: barWidth, height: yOf(stacked) - y });
      }
      stacked += count;
    }
    return { row, x, band, labelled: (rows.length - 1 - i) % every === 0 };
  });
  return { width, height, plot, ticks: ticks.map((t) => ({ value: t, y: yOf(t) })), bars, days };
}

const patternId = (provider: Provider, size: ChartSize) => `overview-chart-${provider}-${size}`;

/** What a day's column says when hovered: the same words the table has. */
function dayTitle(row: ChartRow, series: ChartSeries[]) {
  const parts = series.map(
    (s) =>
      `${s.label}: ${row.counts?.[s.key] ?? `${row[s.key]} ${row[s.key] === 1 ? 'refund' : 'refunds'}`}${row[s.key] > 0 ? ` · ${row.amounts[s.key]}` : ''}`,
  );
  return `${row.label}\n${parts.join('\n')}`;
}

function Chart({ rows, series, summary, size }: { rows: ChartRow[]; series: ChartSeries[]; summary: string; size: ChartSize }) {
  const layout = chartLayout(rows, series, size);
  const { plot } = layout;
  const font = CHART_SIZES[size].font;
  return (
    <svg
      viewBox={`0 0 ${layout.width} ${layout.height}`}
      width="100%"
      className="block h-auto overflow-visible"
      data-chart="refunds-per-day"
      data-size={size}
    >
      <desc>{summary}</desc>
      <defs>
        {series.map(({ key }) => {
          const pattern = SERIES_STYLE[key].pattern;
          return pattern ? (
            <pattern
              key={key}
              id={patternId(key, size)}
              width="6"
              height="6"
              patternUnits="userSpaceOnUse"
              patternTransform="rotate(45)"
            >
              <rect width="6" height="6" fill={pattern.background} />
              <rect width="3" height="6" fill={pattern.stripe} />
            </pattern>
          ) : null;
        })}
      </defs>
      {layout.ticks.map((tick) => (
        <g key={tick.value}>
          <line x1={plot.left} x2={plot.right} y1={tick.y} y2={tick.y} stroke={tick.value === 0 ? '#cbd5e1' : '#e2e8f0'} />
          <text x={plot.left - 6} y={tick.y} dy="0.35em" textAnchor="end" fontSize={font} fill="#475569">
            {tick.value}
          </text>
        </g>
      ))}
      {layout.days.map(({ row, x, band, labelled }) => (
        <g key={row.day} className="group" data-day={row.day}>
          <title>{dayTitle(row, series)}</title>
          {/* The column under the pointer is shaded, as the table's row would be. */}
          <rect
            x={x}
            y={plot.top}
            width={band}
            height={plot.bottom - plot.top}
            className="fill-transparent group-hover:fill-slate-100"
          />
          {labelled && (
            <text x={x + band / 2} y={plot.bottom + 15} textAnchor="middle" fontSize={font} fill="#475569">
              {row.label}
            </text>
          )}
        </g>
      ))}
      {layout.bars.map((bar) => {
        const style = SERIES_STYLE[bar.provider];
        return (
          <rect
            key={`${bar.day}-${bar.provider}`}
            x={bar.x}
            y={bar.y}
            width={bar.width}
            height={bar.height}
            fill={style.pattern ? `url(#${patternId(bar.provider, size)})` : style.fill}
            stroke={style.stroke}
            strokeWidth={1}
            pointerEvents="none"
            data-provider={bar.provider}
          />
        );
      })}
    </svg>
  );
}

/** The stacked bars, for the eye: the page gives the same numbers as a summary and a table. */
export function RefundsPerDayChart({ rows, series, summary }: { rows: ChartRow[]; series: ChartSeries[]; summary: string }) {
  return (
    <>
      <div className="sm:hidden">
        <Chart rows={rows} series={series} summary={summary} size="narrow" />
      </div>
      <div className="hidden sm:block">
        <Chart rows={rows} series={series} summary={summary} size="wide" />
      </div>
    </>
  );
}
