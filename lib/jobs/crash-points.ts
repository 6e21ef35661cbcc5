/**
 * Named places where the crash proof (prove/parts/crashes.ts) kills the job worker's process, for
 * the moments only the app can see: right after the claim commits, after the submission row
 * commits, while a webhook's change is applied (transaction still open), while a reconciliation's
 * answer is in hand but not yet written. `npm run prove` starts a worker with `RD_CRASH_AT=<name>`;
 * the first time that worker reaches the named point it dies by SIGKILL, exactly as a power cut
 * would: no `finally`, no rollback from our side, no log flush.
 *
 * It can never fire in production: `RD_TEST_HOOKS` is inlined by next.config.js at build time ('' unless
 * the build ran with RD_TEST_HOOKS=1, as only the end-to-end build does), so a normal build compiles
 * the body out, and RD_CRASH_AT must also be set at run time.
 */
export type CrashPoint = 'submit.after_claim' | 'submit.after_submission_row' | 'webhook.applying' | 'reconcile.before_commit';

export function crashPoint(name: CrashPoint) {
  if (process.env.RD_TEST_HOOKS !== '1') return;
  if (process.env.RD_CRASH_AT !== name) return;
  process.kill(process.pid, 'SIGKILL');
}
