import type { Settings } from '../config';
import type { HttpOutcome } from '../http';

/**
 * The conformance check's rows (`npm run providers:check`): one per assumption a client depends
 * on, with what was seen. Required: the client cannot work without it. Optional: it works, with
 * less (said in `without`).
 */

export type CheckResult = 'holds' | 'does not hold' | 'not checked';
export type Need = 'required' | 'optional';
export type CheckedProvider = 'forage' | 'frontpayment';

/** What one provider's check is given: its settings and the orders the operator named. */
export interface CheckInput<S> {
  settings: Settings<S>;
  /** The order the operator named (--forage-order / --frontpayment-order, else the test order). */
  orderRef: string | null;
  /** Only with --send-test-refund --test-order: the order to send the one minimal test refund on. */
  testOrderRef: string | null;
  fetchImpl?: typeof fetch;
}

export interface Assumption {
  id: string;
  name: string;
  need: Need;
  /** What the client does without it (optional rows), shown when it does not hold. */
  without?: string;
}

export interface Row extends Assumption {
  provider: CheckedProvider;
  result: CheckResult;
  /** What came back, or why it was not checked. Never a secret. */
  seen: string;
}

/**
 * Collects one provider's rows in the order its assumptions are listed; any assumption the run
 * never reached is reported as not checked, with the reason given to `rows()`.
 */
export class Report {
  private readonly found = new Map<string, Omit<Row, keyof Assumption | 'provider'>>();

  constructor(
    readonly provider: CheckedProvider,
    private readonly assumptions: readonly Assumption[],
  ) {}

  holds(id: string, seen: string) {
    this.set(id, 'holds', seen);
  }

  doesNotHold(id: string, seen: string) {
    this.set(id, 'does not hold', seen);
  }

  notChecked(id: string, why: string) {
    this.set(id, 'not checked', why);
  }

  /** Marks every listed assumption not yet reported as not checked. */
  skip(ids: readonly string[], why: string) {
    for (const id of ids) if (!this.found.has(id)) this.notChecked(id, why);
  }

  has(id: string) {
    return this.found.has(id);
  }

  result(id: string): CheckResult | null {
    return this.found.get(id)?.result ?? null;
  }

  rows(unreached = 'not reached'): Row[] {
    return this.assumptions.map((a) => ({
      ...a,
      provider: this.provider,
      ...(this.found.get(a.id) ?? { result: 'not checked' as const, seen: unreached }),
    }));
  }

  private set(id: string, result: CheckResult, seen: string) {
    if (!this.assumptions.some((a) => a.id === id)) throw new Error(`unknown assumption ${id}`);
    this.found.set(id, { result, seen: sentence(seen) });
  }
}

/** Short, one-line account of an HTTP outcome; bodies are summarised, never dumped. */
export function describeOutcome(outcome: HttpOutcome): string {
  if (outcome.kind === 'timeout') return `no answer within the timeout (${outcome.exchange.durationMs} ms)`;
  if (outcome.kind === 'network') return `network error: ${outcome.error}`;
  const summary = summarizeBody(outcome.body);
  return `HTTP ${outcome.status}${summary ? ` ${summary}` : ''}`;
}

/** The error key and message of a Forage envelope, Frontpayment envelope or `{detail}` body. */
export function summarizeBody(body: unknown): string {
  if (body === null || body === undefined || body === '') return '';
  if (typeof body === 'string') return `"${clip(body.replace(/\s+/g, ' '), 80)}" (not JSON)`;
  if (typeof body !== 'object') return clip(JSON.stringify(body), 80);
  const b = body as Record<string, unknown>;
  const first = Array.isArray(b.errors) ? (b.errors[0] as Record<string, unknown> | undefined) : undefined;
  if (first && typeof first === 'object' && ('code' in first || 'message' in first)) {
    const resource = (first.source as { resource?: unknown } | undefined)?.resource;
    const message = clip(String(first.message ?? ''), 100).replace(/\.$/, '');
    return `${String(first.code ?? '')}${resource ? ` (${String(resource)})` : ''}: ${message}`;
  }
  if (typeof b.message === 'string') return `message "${b.message}"`;
  if (typeof b.detail === 'string') return `detail "${clip(b.detail, 100)}"`;
  return clip(JSON.stringify(body), 80);
}

export const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

const HEADERS = ['PROVIDER', 'ASSUMPTION', 'RESULT', 'NEED', 'SEEN'] as const;
/** Widest a wrapped column (ASSUMPTION, SEEN) may be. */
const MAX = { assumption: 46, seen: 58 };

/** The rows as a plain-text table; ASSUMPTION and SEEN wrap within their columns. */
export function renderTable(rows: readonly Row[]): string {
  const cells = rows.map((row) => [
    [row.provider],
    wrap(row.name, MAX.assumption),
    [row.result],
    [row.need],
    wrap(row.result === 'does not hold' && row.without ? `${row.seen} Without it: ${row.without}` : row.seen, MAX.seen),
  ]);
  const widths = HEADERS.map((h, i) => Math.max(h.length, ...cells.flatMap((c) => c[i]!.map((l) => l.length))));
  const line = (c: readonly string[][]) => {
    const height = Math.max(...c.map((lines) => lines.length));
    return Array.from({ length: height }, (_, n) =>
      c
        .map((lines, i) => (lines[n] ?? '').padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    ).join('\n');
  };
  const rule = '-'.repeat(widths.reduce((sum, w) => sum + w, 0) + 2 * (widths.length - 1));
  return [line(HEADERS.map((h) => [h])), rule, ...cells.map(line)].join('\n');
}

function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  let current = '';
  for (const word of text.split(' ')) {
    if (current && current.length + 1 + word.length > width) {
      out.push(current);
      current = word;
    } else {
      current = current ? `${current} ${word}` : word;
    }
  }
  out.push(current);
  return out;
}

export const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

/** Ends a piece of text with one full stop. */
export const sentence = (text: string) => (/[.!?…]$/.test(text.trim()) ? text.trim() : `${text.trim()}.`);

/** An order status as lib/orders/status.ts hands it to a profile (PARTIAL REFUNDED → PARTIAL_REFUNDED). */
export const statusKey = (status: string) =>
  status
    .trim()
    .toUpperCase()
    .replace(/[\s-]+/g, '_');

/** Non-zero when a required assumption does not hold. */
export const exitCodeFor = (rows: readonly Row[]) =>
  rows.some((r) => r.need === 'required' && r.result === 'does not hold') ? 1 : 0;

export function summaryLine(rows: readonly Row[]): string {
  const count = (result: CheckResult, need?: Need) =>
    rows.filter((r) => r.result === result && (!need || r.need === need)).length;
  const failedRequired = count('does not hold', 'required');
  const verdict = failedRequired
    ? `${failedRequired} required assumption${failedRequired === 1 ? ' does' : 's do'} not hold: not ready (exit 1)`
    : 'every required assumption that was checked holds (exit 0)';
  return (
    `Summary: ${count('holds')} hold, ${count('does not hold')} do not hold (${failedRequired} required), ` +
    `${count('not checked')} not checked (${count('not checked', 'required')} required); ${verdict}.`
  );
}
