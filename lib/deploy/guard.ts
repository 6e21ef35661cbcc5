import type { DbOrTx } from '@/db';
import { activeAccountsWithPassword } from '@/db/queries/users';
import { DEMO_USERS } from '@/demo/accounts';
import { demoConflict } from './mode';

/**
 * Checked before the server serves anything (instrumentation.ts, scripts/prepare-db.ts): demo
 * accounts, whose password is published, must not be active where real providers are configured.
 * Returns why the server must not start, or null.
 */
export async function startupRefusal(db: DbOrTx, env: Record<string, string | undefined> = process.env) {
  const active = await activeAccountsWithPassword(
    db,
    DEMO_USERS.map((u) => u.email),
  );
  return demoConflict(env, active);
}

/** For the server at start: says why and exits (code 2) rather than serve an unsafe configuration. */
export async function exitIfUnsafeToServe(db: DbOrTx) {
  const refusal = await startupRefusal(db);
  if (!refusal) return;
  console.error(`\n✖ ${refusal}\n`);
  process.exit(2);
}
