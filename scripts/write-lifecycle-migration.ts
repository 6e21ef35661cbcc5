// `npm run db:lifecycle`: writes the next migration from the lifecycle's TRANSITIONS table, after
// the table changed. lib/refunds/lifecycle.test.ts fails until the newest lifecycle migration
// matches the table.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { lifecycleTriggerSql } from '@/lib/refunds/lifecycle';

const folder = path.join(import.meta.dirname, '..', 'db', 'migrations');
const journalPath = path.join(folder, 'meta', '_journal.json');
const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as {
  entries: { idx: number; version: string; when: number; tag: string; breakpoints: boolean }[];
};
const idx = journal.entries.length;
const tag = `${String(idx).padStart(4, '0')}_refund_lifecycle`;
const existing = readdirSync(folder).find((f) => f === `${tag}.sql`);
if (existing) throw new Error(`${existing} exists already`);
// The database sees moves, not causes: a new cause for a move it allows already needs no migration.
const newest = readdirSync(folder)
  .filter((f) => f.endsWith('.sql') && readFileSync(path.join(folder, f), 'utf8').includes('refund_status_move_allowed'))
  .sort()
  .at(-1);
if (newest && readFileSync(path.join(folder, newest), 'utf8') === lifecycleTriggerSql()) {
  console.log(`db/migrations/${newest} already enforces this table: nothing to write.`);
  process.exit(0);
}
writeFileSync(path.join(folder, `${tag}.sql`), lifecycleTriggerSql());
journal.entries.push({ idx, version: '7', when: Date.now(), tag, breakpoints: true });
writeFileSync(journalPath, `${JSON.stringify(journal, null, 2)}\n`);
// drizzle-kit diffs the schema against the newest snapshot: a trigger changes no table, so the
// snapshot is the previous one under the new index.
const previous = JSON.parse(readFileSync(path.join(folder, 'meta', `${String(idx - 1).padStart(4, '0')}_snapshot.json`), 'utf8'));
const snapshot = { ...previous, prevId: previous.id, id: crypto.randomUUID() };
writeFileSync(
  path.join(folder, 'meta', `${String(idx).padStart(4, '0')}_snapshot.json`),
  `${JSON.stringify(snapshot, null, 2)}\n`,
);
console.log(`wrote db/migrations/${tag}.sql`);
