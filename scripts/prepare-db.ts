/**
 * Run by `npm start` before the server: applies migrations (as MIGRATION_DATABASE_URL's role when
 * set), refuses a database whose demo accounts would sit beside real providers, and loads the demo
 * world only in demo mode (lib/deploy/mode.ts). Outside demo mode a new database has no accounts:
 * `npm run admin:create` makes the first one.
 */
import { openAppDb } from '@/db';
import { countUsers } from '@/db/queries/users';
import { DEMO_PASSWORD, DEMO_USERS, seedDemo } from '@/demo/seed';
import { startupRefusal } from '@/lib/deploy/guard';
import { demoMode } from '@/lib/deploy/mode';

const handle = await openAppDb();
try {
  const refusal = await startupRefusal(handle.db);
  if (refusal) {
    console.error(`\n✖ ${refusal}\n`);
    process.exitCode = 2;
  } else if (demoMode()) {
    const result = await seedDemo(handle.db);
    console.log(
      result.seeded
        ? `Demo mode: seeded ${result.orders} orders, ${result.refunds} past refunds and ${result.users} users.`
        : `Demo mode: the database already has ${result.users} users; demo data left as it is.`,
    );
    console.log('\nDemo logins (password for all: %s)', DEMO_PASSWORD);
    for (const u of DEMO_USERS) console.log(`  ${u.role.padEnd(8)} ${u.email}`);
  } else if ((await countUsers(handle.db)) === 0) {
    console.log('\nNo accounts yet (not in demo mode, so no demo accounts either). Create the first admin:');
    console.log("  npm run admin:create -- --email you@example.com --name 'Your Name'\n");
  }
} finally {
  await handle.close();
}
