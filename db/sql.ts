import { sql } from 'drizzle-orm';

/**
 * A timestamp parameter for raw SQL. Dates must go in as ISO text: drizzle's postgres-js driver
 * hands raw `sql` parameters to postgres.js without serialising Date objects, which then throws
 * (PGlite accepts them, which hides the problem in the embedded database).
 */
export const timestamp = (date: Date) => sql`${date.toISOString()}::timestamptz`;

/** A unique constraint (or unique index) whose name contains `constraint` refused the write. */
export function isUniqueViolation(error: unknown, constraint: string) {
  const e = error as { code?: string; constraint_name?: string; constraint?: string; cause?: unknown };
  const inner = (e.cause ?? e) as { code?: string; constraint_name?: string; constraint?: string };
  return inner.code === '23505' && (inner.constraint_name ?? inner.constraint ?? '').includes(constraint);
}
