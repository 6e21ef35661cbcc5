import { createTranslator } from 'use-intl/core';
import type { AuditEvent } from '@/db/schema';
import { DEFAULT_LOCALE, type Locale } from '@/i18n/locales';
import { providerLabel } from '@/lib/providers/registry';
import { MESSAGES } from '@/messages';

/**
 * The audit log in people's words (issue #13): an action code as a phrase ("refund.approved" →
 * "Refund approved" / "Refusjon godkjent", from messages/<locale>/audit.json `action`), an actor
 * as a person or a provider's name. Synchronous, so the table and the filter form render the same
 * way in a page and in a test; the raw code stays beside the words on the page.
 */
export function auditWords(locale: Locale = DEFAULT_LOCALE) {
  return createTranslator({ locale, messages: MESSAGES[locale], namespace: 'audit' });
}

type Words = ReturnType<typeof auditWords>;
type Loose = { has: (key: string) => boolean } & ((key: string) => string);

/** The action's phrase, or null for a code with none yet (the page then shows the code alone). */
export function actionInWords(t: Words, code: string): string | null {
  const loose = t as unknown as Loose;
  const key = `action.${code}`;
  return loose.has(key) ? loose(key) : null;
}

/**
 * Who did it, the same way for every kind of actor: a person by email (and role), a provider by
 * its name whichever process wrote the event (webhook events are written by the processing job
 * with actor role `provider:<name>`), "System" for jobs and scripts, "No account" for sign-in
 * attempts with no account.
 */
export function actorInWords(
  t: Words,
  event: Pick<AuditEvent, 'actorEmail' | 'actorRole'>,
  locale: Locale = DEFAULT_LOCALE,
): { name: string; detail: string | null; raw: string | null } {
  const role = event.actorRole;
  if (event.actorEmail) {
    const roles = createTranslator({ locale, messages: MESSAGES[locale], namespace: 'status.role' }) as unknown as Loose;
    return { name: event.actorEmail, detail: role && roles.has(role) ? roles(role) : role, raw: role };
  }
  if (role?.startsWith('provider:')) {
    return { name: providerLabel(role.slice('provider:'.length)), detail: t('actor.provider'), raw: role };
  }
  if (role === 'system' || role === null)
    return { name: t(role === null ? 'actor.noAccount' : 'actor.system'), detail: null, raw: role };
  return { name: role, detail: null, raw: null };
}

const FILTER_ERRORS = Object.entries(MESSAGES.en.audit.filterErrors).flatMap(([key, value]) =>
  typeof value === 'string' ? [key] : Object.keys(value).map((field) => `${key}.${field}`),
);

/**
 * A filter error (lib/audit/filters-schema.ts writes them in English, from the catalogue, for the
 * export's answer) in the reader's language; as written when it is not one of the catalogue's.
 */
export function filterErrorInWords(t: Words, message: string): string {
  const english = auditWords('en') as unknown as (key: string) => string;
  const key = FILTER_ERRORS.find((k) => english(`filterErrors.${k}`) === message);
  return key ? (t as unknown as (key: string) => string)(`filterErrors.${key}`) : message;
}
