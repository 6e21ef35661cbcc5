import { openDb } from '@/db';
import { DEMO_PASSWORD, DEMO_USERS, seedDemo } from './seed';

/** `npm run db:seed`: migrate and load the demo world into the configured database. */
const handle = await openDb({ url: process.env.DATABASE_URL || undefined });
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
