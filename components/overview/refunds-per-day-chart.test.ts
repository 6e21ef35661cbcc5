import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { OverviewDay } from '@/db/queries/overview';
import { CHART_SIZES, chartLayout, countTicks, type ChartRow, type ChartSeries } from './refunds-per-day-chart';
import { RefundsPerDay } from './refunds-per-day';

/**
 * The overview's chart is drawn on the server as SVG (no charting library in the browser). These
 * check what the chart must still show: a stacked bar per day and provider at the right height,
 * whole-number axis ticks above the tallest day, day labels that never collide at either size, and
 * around it the text legend, the summary and the table alternative.
 */

const series: ChartSeries[] = [
  { key: 'forage', label: 'Forage' },
  { key: 'frontpayment', label: 'Frontpayment' },
];

function rows(counts: [number, number][]): ChartRow[] {
  return counts.map(([forage, frontpayment], i) => {
    const day = `2026-11-${String(i + 1).padStart(2, '0')}`;
    return {
      day,
      label: `${i + 1} Nov`,
      forage,
      frontpayment,
      amounts: { forage: `$${forage}.00`, frontpayment: `${frontpayment},00 kr` },
    };
  });
}

describe('countTicks', () => {
  it('whole refunds in steps of 1, 2 or 5 × 10ⁿ, from 0 to above the tallest day', () => {
    expect(countTicks(1)).toEqual([0, 1, 2]);
    expect(countTicks(3)).toEqual([0, 1, 2, 3, 4]);
    expect(countTicks(7)).toEqual([0, 2, 4, 6, 8]);
    expect(countTicks(23)).toEqual([0, 10, 20, 30]);
    expect(countTicks(180)).toEqual([0, 50, 100, 150, 200]);
    for (let max = 1; max < 500; max++) {
      const ticks = countTicks(max);
      expect(ticks.at(-1)).toBeGreaterThan(max);
      expect(ticks.every(Number.isInteger)).toBe(true);
      expect(ticks.length).toBeLessThanOrEqual(6);
    }
  });
});

describe('chartLayout', () => {
  const thirty = rows(Array.from({ length: 30 }, (_, i): [number, number] => [i % 4, i % 3]));

  it('stacks each provider on the day, heights in proportion to the counts', () => {
    const layout = chartLayout(rows([[3, 1]]), series, 'wide');
    const [forage, frontpayment] = layout.bars;
    expect(forage).toMatchObject({ provider: 'forage' });
    expect(frontpayment).toMatchObject({ provider: 'frontpayment' });
    expect(forage!.y + forage!.height).toBeCloseTo(layout.plot.bottom);
    expect(frontpayment!.y + frontpayment!.height).toBeCloseTo(forage!.y);
    expect(forage!.height / frontpayment!.height).toBeCloseTo(3);
    // A day of 4 reaches the tick for 4, below the top one (0..5 in steps of 1).
    expect(layout.ticks.map((t) => t.value)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(frontpayment!.y).toBeCloseTo(layout.ticks.find((t) => t.value === 4)!.y);
    expect(frontpayment!.y).toBeGreaterThan(layout.plot.top);
  });

  it('draws no bar for a provider with nothing that day', () => {
    const layout = chartLayout(
      rows([
        [0, 2],
        [1, 0],
      ]),
      series,
      'wide',
    );
    expect(layout.bars.map((b) => `${b.day}:${b.provider}`)).toEqual(['2026-11-01:frontpayment', '2026-11-02:forage']);
  });

  for (const size of ['narrow', 'wide'] as const) {
    it(`${size}: labels the last day and never two labels closer than their width`, () => {
      const layout = chartLayout(thirty, series, size);
      const labelled = layout.days.filter((d) => d.labelled);
      expect(labelled.at(-1)!.row.day).toBe('2026-11-30');
      expect(labelled.length).toBeGreaterThanOrEqual(4);
      for (let i = 1; i < labelled.length; i++) {
        expect(labelled[i]!.x - labelled[i - 1]!.x).toBeGreaterThanOrEqual(CHART_SIZES[size].labelGap);
      }
      // Everything inside the box.
      for (const bar of layout.bars) {
        expect(bar.x).toBeGreaterThanOrEqual(layout.plot.left);
        expect(bar.x + bar.width).toBeLessThanOrEqual(layout.plot.right + 1e-9);
        expect(bar.y).toBeGreaterThanOrEqual(layout.plot.top - 1e-9);
      }
    });
  }
});

describe('RefundsPerDay, rendered on the server', () => {
  const days: OverviewDay[] = Array.from({ length: 30 }, (_, i) => ({
    day: `2026-11-${String(i + 1).padStart(2, '0')}`,
    providers: {
      forage: { refunds: i === 2 ? 3 : 0, amounts: i === 2 ? [{ currency: 'USD', amountMinor: 4500 }] : [] },
      frontpayment: { refunds: i === 3 ? 1 : 0, amounts: i === 3 ? [{ currency: 'NOK', amountMinor: 29800 }] : [] },
    },
  })) as OverviewDay[];
  const html = renderToStaticMarkup(createElement(RefundsPerDay, { days }));

  it('is SVG drawn on the server, at both sizes, each provider in its own fill', () => {
    expect(html.match(/<svg[^>]*data-chart="refunds-per-day"/g)).toHaveLength(2);
    expect(html).toContain('data-size="narrow"');
    expect(html).toContain('data-size="wide"');
    // One forage bar and one frontpayment bar per size; the striped one through its pattern.
    expect(html.match(/data-provider="forage"/g)).toHaveLength(2);
    expect(html.match(/data-provider="frontpayment"/g)).toHaveLength(2);
    expect(html).toContain('fill="url(#overview-chart-frontpayment-wide)"');
    expect(html).toContain('<pattern id="overview-chart-frontpayment-narrow"');
  });

  it('keeps the legend, the summary, the hover text and the table alternative', () => {
    expect(html).toContain('aria-label="Legend"');
    expect(html).toMatch(/Forage<\/span> \(solid\) · 3 refunds/);
    expect(html).toMatch(/Frontpayment<\/span> \(striped\) · 1 refund</);
    expect(html).toContain('<figcaption');
    expect(html).toContain('4 refunds settled from 1 Nov to 30 Nov: Forage 3, Frontpayment 1. Busiest day 3 Nov with 3.');
    expect(html).toContain('<title>3 Nov\nForage: 3 refunds · $45.00\nFrontpayment: 0 refunds</title>');
    expect(html).toContain('Show as table');
    expect(html.match(/<tr data-day=/g)).toHaveLength(30);
    // Axis labels: the counts and the days.
    expect(html).toMatch(/<text[^>]*>3<\/text>/);
    expect(html).toMatch(/<text[^>]*>30 Nov<\/text>/);
  });

  it('speaks Norwegian Bokmål with Norwegian days and money (issue #13)', () => {
    const nb = renderToStaticMarkup(createElement(RefundsPerDay, { days, locale: 'nb' }));
    expect(nb).toContain('aria-label="Tegnforklaring"');
    expect(nb).toMatch(/Frontpayment<\/span> \(stripet\) · 1 refusjon</);
    expect(nb).toContain('4 refusjoner fullført fra 1. nov. til 30. nov.');
    expect(nb).toMatch(/Frontpayment: 1 refusjon · 298,00\s?kr/);
    expect(nb).toContain('Vis som tabell');
  });
});
