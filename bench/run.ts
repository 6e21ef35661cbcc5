/**
 * `npm run bench`: figures for the speed and scale claims of PRODUCT.md §2 (refund history with
 * keyset pagination at millions of rows and a streaming CSV export; the audit log, its export
 * stream and chain verification; the overview). It seeds a throwaway database, times the app's
 * own query functions and prints medians and p95s. No thresholds, no pass/fail: the figures
 * depend on the machine.
 *
 * Environment:
 *   BENCH_ROWS          refunds to seed (default 200000 on PostgreSQL, 50000 on PGlite)
 *   BENCH_AUDIT_ROWS    audit events to seed (default 200000 on PostgreSQL, 50000 on PGlite)
 *   BENCH_DATABASE_URL  PostgreSQL server to use: a database rd_bench_<random> is created there
 *                       and dropped at the end. Unset: in-memory PGlite.
 *   BENCH_RUNS          timed runs per page query (default 15, after one warm-up run)
 *   BENCH_STREAM_RUNS   timed runs per full stream / export / verify (default 2, no warm-up)
 *   BENCH_SUBMISSIONS   refunds submitted through the app, and through the bare script (default
 *                       100 on PostgreSQL, 50 on PGlite; bench/submission.ts)
 *   BENCH_WEBHOOKS      webhook deliveries ingested (default 2000 on PostgreSQL, 1000 on PGlite)
 *   BENCH_WEBHOOK_CONCURRENCY  deliveries in flight at once (default 8; the app's pool has 10)
 *   BENCH_EXPLAIN=1     print EXPLAIN (ANALYZE, BUFFERS) of the SQL each page query sends
 *   BENCH_KEEP=1        keep the PostgreSQL database afterwards (its name is printed)
 *   BENCH_BOTH=1        then run the other database too (PGlite at its defaults after PostgreSQL,
 *                       or PostgreSQL at BENCH_DATABASE_URL after PGlite)
 *   BENCH_DIST_DIR      the production build whose first-load JavaScript per route is printed
 *                       (default NEXT_DIST_DIR, else .next, else .next-e2e; none: skipped, with how
 *                       to make one); see bench/bundles.ts
 *
 *   BENCH_REPORTS       where the figures are written (default .reports)
 *
 * Each run writes its figures to .reports/bench-<pglite|postgres>.json; the summary prints the
 * other database's latest figures beside this run's when that file exists.
 *
 * `npm run bench` runs under the react-server condition (as `npm run prove` does): the submission
 * and webhook figures call the app's server code, which imports 'server-only'.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { getOverview } from '@/db/queries/overview';
import { auditHeadSeq, listAuditEvents, streamAuditEventBatches } from '@/db/queries/audit';
import { getOrderFigures } from '@/db/queries/refundable';
import { listRefundHistory } from '@/db/queries/refund-history';
import { verifyAuditChain } from '@/lib/audit/verify';
import type { AuditFilter } from '@/lib/audit/filters-schema';
import { csvStream } from '@/lib/csv';
import { streamRefundHistoryBatches } from '@/db/queries/refund-history';
import { REFUND_EXPORT_COLUMNS, refundExportCells } from '@/lib/refunds/history-csv';
import type { HistoryParams } from '@/lib/refunds/history-schema';
import { bundleSection } from './bundles';
import { captureQueries, openBenchDb, type BenchDb } from './database';
import {
  atMost,
  formatMs,
  formatRate,
  mb,
  p95AtMost,
  rateAtLeast,
  rssSampler,
  table,
  targetCell,
  timeRuns,
  type Figure,
} from './measure';
import { seed, type SeedReport } from './seed';
import { submissionFigures } from './submission';
import { webhookFigures } from './webhooks';

const DEFAULT_ROWS = 200_000;
const DEFAULT_AUDIT_ROWS = 200_000;
// PGlite is single-threaded WebAssembly inside this process: 200k refunds + 200k events took
// ~6 minutes on a 2-core machine (3+ of them seeding), so its defaults are a quarter of that.
const DEFAULT_ROWS_PGLITE = 50_000;
const DEFAULT_AUDIT_ROWS_PGLITE = 50_000;
const HISTORY_PAGE = 25;
const AUDIT_PAGE = 50;
const DEEP_PAGES = 50;

// Targets (issue #12, PostgreSQL at 1M refunds / 1M events). Printed beside each figure; a miss
// is reported, never a failure: the figures depend on the machine.
const HISTORY_P95_MS = 20;
const OVERVIEW_P95_MS = 50;
const AUDIT_WHO_P95_MS = 20;
const AUDIT_ENTITY_ID_P95_MS = 10;
const EXPORT_ROWS_PER_SEC = 100_000;
const EXPORT_RSS_MB = 64;
const AUDIT_STREAM_PER_SEC = 200_000;
const VERIFY_EVENTS_PER_SEC = 100_000;
const SUBMISSION_RATIO = 1.5;
const WEBHOOKS_PER_SEC = 1_000;

function intEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw.replace(/_/g, ''));
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`${name} must be a whole number, got "${raw}"`);
  return value;
}

const url = process.env.BENCH_DATABASE_URL || undefined;
const ROWS = Math.max(1, intEnv('BENCH_ROWS', url ? DEFAULT_ROWS : DEFAULT_ROWS_PGLITE));
const AUDIT_ROWS = Math.max(1, intEnv('BENCH_AUDIT_ROWS', url ? DEFAULT_AUDIT_ROWS : DEFAULT_AUDIT_ROWS_PGLITE));
const RUNS = Math.max(1, intEnv('BENCH_RUNS', 15));
const STREAM_RUNS = Math.max(1, intEnv('BENCH_STREAM_RUNS', 2));
const EXPLAIN = process.env.BENCH_EXPLAIN === '1';
const KEEP = process.env.BENCH_KEEP === '1';
const SUBMISSIONS = Math.max(1, intEnv('BENCH_SUBMISSIONS', url ? 100 : 50));
const WEBHOOKS = Math.max(1, intEnv('BENCH_WEBHOOKS', url ? 2000 : 1000));
// Deliveries in flight at once: a burst as a server takes it, within the app's pool of 10 connections.
const WEBHOOK_CONCURRENCY = Math.max(1, intEnv('BENCH_WEBHOOK_CONCURRENCY', 8));
const BOTH = process.env.BENCH_BOTH === '1';
const KIND = url ? 'postgres' : 'pglite';
const OTHER = url ? 'pglite' : 'postgres';
const REPORTS = process.env.BENCH_REPORTS || path.join(process.cwd(), '.reports');

const figures: Figure[] = [];
const log = (line = '') => console.log(line);

function record(figure: Figure) {
  figures.push(figure);
  const rate = figure.rowsPerSec !== undefined ? `  ${formatRate(figure.rowsPerSec)}` : '';
  const target = figure.target ? `  [${targetCell(figure.target)}]` : '';
  const rows = figure.rows !== undefined ? `  ${figure.rows} rows` : '';
  log(
    `  ${`${figure.group}: ${figure.name}`.padEnd(52)} median ${formatMs(figure.medianMs).padStart(7)} ms  p95 ${formatMs(figure.p95Ms).padStart(7)} ms${rows}${rate}${figure.note ? `  (${figure.note})` : ''}${target}`,
  );
}

/** Times a call that sends one query (a page); with BENCH_EXPLAIN=1 also prints that query's plan. */
async function page<T extends { length: number }>(
  bench: BenchDb,
  group: string,
  name: string,
  fn: () => Promise<T>,
  options: { note?: string; p95TargetMs?: number } = {},
) {
  const result = await timeRuns(RUNS, fn);
  const { note, p95TargetMs } = options;
  const target = p95TargetMs === undefined ? undefined : p95AtMost(p95TargetMs, result.p95Ms);
  record({ group, name, runs: RUNS, medianMs: result.medianMs, p95Ms: result.p95Ms, rows: result.last.length, note, target });
  if (EXPLAIN) await explain(bench, `${group}: ${name}`, fn);
  return result.last;
}

