import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, updatedAt } from './columns';
import { roleEnum } from './enums';

export const users = pgTable(
  'users',
  {
    id: id(),
    email: text().notNull(),
    name: text().notNull(),
    /** argon2id; null for users who only sign in through OIDC. */
    passwordHash: text(),
    role: roleEnum().notNull(),
    active: boolean().notNull().default(true),
    mustChangePassword: boolean().notNull().default(false),
    /** When the pending one-time password (invitation or reset) stops working. */
    oneTimePasswordExpiresAt: timestamp({ withTimezone: true }),
    lastSignInAt: timestamp({ withTimezone: true }),
    /** The language the user chose (i18n/locales.ts); null: their browser's. */
    locale: text(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('users_email_lower_key').on(sql`lower(${t.email})`),
    check('users_locale_known', sql`${t.locale} in ('en', 'nb')`),
  ],
);

/**
 * Failed sign-in counters, keyed `email:<addr>` or `ip:<addr>`. Kept in the database so the limit
 * holds across app instances.
 */
export const authThrottle = pgTable('auth_throttle', {
  key: text().primaryKey(),
  failures: integer().notNull().default(0),
  windowStartedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  lockedUntil: timestamp({ withTimezone: true }),
});

/**
 * Every signed-in session, by the id (`sid`) its cookie carries. A cookie is honoured only while its
 * row exists, has not ended, is younger than its absolute lifetime and was used within the idle
 * timeout (lib/auth/session-id.ts). Ending a row (sign-out, password reset, deactivation, role
 * change, sign-out everywhere) ends the session on its next request; a purged row cannot revive a
 * cookie, because a cookie without a row is no session.
 */
export const sessions = pgTable(
  'sessions',
  {
    sid: uuid().primaryKey(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
    lastSeenAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** Absolute end, fixed at sign-in. */
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    endedAt: timestamp({ withTimezone: true }),
    endReason: text(),
    /** Opened with a one-time password: this session, and only it, may set the user's password. */
    oneTime: boolean().notNull().default(false),
  },
  (t) => [index('sessions_user_idx').on(t.userId), index('sessions_expires_idx').on(t.expiresAt)],
);

export type SessionEndReason =
  'sign_out' | 'sign_out_everywhere' | 'password_reset' | 'password_set' | 'deactivated' | 'role_change';

export type User = typeof users.$inferSelect;
