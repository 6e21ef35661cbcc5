import { sql } from 'drizzle-orm';

/**
 * A timestamp parameter for raw SQL. Dates must go in as ISO text: drizzle's postgres-js driver
 * hands raw `sql` parameters to postgres.js without serialising Date objects, which then throws
 * (PGlite accepts them, which hides the problem in the embedded database).
 */
export const timestamp = (date: Date) => sql`${date.toISOString()}::timestamptz`;