async function explain(bench: BenchDb, title: string, fn: () => Promise<unknown>) {
  const capture = captureQueries(bench.db);
  try {
    await fn();
  } finally {
    capture.stop();
  }
  for (const query of capture.captured) {
    const rows = await bench.raw(`explain (analyze, buffers) ${query.sql}`, query.params);
    log(`\n    EXPLAIN ${title}`);
    for (const row of rows) log(`      ${String(Object.values(row)[0])}`);
    log();
  }
}

async function* counted<T>(source: AsyncIterable<T[]>, counter: { rows: number }): AsyncGenerator<T[]> {
  for await (const batch of source) {
    counter.rows += batch.length;
    yield batch;
  }
}

/** Runs a whole stream STREAM_RUNS times: rows/s from the median run, peak RSS over all runs. */
async function stream(
  group: string,
  name: string,
  run: (sample: () => void) => Promise<number>,
  targets: { rowsPerSec?: number; unit?: string; rssMb?: number } = {},
) {
  const samples: number[] = [];
  let rows = 0;
  let peakDelta = 0;
  for (let i = 0; i < STREAM_RUNS; i++) {
    const rss = rssSampler();
    const started = performance.now();
    rows = await run(rss.sample);
    samples.push(performance.now() - started);
    peakDelta = Math.max(peakDelta, rss.stop().deltaBytes);
  }
  const sorted = [...samples].sort((a, b) => a - b);
  const median = sorted[Math.ceil(sorted.length / 2) - 1]!;
  const figure: Figure = {
    group,
    name,
    runs: STREAM_RUNS,
    medianMs: median,
    p95Ms: sorted.at(-1)!,
    rows,
    rowsPerSec: rows / (median / 1000),
    note: `peak RSS +${mb(peakDelta)}`,
  };
  const rate = targets.rowsPerSec === undefined ? undefined : rateAtLeast(targets.rowsPerSec, figure.rowsPerSec, targets.unit);
  const rss =
    targets.rssMb === undefined ? undefined : atMost(targets.rssMb * 1024 * 1024, peakDelta, `RSS growth ≤ ${targets.rssMb} MB`);
  if (rate || rss) {
    const parts = [rate, rss].filter((t) => t !== undefined);
    figure.target = { text: parts.map((t) => t.text).join(', '), met: parts.every((t) => t.met) };
  }
  record(figure);
  return figure;
}

