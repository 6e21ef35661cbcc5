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
 * The parts are in prove/parts/: concurrency, crashes, instances, webhooks, audit, input.
 */
import { writeFileSync } from 'node:fs';
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

console.log(
  `Proof (${size} size), seed ${seed}, on ${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? 'CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
);
const reports: PartReport[] = [];
for (const name of selected) {
  const { part } = (await import(`./parts/${name}.ts`)) as { part: Part };
  console.log(`\n━━ ${part.title} ━━`);
  const started = Date.now();
  const base = { name, title: part.title, seed, size };
  try {
    const outcome = await part.run({ size, seed, log: (line) => console.log(`  ${line}`) });
    reports.push({ ...base, ...outcome, ms: Date.now() - started });
  } catch (error) {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    console.error(`  ✖ ${name} did not finish: ${message}`);
    reports.push({
      ...base,
      cases: 0,
      unit: 'cases',
      failures: [{ what: `the part did not finish: ${error instanceof Error ? error.message : String(error)}`, seed }],
      figures: {},
      ms: Date.now() - started,
      error: message,
    });
  }
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
if (values.json) writeFileSync(values.json, JSON.stringify({ seed, size, reports }, null, 2));
console.log(`\nprove: ${reports.length - failed.length} of ${reports.length} parts held, seed ${seed}`);
process.exit(failed.length > 0 ? 1 : 0);
