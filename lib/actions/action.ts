import 'server-only';
import { z } from 'zod';
import { getDb, type Db } from '@/db';
import { actorContext, recordAudit, type AuditContext } from '@/lib/audit';
import { can, type Permission } from '@/lib/auth/permissions';
import { requireUser, type SessionUser } from '@/lib/auth/session';
import { ForbiddenError, SafeError } from '@/lib/errors';
import { errorWords } from '@/lib/i18n';
import { log } from '@/lib/log';
import { getRequestMeta } from '@/lib/request';

export type FieldErrors = Record<string, string[]>;

export type ActionResult<T> =
  { ok: true; data: T } | { ok: false; error: string; code: string; fieldErrors?: FieldErrors; requestId?: string };

export interface ActionContext {
  user: SessionUser;
  db: Db;
  audit: AuditContext;
  requestId: string;
}

/** FormData becomes a plain object; repeated keys become arrays. Anything else passes through. */
function toInput(raw: unknown): unknown {
  if (!(raw instanceof FormData)) return raw;
  const out: Record<string, unknown> = {};
  for (const [key, value] of raw.entries()) {
    if (key.startsWith('$ACTION')) continue;
    const existing = out[key];
    out[key] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return out;
}

/**
 * zod's issues by field (`_form` for the whole input). `word` turns a message into the reader's
 * language: schema messages that are keys of `errors.field` in messages/ are translated.
 */
export function fieldErrorsOf(error: z.ZodError, word: (message: string) => string = (m) => m): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.length ? issue.path.join('.') : '_form';
    (out[key] ??= []).push(word(issue.message));
  }
  return out;
}

function translatedFieldErrors(errors: FieldErrors | undefined, word: (message: string) => string) {
  if (!errors) return undefined;
  return Object.fromEntries(Object.entries(errors).map(([field, messages]) => [field, messages.map(word)]));
}

/**
 * The one way to write a server action: authenticate, check the named permission against the
 * users table, parse the input with zod on the server, run, and return a typed result. Every
 * export of a "use server" file is a public endpoint, so none may skip this.
 * (Next.js itself rejects server-action POSTs whose Origin does not match the host.)
 */
export function defineAction<S extends z.ZodType, T>(
  options: {
    name: string;
    permission: Permission;
    input: S;
    /** Only for setting one's own password after signing in with a one-time password. */
    allowPasswordChangePending?: boolean;
  },
  handler: (input: z.output<S>, context: ActionContext) => Promise<T>,
): (raw: unknown) => Promise<ActionResult<T>> {
  return async (raw) => {
    const meta = await getRequestMeta();
    const words = await errorWords();
    try {
      const user = await requireUser({ allowPasswordChangePending: options.allowPasswordChangePending });
      const audit = actorContext(user, meta);
      const db = await getDb();
      if (!can(user.role, options.permission)) {
        // Refused access attempts are part of the trail (PCI DSS 10.2.1.4).
        await recordAudit(db, audit, {
          action: 'access.denied',
          entityType: 'action',
          entityId: options.name,
          after: { permission: options.permission },
          outcome: 'failure',
        });
        throw new ForbiddenError();
      }
      const parsed = options.input.safeParse(toInput(raw));
      if (!parsed.success) {
        return {
          ok: false,
          error: words.invalidInput(),
          code: 'invalid_input',
          fieldErrors: fieldErrorsOf(parsed.error, words.field),
        };
      }
      const data = await handler(parsed.data, { user, db, audit, requestId: meta.requestId });
      return { ok: true, data };
    } catch (error) {
      if (error instanceof SafeError) {
        return {
          ok: false,
          error: words.safe(error),
          code: error.code,
          fieldErrors: translatedFieldErrors(error.fieldErrors, words.field),
        };
      }
      log.error({ err: error, action: options.name, requestId: meta.requestId }, 'server action failed');
      return {
        ok: false,
        error: words.generic(meta.requestId),
        code: 'internal',
        requestId: meta.requestId,
      };
    }
  };
}