async function main() {
  const cpus = os.cpus();
  log('Refund Desk benchmark');
  log(`  node ${process.version} on ${os.platform()}/${os.arch()}, ${cpus.length} CPU(s): ${cpus[0]?.model.trim() ?? 'unknown'}`);
  const bench = await openBenchDb(url, KEEP);
  log(`  database: ${bench.label}`);
  log(`  sizes: ${ROWS} refunds (BENCH_ROWS), ${AUDIT_ROWS} audit events (BENCH_AUDIT_ROWS)`);
  log(`  runs: ${RUNS} per page query after 1 warm-up (BENCH_RUNS), ${STREAM_RUNS} per full stream (BENCH_STREAM_RUNS)`);
  if (!url) {
    const defaults = process.env.BENCH_ROWS === undefined || process.env.BENCH_AUDIT_ROWS === undefined;
    log(
      `  note: PGlite is single-connection WebAssembly in this process (2 GB heap); ${defaults ? `its defaults are lowered to ${DEFAULT_ROWS_PGLITE} refunds / ${DEFAULT_AUDIT_ROWS_PGLITE} events (200k of each took ~6 min on 2 cores). ` : ''}Set BENCH_DATABASE_URL for PostgreSQL figures.`,
    );
  }

  // Read from the build, not the database: printed first, counted in the summary's targets.
  figures.push(...bundleSection(path.resolve(import.meta.dirname, '..'), log));

  try {
    const now = new Date();
    log('\nSeeding (set-based SQL; audit hashes chained in JS, inserted 5,000 rows a statement)');
    const seedStarted = performance.now();
    const seeded = await seed(bench.db, { refunds: ROWS, audit: AUDIT_ROWS }, now, (line) => log(line));
    const seedMs = performance.now() - seedStarted;
    log(
      `  total ${(seedMs / 1000).toFixed(1)} s: ${seeded.orders} orders, ${seeded.orderLines} order lines, ${seeded.refunds} refunds, ` +
        `${seeded.refundLines} refund lines, ${seeded.providerRefunds} provider refunds, ${seeded.auditEvents} audit events`,
    );
    for (const s of seeded.steps) {
      if (s.rows > 0 && s.name !== 'users') {
        figures.push({
          group: 'seed',
          name: s.name,
          runs: 1,
          medianMs: s.ms,
          p95Ms: s.ms,
          rows: s.rows,
          rowsPerSec: s.rows / (s.ms / 1000),
        });
      }
    }
    figures.push({ group: 'seed', name: 'total (incl. vacuum analyze)', runs: 1, medianMs: seedMs, p95Ms: seedMs });

    await historyFigures(bench, seeded);
    await auditFigures(bench, seeded);

    log('\nOverview and refundable');
    await page(bench, 'overview', 'getOverview (its queries in parallel)', async () => [await getOverview(bench.db, now)], {
      p95TargetMs: OVERVIEW_P95_MS,
    });
    await page(
      bench,
      'refundable',
      'getOrderFigures (one order)',
      async () => (await getOrderFigures(bench.db, seeded.orderId)).lines,
    );

    await submissionAndWebhooks();
    writeReport(bench, seeded);
    printSummary(bench, seeded);
  } finally {
    await bench.close();
  }
  if (BOTH) await runOther();
}

