#!/usr/bin/env node
// `npm test`: the whole suite, as CI runs it — type check, lint (ESLint, Prettier), unit and integration tests (Vitest),
// a production build with the test hooks (into .next-e2e, not .next), two of its standalone servers
// on PostgreSQL (vitest.standalone.config.ts), and end-to-end tests in Chromium (Playwright) against
// it. Ends with one summary line.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
process.chdir(root);
// Not test-results/: Playwright empties that folder when it starts.
mkdirSync('.reports', { recursive: true });
const vitestJson = path.join('.reports', 'vitest.json');
const playwrightJson = path.join('.reports', 'playwright.json');
const proveJson = path.join('.reports', 'prove.json');
const standaloneJson = path.join('.reports', 'standalone.json');
rmSync(vitestJson, { force: true });
rmSync(standaloneJson, { force: true });
rmSync(playwrightJson, { force: true });
rmSync(proveJson, { force: true });

if (!process.env.TEST_DATABASE_URL) {
  console.warn('\n⚠️  TEST_DATABASE_URL is not set: the PostgreSQL concurrency tests will be SKIPPED.');
  console.warn('   Set it to a PostgreSQL server, e.g. postgres://postgres@127.0.0.1:5432/postgres\n');
}

// What the end-to-end tests run (scripts/e2e-server.mjs): a production build with the test hooks
// compiled in (app/api/testing), in its own folder, so `npm start` (.next) never serves it.
const e2eBuild = { RD_TEST_HOOKS: '1', NEXT_DIST_DIR: '.next-e2e' };

const steps = [
  ['Type check', 'npx', ['tsc', '--noEmit']],
  ['Lint', 'npx', ['eslint', '.', '--max-warnings=0']],
  // What `npm run lint` checks too: 47 files had drifted while only ESLint ran here.
  ['Format (Prettier)', 'npx', ['prettier', '--check', '.']],
  [
    'Unit and integration tests',
    'npx',
    ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`],
  ],
  ['Production build (end-to-end, with test hooks)', 'npx', ['next', 'build'], e2eBuild],
  // The build above is standalone too (next.config.js): two of its servers, started as the
  // Dockerfile's CMD starts them, on one PostgreSQL database, one stopped mid-burst.
  [
    'Production servers (standalone, two instances, SIGTERM mid-burst)',
    'npx',
    [
      'vitest',
      'run',
      '--config',
      'vitest.standalone.config.ts',
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${standaloneJson}`,
    ],
    { STANDALONE_DIST_DIR: e2eBuild.NEXT_DIST_DIR },
  ],
  [
    'End-to-end tests',
    'npx',
    ['playwright', 'test', '--reporter=list,json'],
    { PLAYWRIGHT_JSON_OUTPUT_NAME: playwrightJson, NEXT_DIST_DIR: e2eBuild.NEXT_DIST_DIR },
  ],
];
// The proof needs PostgreSQL; without it, its parts are counted as skipped (warned above).
const PROVE_PARTS = 6;
if (process.env.TEST_DATABASE_URL) {
  steps.push([
    'Proof, CI size (npm run prove -- --size ci)',
    'npm',
    ['run', '--silent', 'prove', '--', '--size', 'ci', '--seed', process.env.PROVE_SEED || '20261127', '--json', proveJson],
    { PROVE_DIST_DIR: e2eBuild.NEXT_DIST_DIR },
  ]);
}

let failedStep = null;
for (const [title, command, args, env = {}] of steps) {
  console.log(`\n━━ ${title} ━━`);
  const started = Date.now();
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  console.log(
    `━━ ${title}: ${result.status === 0 ? 'ok' : `FAILED (exit ${result.status})`} in ${Math.round((Date.now() - started) / 1000)}s`,
  );
  if (result.status !== 0) {
    failedStep = title;
    break;
  }
}

let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of [vitestJson, standaloneJson]) {
  if (!existsSync(file)) continue;
  const v = JSON.parse(readFileSync(file, 'utf8'));
  passed += v.numPassedTests ?? 0;
  failed += v.numFailedTests ?? 0;
  skipped += (v.numPendingTests ?? 0) + (v.numTodoTests ?? 0);
}
if (existsSync(playwrightJson)) {
  const s = JSON.parse(readFileSync(playwrightJson, 'utf8')).stats ?? {};
  passed += (s.expected ?? 0) + (s.flaky ?? 0);
  failed += s.unexpected ?? 0;
  skipped += s.skipped ?? 0;
}
if (existsSync(proveJson)) {
  for (const report of JSON.parse(readFileSync(proveJson, 'utf8')).reports ?? []) {
    if (report.failures.length === 0) passed += 1;
    else failed += 1;
  }
} else if (!process.env.TEST_DATABASE_URL) {
  skipped += PROVE_PARTS;
}
if (failedStep && failed === 0) failed = 1; // a failed type check or build counts as a failure
console.log(`\n${failedStep ? `Stopped at: ${failedStep}\n` : ''}tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failedStep ? 1 : 0);
