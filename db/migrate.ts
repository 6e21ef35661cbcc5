import { openDb } from '@/db';

/** `npm run db:migrate`: apply committed migrations to DATABASE_URL or the embedded database. */
const handle = await openDb({ url: process.env.DATABASE_URL || undefined });
console.log(`Migrations applied (${handle.kind}).`);
await handle.close();