/**
 * The submission overhead and webhook ingestion, on a database of their own seeded with the demo
 * orders (the provider sandbox holds the same ones): what they time is per refund and per
 * delivery, indexed single-row work that the big tables above do not change.
 */
async function submissionAndWebhooks() {
  log(`\nRefund submission: the app's path beside a bare script (bench/submission.ts, ${SUBMISSIONS} refunds each)`);
  const own = await openBenchDb(url, KEEP);
  try {
    const s = await submissionFigures(own, SUBMISSIONS, log);
    const ratio = s.app.total / s.bare.total;
    record({
      group: 'submission',
      name: 'app: createRefund + the submit job, per refund',
      runs: s.refunds,
      medianMs: s.app.total,
      p95Ms: s.app.p95,
      note: `create ${formatMs(s.app.create)} + job ${formatMs(s.app.job)} ms (provider HTTP ${formatMs(s.app.http)}); ${s.app.statements} statements, ${s.app.auditEvents.toFixed(0)} audit events`,
    });
    record({
      group: 'submission',
      name: 'bare: insert transaction + HTTP + answer, per refund',
      runs: s.refunds,
      medianMs: s.bare.total,
      p95Ms: s.bare.p95,
      note: `insert ${formatMs(s.bare.tx)} + HTTP ${formatMs(s.bare.http)} + answer ${formatMs(s.bare.answer)} ms; ${s.bare.statements} statements`,
    });
    record({
      group: 'submission',
      name: 'overhead: app / bare (medians)',
      runs: s.refunds,
      medianMs: Number.NaN,
      p95Ms: Number.NaN,
      note: `${ratio.toFixed(2)}×`,
      target: atMost(SUBMISSION_RATIO, ratio, `≤ ${SUBMISSION_RATIO}×`),
    });
    for (const extra of s.extras) {
      record({
        group: 'submission',
        name: `what the app adds: ${extra.name}`,
        runs: 1,
        medianMs: extra.ms,
        p95Ms: extra.ms,
        note: `× ${Number.isInteger(extra.perRefund) ? extra.perRefund : extra.perRefund.toFixed(1)} per refund`,
      });
    }

    log(
      `\nWebhook ingestion (handleWebhook: verify, dedupe, enqueue; ${WEBHOOKS} deliveries, 1 in 5 a repeat, ${WEBHOOK_CONCURRENCY} in flight)`,
    );
    const w = await webhookFigures(own, { total: WEBHOOKS, concurrency: WEBHOOK_CONCURRENCY });
    if (w.inboxRows !== w.deliveries - w.duplicates || w.jobs !== w.inboxRows) {
      throw new Error(
        `webhooks: ${w.inboxRows} inbox rows and ${w.jobs} jobs for ${w.deliveries - w.duplicates} distinct deliveries`,
      );
    }
    record({
      group: 'webhooks',
      name: 'verify + dedupe + enqueue, Forage and Frontpayment',
      runs: 1,
      medianMs: w.ms / w.deliveries,
      p95Ms: w.ms / w.deliveries,
      rows: w.deliveries,
      rowsPerSec: w.perSec,
      note: `ms per delivery; ${w.duplicates} repeats written once; ${WEBHOOK_CONCURRENCY} in flight`,
      target: rateAtLeast(WEBHOOKS_PER_SEC, w.perSec, 'deliveries'),
    });
  } finally {
    await own.close();
  }
}

