import { date, integer, pgTable, primaryKey } from 'drizzle-orm/pg-core';
import { currency, money, provider } from './columns';
import { refundReasonEnum, refundStatusEnum } from './enums';

/**
 * Small tables the overview reads instead of scanning every refund (db/queries/overview.ts defines
 * each figure). Triggers on refunds, refund_lines and orders keep them right in the transaction of
 * the change, whoever writes it (migration 0017); `npm run db:rollups` recomputes them from the
 * base tables (scripts/rebuild-rollups.ts). Their size follows the number of days, not of refunds.
 * A row may hold zeros after its refunds moved on; readers skip those.
 */

/**
 * Refunds per UTC day × provider × currency × status, on the day the refund ended
 * (`coalesce(completed_at, created_at)`): a refund not final yet counts on the day it was made.
 */
export const refundDayRollups = pgTable(
  'refund_day_rollups',
  {
    day: date({ mode: 'string' }).notNull(),
    provider: provider().notNull(),
    currency: currency().notNull(),
    status: refundStatusEnum().notNull(),
    refunds: integer().notNull(),
    amountMinor: money().notNull(),
  },
  (t) => [primaryKey({ columns: [t.day, t.provider, t.currency, t.status] })],
);

/** Refunds per UTC day they were made × reason, each refund once per reason on any of its lines. */
export const refundReasonRollups = pgTable(
  'refund_reason_rollups',
  {
    day: date({ mode: 'string' }).notNull(),
    reason: refundReasonEnum().notNull(),
    refunds: integer().notNull(),
  },
  (t) => [primaryKey({ columns: [t.day, t.reason] })],
);

export type RefundDayRollup = typeof refundDayRollups.$inferSelect;
export type RefundReasonRollup = typeof refundReasonRollups.$inferSelect;
