import { openAppDb } from '@/db';
import { realProviders } from '@/lib/deploy/mode';
import { DEMO_PASSWORD, DEMO_USERS, seedDemo } from './seed';

/**
 * `npm run db:seed`: migrate (as MIGRATION_DATABASE_URL's role when set) and load the demo world into
 * the configured database as the app's own role (DATABASE_URL).
 */
const real = realProviders();
if (real.length > 0) {
  console.error(
    `✖ Real ${real.join(' and ')} credentials are configured: the demo data (and its published password) is not loaded here.`,
  );
  process.exit(1);
}
const handle = await openAppDb();
try {
  const result = await seedDemo(handle.db);
  if (result.seeded) {
    console.log(`Seeded ${result.orders} orders, ${result.refunds} past refunds and ${result.users} users.`);
  } else {
    console.log(`Database already has ${result.users} users: demo data left as it is.`);
  }
  console.log('\nDemo logins (password for all: %s)', DEMO_PASSWORD);
  for (const u of DEMO_USERS) console.log(`  ${u.role.padEnd(8)} ${u.email}`);
} finally {
  await handle.close();
}