interface Report {
  kind: string;
  label: string;
  at: string;
  sizes: { refunds: number; auditEvents: number };
  figures: Figure[];
}

const reportFile = (kind: string) => path.join(REPORTS, `bench-${kind}.json`);

function writeReport(bench: BenchDb, seeded: SeedReport) {
  mkdirSync(REPORTS, { recursive: true });
  const report: Report = {
    kind: KIND,
    label: bench.label,
    at: new Date().toISOString(),
    sizes: { refunds: seeded.refunds, auditEvents: seeded.auditEvents },
    figures,
  };
  // NaN is not JSON: a figure without a time is written as null and read back as NaN.
  writeFileSync(reportFile(KIND), `${JSON.stringify(report, null, 2)}\n`);
  log(`\nFigures written to ${reportFile(KIND)}`);
}

function readOther(): Report | null {
  if (!existsSync(reportFile(OTHER))) return null;
  try {
    const report = JSON.parse(readFileSync(reportFile(OTHER), 'utf8')) as Report;
    for (const f of report.figures) {
      f.medianMs ??= Number.NaN;
      f.p95Ms ??= Number.NaN;
    }
    return report;
  } catch {
    return null;
  }
}

/** The other database's figure in one cell: its rate, or its median (p95), or its note's ratio. */
function otherCell(figure: Figure | undefined) {
  if (!figure) return '';
  if (figure.rowsPerSec !== undefined) return formatRate(figure.rowsPerSec);
  if (!Number.isFinite(figure.medianMs)) return figure.note ?? '';
  return figure.runs > 1 ? `${formatMs(figure.medianMs)} (${formatMs(figure.p95Ms)})` : formatMs(figure.medianMs);
}

/** BENCH_BOTH=1: the same benchmark on the other database, as a child process, printing its own summary. */
async function runOther() {
  const otherUrl = url ? '' : process.env.BENCH_DATABASE_URL_OTHER || '';
  if (!url && !otherUrl) {
    log('\nBENCH_BOTH=1 on PGlite needs BENCH_DATABASE_URL_OTHER (a PostgreSQL server) to run PostgreSQL too.');
    return;
  }
  log(`\nBENCH_BOTH=1: now ${OTHER === 'pglite' ? 'PGlite, at its defaults' : 'PostgreSQL'}\n`);
  const env: NodeJS.ProcessEnv = { ...process.env, BENCH_BOTH: '', BENCH_DATABASE_URL: otherUrl };
  // The other database at its own defaults: PGlite would take most of an hour at PostgreSQL's sizes.
  delete env.BENCH_ROWS;
  delete env.BENCH_AUDIT_ROWS;
  delete env.BENCH_SUBMISSIONS;
  delete env.BENCH_WEBHOOKS;
  const child = spawn(process.execPath, [...process.execArgv, process.argv[1]!], { env, stdio: 'inherit' });
  await new Promise<void>((resolve, reject) =>
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`the ${OTHER} run exited with ${code}`)))),
  );
}

