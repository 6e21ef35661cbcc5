import { sql } from 'drizzle-orm';
import {
  bigint,
  char,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  smallint,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, currency, id, money, provider, updatedAt } from './columns';
import { auditOutcomeEnum, jobStatusEnum } from './enums';
import { users } from './users';

/** Background work, claimed with `FOR UPDATE SKIP LOCKED` by any number of app instances. */
export const jobs = pgTable(
  'jobs',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    kind: text().notNull(),
    payload: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    status: jobStatusEnum().notNull().default('queued'),
    runAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    attempts: integer().notNull().default(0),
    maxAttempts: integer().notNull().default(10),
    lockedBy: text(),
    lockedUntil: timestamp({ withTimezone: true }),
    lastError: text(),
    /** At most one live job per key (e.g. `poll-refund:<id>`). */
    dedupeKey: text(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('jobs_claim_idx').on(t.status, t.runAt),
    uniqueIndex('jobs_live_dedupe_key')
      .on(t.dedupeKey)
      .where(sql`${t.status} in ('queued', 'running')`),
  ],
);

/** Inbox of provider webhooks; duplicates are no-ops through the unique key. */
export const webhookEvents = pgTable(
  'webhook_events',
  {
    id: id(),
    provider: provider().notNull(),
    eventId: text().notNull(),
    /** What the provider's parser found in the delivery: the refund timeline finds its webhooks by these. */
    orderRef: text(),
    refundRef: text(),
    eventType: text(),
    eventCreatedAt: timestamp({ withTimezone: true }),
    payload: jsonb().notNull(),
    receivedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /**
     * Where the delivery came from and the request that carried it: the audit event that records
     * the delivery is written when it is processed (lib/webhooks/ingest.ts), from these.
     */
    sourceIp: text(),
    requestId: text(),
    processedAt: timestamp({ withTimezone: true }),
    attempts: integer().notNull().default(0),
    lastError: text(),
  },
  (t) => [
    unique('webhook_events_provider_event_key').on(t.provider, t.eventId),
    index('webhook_events_refund_ref_idx').on(t.provider, t.refundRef),
    index('webhook_events_order_ref_idx').on(t.provider, t.orderRef, t.receivedAt),
  ],
);

/**
 * Append-only, hash-chained audit trail. A trigger rejects UPDATE, DELETE and TRUNCATE, and the
 * app's runtime role holds only INSERT and SELECT on it (migration 0014, README "Database roles");
 * `hash = HMAC-SHA256(key, prev_hash || canonical(row))`, with a key outside the database, lets a
 * verifier prove nothing was changed, removed or reordered (db/audit-hash.ts); signed checkpoints
 * outside the database catch a cut-off tail (lib/audit/checkpoints.ts). `seq` is gapless and
 * assigned under a transaction-level advisory lock.
 */
export const auditEvents = pgTable(
  'audit_events',
  {
    id: id(),
    seq: bigint({ mode: 'number' }).notNull().unique(),
    occurredAt: timestamp({ withTimezone: true, precision: 3 }).notNull(),
    actorId: uuid(),
    actorRole: text(),
    actorEmail: text(),
    action: text().notNull(),
    entityType: text().notNull(),
    entityId: text(),
    before: jsonb(),
    after: jsonb(),
    ip: text(),
    userAgent: text(),
    requestId: text(),
    outcome: auditOutcomeEnum().notNull(),
    prevHash: char({ length: 64 }).notNull().unique(),
    hash: char({ length: 64 }).notNull().unique(),
    /** 1: unkeyed sha256 (events from before migration 0014); 2: HMAC-SHA256 under the audit key. */
    chainVersion: smallint().notNull(),
  },
  (t) => [
    check('audit_events_chain_version', sql`${t.chainVersion} in (1, 2)`),
    index('audit_events_occurred_idx').on(t.occurredAt.desc(), t.seq.desc()),
    index('audit_events_entity_idx').on(t.entityType, t.entityId),
    // A record id without its type (PostgreSQL 15 cannot skip the leading column of the one above).
    index('audit_events_entity_id_idx').on(t.entityId, t.seq),
    // "Who": a person by id, or an actor that is no person (system, provider:forage) by role.
    index('audit_events_actor_idx').on(t.actorId, t.seq),
    index('audit_events_non_person_idx')
      .on(t.actorRole, t.seq)
      .where(sql`${t.actorId} is null`),
    index('audit_events_action_idx').on(t.action, t.seq),
  ],
);

/** Small typed key/value settings (approval expiry, refund windows …), validated with zod on read. */
export const settings = pgTable('settings', {
  key: text().primaryKey(),
  value: jsonb().notNull(),
  updatedBy: uuid().references(() => users.id, { onDelete: 'restrict' }),
  updatedAt: updatedAt(),
});

/**
 * Per-currency approval threshold and agent limits. `userId` null is the default for everyone;
 * a row with a user overrides it for that agent.
 */
export const refundLimits = pgTable(
  'refund_limits',
  {
    id: id(),
    userId: uuid().references(() => users.id, { onDelete: 'restrict' }),
    currency: currency().notNull(),
    approvalThresholdMinor: money(),
    perRefundMinor: money(),
    perDayMinor: money(),
    updatedBy: uuid().references(() => users.id, { onDelete: 'restrict' }),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique('refund_limits_user_currency_key').on(t.userId, t.currency).nullsNotDistinct(),
    check(
      'refund_limits_positive',
      sql`coalesce(${t.approvalThresholdMinor}, 1) > 0 and coalesce(${t.perRefundMinor}, 1) > 0 and coalesce(${t.perDayMinor}, 1) > 0`,
    ),
  ],
);

export type Job = typeof jobs.$inferSelect;
export type AuditEvent = typeof auditEvents.$inferSelect;
