import { execFile } from 'node:child_process';
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
    const { stdout } = await promisify(execFile)('npx', ['tsx', 'bench/run.ts'], {
      cwd: root,
      env: {
        ...process.env,
        BENCH_ROWS: '300',
        BENCH_AUDIT_ROWS: '300',
        BENCH_RUNS: '1',
        BENCH_STREAM_RUNS: '1',
        BENCH_DATABASE_URL: '',
      },
      timeout: 120_000,
    });
    for (const figure of [
      /history: CSV export, all refunds\s+1\s+[\d.]+\s+300\b/,
      /audit: streamAuditEvents, all events\s+1\s+[\d.]+\s+300\b/,
      /audit: verifyAuditChain, all events .*\s300\b/,
      /overview: getOverview/,
      /refundable: getOrderFigures \(one order\)/,
      // From the production build when there is one, else how to make one (bench/bundles.test.ts).
      /First-load JavaScript per route \(production build in .*\n {2}(shared by every route|skipped: )/,
    ]) {
      expect(stdout).toMatch(figure);
    }
  }, 150_000);
});
