import { migrateAppDb } from '@/db';

/**
 * `npm run db:migrate`: apply committed migrations as the migration role — MIGRATION_DATABASE_URL,
 * else DATABASE_URL, else the embedded database.
 */
const kind = await migrateAppDb();
console.log(`Migrations applied (${kind}).`);
