/**
 * `npm run prove`: the money invariants under load, crashes and bad input, on PostgreSQL
 * (TEST_DATABASE_URL), against the real app code, the real job worker and the provider sandbox as
 * separate processes. Prints one table of figures; exits 1 when any invariant broke, printing the
 * seed and the command that reruns that part.
 *
 *   npm run prove                          every part, full size, a random seed
 *   npm run prove -- --size ci             the small version `npm test` runs
 *   npm run prove -- --part crashes        one part (repeatable: --part audit --part webhooks)
 *   npm run prove -- --seed 1234           the seed a failure printed
 *   npm run prove -- --json out.json       the reports as JSON too (npm test counts them)
 *
 * The parts are in prove/parts/: concurrency, crashes, instances, webhooks, audit, input. Each runs
 * in a process of its own (this file again, with --child), so nothing one part leaves in the
 * process — the app's cached database handle and provider clients, environment variables, open
 * handles — reaches the next; a part that does not end in time (PROVE_PART_TIMEOUT_S, default
 * 600 s at CI size, none at full size) is killed and counted as failed.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import os from 'node:os';
import { reproduceCommand, type Part, type PartReport, type Size } from './harness';

const PART_NAMES = ['concurrency', 'crashes', 'instances', 'webhooks', 'audit', 'input'] as const;

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: 'full' },
    part: { type: 'string', multiple: true },
    seed: { type: 'string' },
    json: { type: 'string' },
    child: { type: 'string' },
  },
});
const size = values.size as Size;
if (size !== 'ci' && size !== 'full') throw new Error(`--size must be ci or full, got ${values.size}`);
const selected = values.part?.length ? values.part : [...PART_NAMES];
for (const name of selected) {
  if (!(PART_NAMES as readonly string[]).includes(name)) throw new Error(`unknown part ${name}; parts: ${PART_NAMES.join(', ')}`);
}
if (!process.env.TEST_DATABASE_URL) {
  console.error('✖ npm run prove runs on PostgreSQL: set TEST_DATABASE_URL, e.g. postgres://postgres@127.0.0.1:5432/postgres');
  process.exit(2);
}
const seed = values.seed !== undefined ? Number(values.seed) : Math.floor(Math.random() * 2 ** 31);
if (!Number.isSafeInteger(seed)) throw new Error(`--seed must be a whole number, got ${values.seed}`);

/** Runs one part in this process and writes its report to `file` (the --child mode). */
async function runPart(name: string, file: string) {
  const { part } = (await import(`./parts/${name}.ts`)) as { part: Part };
  console.log(`\n━━ ${part.title} ━━`);
  const started = Date.now();
  const base = { name, title: part.title, seed, size };
  let report: PartReport;
  try {
    const outcome = await part.run({ size, seed, log: (line) => console.log(`  ${line}`) });
    report = { ...base, ...outcome, ms: Date.now() - started };
  } catch (error) {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    console.error(`  ✖ ${name} did not finish: ${message}`);
    report = failedReport(
      name,
      part.title,
      `the part did not finish: ${error instanceof Error ? error.message : String(error)}`,
      started,
    );
    report.error = message;
  }
  writeFileSync(file, JSON.stringify(report));
}

function failedReport(name: string, title: string, what: string, started: number): PartReport {
  return { name, title, seed, size, cases: 0, unit: 'cases', failures: [{ what, seed }], figures: {}, ms: Date.now() - started };
}

if (values.child) {
  await runPart(values.child, values.json!);
  // Whatever a part left open (pools, timers) must not keep its process alive.
  process.exit(0);
}

/** For a part that ended without its report. */
const titles: Record<string, string> = {
  concurrency: 'Concurrency: 64 operations at once, round after round',
  crashes: 'Crashes: SIGKILL of the job worker, then restart and reconciliation',
  instances: 'Two instances on one database',
  webhooks: 'Webhooks: tampered, stale, replayed, reordered and duplicated deliveries',
  audit: 'Audit: tampering by a database superuser',
  input: 'Bad input to every server action and route handler',
};
const timeoutS = Number(process.env.PROVE_PART_TIMEOUT_S || (size === 'ci' ? 600 : 0));

