/**
 * `npm run db:rollups`: recomputes the overview's rollups from the refunds (db/queries/rollups.ts),
 * and each refund's copies of its order's deadline, its lines' reasons and its provider references,
 * and prints what it changed — nothing, as long as every write went through the database's
 * triggers. On the embedded database when DATABASE_URL is unset, as the app. Writers of refunds,
 * their lines and orders wait while it runs (about 20 s at 200,000 refunds on PostgreSQL, most of
 * it re-checking every refund's copy of its order's deadline); nothing they write is lost.
 */
import { openAppDb } from '@/db';
import { describeChange, rebuildRollups } from '@/db/queries/rollups';

const SHOWN = 50;

const handle = await openAppDb({ max: 1 });
try {
  const started = performance.now();
  const report = await rebuildRollups(handle.db);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`Rollups rebuilt on ${handle.kind} in ${seconds} s: ${report.dayRows} day rows, ${report.reasonRows} reason rows.`);
  if (report.changes.length === 0) console.log('They already equalled a recount of the refunds: nothing changed.');
  else {
    console.log(`${report.changes.length} row(s) differed from a recount of the refunds and were corrected:`);
    for (const change of report.changes.slice(0, SHOWN)) console.log(`  ${describeChange(change)}`);
    if (report.changes.length > SHOWN) console.log(`  … and ${report.changes.length - SHOWN} more.`);
  }
  if (report.deadlineCopiesFixed > 0) {
    console.log(`${report.deadlineCopiesFixed} refund(s) had a stale copy of their order's refund deadline: corrected.`);
  }
  if (report.reasonCopiesFixed > 0) {
    console.log(`${report.reasonCopiesFixed} refund(s) had a stale copy of their lines' reasons: corrected.`);
  }
  if (report.refCopiesFixed > 0) {
    console.log(`${report.refCopiesFixed} refund(s) had a stale copy of their provider refund references: corrected.`);
  }
} catch (error) {
  console.error(`✖ ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await handle.close();
}
