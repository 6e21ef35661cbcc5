import { integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Refused requests that would flood the audit trail if each wrote an event: rejected webhook
 * deliveries, sign-ins for accounts that do not exist, requests refused by a rate limit. Counted
 * per kind, subject (provider and reason, or source address) and hour, with the first and last time
 * seen; auditors read them beside the trail. One upsert per refusal, no audit-chain lock.
 */
export const securityCounts = pgTable(
  'security_counts',
  {
    kind: text().notNull(),
    subject: text().notNull(),
    hour: timestamp({ withTimezone: true }).notNull(),
    count: integer().notNull().default(0),
    firstAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    lastAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.kind, t.subject, t.hour] })],
);

export type SecurityCount = typeof securityCounts.$inferSelect;