/** One part in a child process; its report, or a failure when it crashed or ran out of time. */
function runChild(name: string): Promise<PartReport> {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'refund-desk-prove-part-')), 'report.json');
  const started = Date.now();
  const args = [...process.execArgv, process.argv[1]!, '--child', name, '--size', size, '--seed', String(seed), '--json', file];
  const child = spawn(process.execPath, args, { stdio: 'inherit', detached: true });
  // Its own process group (so a time-out takes its sandbox, workers and servers with it), which a
  // Ctrl-C of this process no longer reaches: pass the signal on.
  const passOn = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } finally {
      process.exit(signal === 'SIGINT' ? 130 : 143);
    }
  };
  process.once('SIGINT', passOn);
  process.once('SIGTERM', passOn);
  let timedOut = false;
  const timer =
    timeoutS > 0
      ? setTimeout(() => {
          timedOut = true;
          // The part's own children (sandbox, workers, servers) are in its process group.
          process.kill(-child.pid!, 'SIGKILL');
        }, timeoutS * 1000)
      : null;
  return new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      if (timer) clearTimeout(timer);
      process.off('SIGINT', passOn);
      process.off('SIGTERM', passOn);
      try {
        process.kill(-child.pid!, 'SIGKILL'); // anything it left running
      } catch {
        // the group is already gone
      }
      try {
        resolve(JSON.parse(readFileSync(file, 'utf8')) as PartReport);
      } catch {
        const why = timedOut
          ? `it did not end within ${timeoutS} s (PROVE_PART_TIMEOUT_S)`
          : `its process ended (${code ?? signal}) without a report`;
        resolve(failedReport(name, titles[name] ?? name, why, started));
      }
    });
  });
}

console.log(
  `Proof (${size} size), seed ${seed}, on ${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? 'CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
);
const reports: PartReport[] = [];
for (const name of selected) {
  reports.push(await runChild(name));
  const report = reports.at(-1)!;
  console.log(
    `  ${report.failures.length === 0 ? '✔' : '✖'} ${report.cases.toLocaleString('en-US')} ${report.unit}, ${report.failures.length} failures, ${(report.ms / 1000).toFixed(1)} s`,
  );
}

const rows = reports.map((r) => [
  r.name,
  `${r.cases.toLocaleString('en-US')} ${r.unit}`,
  String(r.failures.length),
  `${(r.ms / 1000).toFixed(1)} s`,
  Object.entries(r.figures)
    .map(([label, value]) => `${label}: ${typeof value === 'number' ? value.toLocaleString('en-US') : value}`)
    .join('; '),
]);
const header = ['part', 'cases', 'failures', 'time', 'figures'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
const line = (cells: string[]) => cells.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]!))).join(' │ ');
console.log(`\n${line(header)}\n${widths.map((w) => '─'.repeat(w)).join('─┼─')}`);
for (const row of rows) console.log(line(row));

const failed = reports.filter((r) => r.failures.length > 0);
for (const report of failed) {
  console.log(
    `\n✖ ${report.name}: ${report.failures.length} failure(s). Rerun: ${reproduceCommand(report.name, report.seed, report.size)}`,
  );
  for (const failure of report.failures.slice(0, 10)) {
    console.log(`  - ${failure.what} (seed ${failure.seed})`);
    for (const step of failure.steps ?? []) console.log(`      ${step}`);
  }
  if (report.failures.length > 10) console.log(`  … and ${report.failures.length - 10} more`);
}
if (values.json) {
  mkdirSync(path.dirname(path.resolve(values.json)), { recursive: true });
  writeFileSync(values.json, JSON.stringify({ seed, size, reports }, null, 2));
}
console.log(`\nprove: ${reports.length - failed.length} of ${reports.length} parts held, seed ${seed}`);
process.exit(failed.length > 0 ? 1 : 0);
