'use server';

import { AuthError, CredentialsSignin } from 'next-auth';
import { z } from 'zod';
import { getDb } from '@/db';
import { endSession, endUserSessions } from '@/db/queries/sessions';
import { actorContext, appendAudit } from '@/lib/audit';
import { getRequestMeta } from '@/lib/request';
import { fieldErrorsOf, type ActionResult } from '@/lib/actions/action';
import { serverTranslator } from '@/lib/i18n';
import { signIn, signOut } from '.';
import { getCurrentUser } from './session';

const signInInput = z.object({
  // Messages are keys of auth.signIn in messages/ (translated below).
  // A field missing or not text (a file, a direct POST) gets the same words as an empty one.
  email: z.string({ error: 'emailRequired' }).trim().min(1, 'emailRequired').email('emailInvalid').max(320, 'emailInvalid'),
  password: z.string({ error: 'passwordRequired' }).min(1, 'passwordRequired').max(1024, 'mismatch'),
  // Only same-site paths: never an open redirect. Anything else (missing, not text) goes home.
  callbackUrl: z
    .unknown()
    .optional()
    .transform((v) => (typeof v === 'string' && /^\/(?!\/)[\w\-./?=&%]*$/.test(v) ? v : '/')),
});

export type SignInState = (ActionResult<null> & { email?: string }) | null;

/**
 * Public by nature (nobody is signed in yet), so it cannot use defineAction; it still parses its
 * input with zod, and the credentials provider rate-limits and audits every attempt.
 */
export async function signInAction(_previous: SignInState, formData: FormData): Promise<SignInState> {
  // The type is the form's; a direct POST can send anything (no form, an object), and must get a
  // field error, not a 500.
  const form = formData instanceof FormData ? formData : new FormData();
  const parsed = signInInput.safeParse(Object.fromEntries(form));
  const email = String(form.get('email') ?? '').slice(0, 320);
  const t = (await serverTranslator('auth')) as unknown as (key: string) => string;
  if (!parsed.success) {
    return {
      ok: false,
      error: t('signIn.checkFields'),
      code: 'invalid_input',
      fieldErrors: fieldErrorsOf(parsed.error, (key) => t(`signIn.${key}`)),
      email,
    };
  }
  try {
    await signIn('credentials', {
      email: parsed.data.email,
      password: parsed.data.password,
      redirectTo: parsed.data.callbackUrl,
    });
    return null;
  } catch (error) {
    if (error instanceof CredentialsSignin) {
      const throttled = error.code === 'throttled';
      return {
        ok: false,
        code: error.code,
        email,
        error: t(throttled ? 'signIn.throttled' : 'signIn.mismatch'),
      };
    }
    if (error instanceof AuthError) {
      return { ok: false, code: 'auth_error', email, error: t('signIn.unavailable') };
    }
    throw error; // the success redirect
  }
}

/**
 * Ends the session on the server as well as in the browser: its row is marked ended, so a copy of
 * the cookie (a request in flight, a stolen cookie) is refused from now on, and stays refused after
 * the row is purged (a cookie without a row is no session).
 */
const signOutInput = z.object({ scope: z.enum(['this', 'everywhere']).catch('this') });

/**
 * `scope=everywhere` ends every session of the user (a lost phone, a shared computer), not only
 * this one. Signing out needs no permission beyond being signed in, and a bad scope is read as
 * "this session": signing out must always work.
 */
export async function signOutAction(formData?: FormData): Promise<void> {
  // Anything but the form's FormData (a direct POST can send an object) reads as no scope.
  const { scope } = signOutInput.parse({
    scope: formData instanceof FormData ? (formData.get('scope') ?? undefined) : undefined,
  });
  const user = await getCurrentUser();
  if (user) {
    const meta = await getRequestMeta();
    const db = await getDb();
    await db.transaction(async (tx) => {
      const sessionsEnded =
        scope === 'everywhere'
          ? await endUserSessions(tx, user.id, 'sign_out_everywhere')
          : (await endSession(tx, user.sid, 'sign_out'), 1);
      await appendAudit(tx, actorContext(user, meta), {
        action: 'auth.sign_out',
        entityType: 'user',
        entityId: user.id,
        after: { scope, sessionsEnded },
      });
    });
  }
  await signOut({ redirectTo: '/signin' });
}
