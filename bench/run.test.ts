import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

/**
 * `npm run bench`, small: the benchmark seeds a few hundred rows and runs every measured query
 * once, so a change that breaks it (a renamed column, a dropped type its SQL casts to) fails the
 * test suite rather than the next person who wants the figures. The figures themselves are not
 * checked: they depend on the machine (README "Benchmarks").
 */
describe('npm run bench at a small size', () => {
  it('seeds, runs every measured query and prints its figures', async () => {
    const root = path.resolve(import.meta.dirname, '..');
    // The figures go to a folder of the test's own, where a PostgreSQL run's figures already are.
    const reports = mkdtempSync(path.join(tmpdir(), 'bench-reports-'));
    const fromPostgres = {
      group: 'history',
      name: 'CSV export, all refunds',
      runs: 2,
      medianMs: 9,
      p95Ms: 9,
      rows: 5,
      rowsPerSec: 123_456,
    };
    writeFileSync(
      path.join(reports, 'bench-postgres.json'),
      JSON.stringify({
        kind: 'postgres',
        label: 'PostgreSQL 15.0, elsewhere',
        at: '2026-01-01T00:00:00.000Z',
        sizes: { refunds: 5, auditEvents: 5 },
        figures: [fromPostgres],
      }),
    );
    // As `npm run bench` runs it: the submission and webhook figures call server code ('server-only').
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--conditions=react-server', '--import', 'tsx', 'bench/run.ts'],
      {
        cwd: root,
        env: {
          ...process.env,
          BENCH_ROWS: '300',
          BENCH_AUDIT_ROWS: '300',
          BENCH_RUNS: '1',
          BENCH_STREAM_RUNS: '1',
          BENCH_SUBMISSIONS: '3',
          BENCH_WEBHOOKS: '40',
          BENCH_DATABASE_URL: '',
          BENCH_BOTH: '',
          BENCH_REPORTS: reports,
        },
        timeout: 240_000,
      },
    );
    for (const figure of [
      /history: CSV export, all refunds\s+1\s+[\d.]+\s+300\b/,
      /audit: stream, all events \(streamAuditEventBatches, as the export reads\)\s+1\s+[\d.]+\s+300\b/,
      /audit: verifyAuditChain, all events .*\s300\b/,
      /overview: getOverview/,
      // The person has events: the filter found rows, so the figure times a real page.
      /audit: who: one person \(bench\.user3, by user id\)\s+1\s+[\d.]+\s+[1-9]\d*\s/,
      /audit: who: the system \(no person\)/,
      /refundable: getOrderFigures \(one order\)/,
      // Issue #12's new figures, each beside its target.
      /submission: app: createRefund \+ the submit job, per refund\s+3\s+[\d.]+/,
      /submission: bare: insert transaction \+ HTTP \+ answer, per refund\s+3\s+[\d.]+/,
      /submission: overhead: app \/ bare \(medians\).*(met|MISSED): ≤ 1\.5×.*[\d.]+×/,
      /submission: what the app adds: audit event/,
      /webhooks: verify \+ dedupe \+ enqueue, Forage and Frontpayment\s+1\s+[\d.]+\s+40\s+[\d/ks]+\s+(met|MISSED): ≥ 1000 deliveries\/s/,
      // PGlite's figures beside PostgreSQL's latest.
      /beside: PostgreSQL 15\.0, 5 refunds, 5 events/,
      /measure\s+runs\s+median ms\s+p95 ms\s+rows\s+rows\/s\s+target\s+PostgreSQL\s+note/,
      /history: CSV export, all refunds\s+1\s+[\d.]+\s+300\s+\S+\s+(met|MISSED)[^\n]*123k\/s/,
      // From the production build when there is one, else how to make one (bench/bundles.test.ts).
      /First-load JavaScript per route \(production build in .*\n {2}(shared by every route|skipped: )/,
    ]) {
      expect(stdout).toMatch(figure);
    }
    const written = JSON.parse(readFileSync(path.join(reports, 'bench-pglite.json'), 'utf8')) as { figures: { group: string }[] };
    expect(written.figures.some((f) => f.group === 'webhooks')).toBe(true);
  }, 270_000);
});