async function historyFigures(bench: BenchDb, seeded: SeedReport) {
  const db = bench.db;
  let csvBytes = 0;
  log('\nRefund history (db/queries/refund-history.ts, 25 rows a page)');
  const list = (params: Partial<HistoryParams>) => async () =>
    (await listRefundHistory(db, params, { limit: HISTORY_PAGE })).rows;

  await page(bench, 'history', 'first page, newest first', list({}), { p95TargetMs: HISTORY_P95_MS });

  // Follow the cursor the way the page's "Next" link does, then time the page it arrives at.
  async function deep(params: Partial<HistoryParams>, label: string) {
    let cursor: string | undefined;
    const started = performance.now();
    let walked = 0;
    for (; walked < DEEP_PAGES; walked++) {
      const { nextCursor } = await listRefundHistory(db, { ...params, cursor }, { limit: HISTORY_PAGE });
      if (!nextCursor) break;
      cursor = nextCursor;
    }
    const walkMs = performance.now() - started;
    record({
      group: 'history',
      name: `${label}: walk ${walked} pages`,
      runs: 1,
      medianMs: walkMs / Math.max(walked, 1),
      p95Ms: walkMs / Math.max(walked, 1),
      note: `per page; ${formatMs(walkMs)} ms in all`,
    });
    await page(bench, 'history', `${label}: page ${walked + 1}`, list({ ...params, cursor }), { p95TargetMs: HISTORY_P95_MS });
  }
  await deep({}, 'newest first');

  const filtered: Partial<HistoryParams> = { provider: 'forage', status: ['failed'] };
  await page(bench, 'history', 'provider=forage & status=failed, first page', list(filtered), { p95TargetMs: HISTORY_P95_MS });
  await deep(filtered, 'provider+status');
  await page(bench, 'history', `order search prefix "${seeded.orderPrefix}"`, list({ order: seeded.orderPrefix }), {
    p95TargetMs: HISTORY_P95_MS,
  });
  await page(bench, 'history', `order search exact "${seeded.orderExact}"`, list({ order: seeded.orderExact }), {
    p95TargetMs: HISTORY_P95_MS,
  });
  await page(bench, 'history', 'reason=duplicate_charge, first page', list({ reason: 'duplicate_charge' }), {
    p95TargetMs: HISTORY_P95_MS,
  });
  await page(bench, 'history', 'sort amount_desc, first page', list({ sort: 'amount_desc' }), { p95TargetMs: HISTORY_P95_MS });

  log('\nRefund CSV export (streamRefundHistoryBatches: one statement through a server-side cursor → lib/csv csvStream)');
  await stream(
    'history',
    'CSV export, all refunds',
    async (sample) => {
      const counter = { rows: 0 };
      const body = await csvStream({
        header: REFUND_EXPORT_COLUMNS,
        batches: counted(streamRefundHistoryBatches(db, {}), counter),
        cells: refundExportCells,
      });
      const reader = body.getReader();
      let bytes = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        bytes += value.byteLength;
        sample();
      }
      if (counter.rows !== seeded.refunds) throw new Error(`export wrote ${counter.rows} rows, expected ${seeded.refunds}`);
      csvBytes = bytes;
      return counter.rows;
    },
    { rowsPerSec: EXPORT_ROWS_PER_SEC, rssMb: EXPORT_RSS_MB },
  );
  log(`  CSV size: ${mb(csvBytes)}`);
}

