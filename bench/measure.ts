/** Timing helpers: figures only, no thresholds. */

export interface Figure {
  group: string;
  name: string;
  runs: number;
  medianMs: number;
  p95Ms: number;
  /** Rows the measured call returned or streamed (per run). */
  rows?: number;
  /** Rows (or events) per second, from the median run. */
  rowsPerSec?: number;
  note?: string;
  /**
   * The figure's target from issue #12 / PRODUCT.md §2 (e.g. "p95 ≤ 50 ms", "≥ 100k rows/s") and
   * whether this run met it. Printed beside the figure; the bench never fails on a miss.
   */
  target?: Target;
}

export interface Target {
  text: string;
  met: boolean;
}

/** A target on the p95 (ms): met when p95 ≤ limit. */
export const p95AtMost = (limitMs: number, p95Ms: number): Target => ({
  text: `p95 ≤ ${limitMs} ms`,
  met: p95Ms <= limitMs,
});

/** A target on a rate (per second): met when rate ≥ floor. */
export const rateAtLeast = (floor: number, perSec: number | undefined, unit = 'rows'): Target => ({
  text: `≥ ${formatRate(floor).replace('/s', '')} ${unit}/s`,
  met: perSec !== undefined && perSec >= floor,
});

/** A target on a size or memory figure: met when value ≤ limit. */
export const atMost = (limit: number, value: number, text: string): Target => ({ text, met: value <= limit });

export const targetCell = (target: Target | undefined) => (target ? `${target.met ? 'met' : 'MISSED'}: ${target.text}` : '');

export function quantile(sorted: number[], q: number): number {
  if (!sorted.length) return Number.NaN;
  // Nearest rank: with few runs the p95 is the slowest run, which is the honest reading.
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1]!;
}

export async function timeRuns<T>(
  runs: number,
  fn: () => Promise<T>,
  options: { warmup?: number } = {},
): Promise<{ samples: number[]; medianMs: number; p95Ms: number; last: T }> {
  let last!: T;
  for (let i = 0; i < (options.warmup ?? 1); i++) last = await fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    last = await fn();
    samples.push(performance.now() - started);
  }
  const sorted = [...samples].sort((a, b) => a - b);
  return { samples, medianMs: quantile(sorted, 0.5), p95Ms: quantile(sorted, 0.95), last };
}

/** Peak resident set size while `fn` runs, sampled on a timer and whenever `sample()` is called. */
export function rssSampler(intervalMs = 20) {
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const sample = () => {
    const rss = process.memoryUsage().rss;
    if (rss > peak) peak = rss;
  };
  const timer = setInterval(sample, intervalMs);
  return {
    sample,
    stop: () => {
      clearInterval(timer);
      sample();
      return { baseline, peak, deltaBytes: peak - baseline };
    },
  };
}

export const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '-';
  if (ms >= 100) return Math.round(ms).toLocaleString('en-US');
  if (ms >= 10) return ms.toFixed(1);
  return ms.toFixed(2);
}

export function formatRate(perSec: number | undefined): string {
  if (perSec === undefined || !Number.isFinite(perSec)) return '';
  if (perSec >= 10_000) return `${Math.round(perSec / 1000)}k/s`;
  return `${Math.round(perSec)}/s`;
}

/** A plain-text table: first column left-aligned, the others right-aligned. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === 0 || i === cells.length - 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