async function auditFigures(bench: BenchDb, seeded: SeedReport) {
  const db = bench.db;
  log('\nAudit log (db/queries/audit.ts, 50 events a page)');
  const list = (filter: AuditFilter & { beforeSeq?: number }) => async () =>
    (await listAuditEvents(db, { ...filter, limit: AUDIT_PAGE })).rows;

  await page(bench, 'audit', 'first page', list({}));
  let beforeSeq: number | undefined;
  let walked = 0;
  for (; walked < DEEP_PAGES; walked++) {
    const { nextBeforeSeq } = await listAuditEvents(db, { beforeSeq, limit: AUDIT_PAGE });
    if (!nextBeforeSeq) break;
    beforeSeq = nextBeforeSeq;
  }
  await page(bench, 'audit', `page ${walked + 1} (beforeSeq)`, list({ beforeSeq }));
  await page(bench, 'audit', 'action prefix "refund.", first page', list({ action: 'refund.' }));
  await page(bench, 'audit', 'action exact "auth.sign_in", first page', list({ action: 'auth.sign_in' }));
  await page(
    bench,
    'audit',
    'entityType=refund & entityId (refund page link)',
    list({ entityType: 'refund', entityId: seeded.auditEntityId }),
  );
  await page(bench, 'audit', 'entityId only (form field alone)', list({ entityId: seeded.auditEntityId }), {
    p95TargetMs: AUDIT_ENTITY_ID_P95_MS,
  });
  // "Who" is picked from a list (a person by user id, or an actor that is no person): both on an index.
  await page(bench, 'audit', 'who: one person (bench.user3, by user id)', list({ actor: seeded.auditActorId }), {
    p95TargetMs: AUDIT_WHO_P95_MS,
  });
  await page(bench, 'audit', 'who: the system (no person)', list({ actor: 'system' }), { p95TargetMs: AUDIT_WHO_P95_MS });

  log('\nAudit stream and chain verification');
  const head = await auditHeadSeq(db);
  await stream(
    'audit',
    'stream, all events (streamAuditEventBatches, as the export reads)',
    async (sample) => {
      let rows = 0;
      for await (const batch of streamAuditEventBatches(db, {}, { throughSeq: head })) {
        rows += batch.length;
        sample();
      }
      return rows;
    },
    { rowsPerSec: AUDIT_STREAM_PER_SEC, unit: 'events' },
  );
  await stream(
    'audit',
    'verifyAuditChain, all events (rows = events)',
    async () => {
      const result = await verifyAuditChain(db);
      if (!result.ok) throw new Error(`audit chain broken: ${result.firstBreak.message}`);
      return result.verified;
    },
    { rowsPerSec: VERIFY_EVENTS_PER_SEC, unit: 'events' },
  );
}

function printSummary(bench: BenchDb, seeded: SeedReport) {
  log('\nSummary');
  log(`  ${bench.label}`);
  log(
    `  ${seeded.refunds} refunds (${seeded.orders} orders), ${seeded.auditEvents} audit events; node ${process.version}; ${os.cpus().length} CPU(s)`,
  );
  const other = readOther();
  const otherName = OTHER === 'pglite' ? 'PGlite' : 'PostgreSQL';
  if (other) {
    log(
      `  beside: ${other.label.split(',')[0]}, ${other.sizes.refunds} refunds, ${other.sizes.auditEvents} events, run ${other.at} (${reportFile(OTHER)})`,
    );
  } else {
    log(`  (no ${reportFile(OTHER)} yet: run the bench on ${otherName} too, or set BENCH_BOTH=1)`);
  }
  log();
  const byName = new Map((other?.figures ?? []).map((f) => [`${f.group}: ${f.name}`, f]));
  const rows = figures.map((f) => [
    `${f.group}: ${f.name}`,
    String(f.runs),
    formatMs(f.medianMs),
    f.runs > 1 ? formatMs(f.p95Ms) : '',
    f.rows !== undefined ? String(f.rows) : '',
    formatRate(f.rowsPerSec),
    targetCell(f.target),
    ...(other ? [otherCell(byName.get(`${f.group}: ${f.name}`))] : []),
    f.note ?? '',
  ]);
  const header = ['measure', 'runs', 'median ms', 'p95 ms', 'rows', 'rows/s', 'target'];
  log(table([...header, ...(other ? [otherName] : []), 'note'], rows));
  const targeted = figures.filter((f) => f.target);
  const missed = targeted.filter((f) => !f.target!.met);
  log(
    `\nTargets: ${targeted.length - missed.length} of ${targeted.length} met${missed.length ? `; missed: ${missed.map((f) => `${f.group}: ${f.name}`).join('; ')}` : ''}.`,
  );
  log('\nFigures depend on the machine (CPU, disk, PostgreSQL settings) and on load; compare runs on the same machine only.');
}

await main();
process.exitCode = 0;
