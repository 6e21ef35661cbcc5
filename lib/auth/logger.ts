import { log } from '@/lib/log';

/** Auth.js errors carry their kind in `type` (CredentialsSignin, AccessDenied, …). */
type AuthError = Error & { type?: string; code?: string };

/** Refusals Auth.js reports as errors, though nothing went wrong: a wrong password, an SSO user not invited. */
const EXPECTED = new Set(['CredentialsSignin', 'AccessDenied', 'Verification']);

/**
 * Auth.js's logging through the app's structured logger: an expected refusal is one info line
 * with its kind and code, not a stack trace; anything else is an error with its stack.
 */
export const authLogger = {
  error(error: AuthError) {
    const kind = error.type ?? error.name;
    if (EXPECTED.has(kind)) log.info({ auth: kind, code: error.code }, 'sign-in refused');
    else log.error({ err: error, auth: kind }, 'auth error');
  },
  warn(code: string) {
    log.warn({ auth: code }, 'auth warning');
  },
  debug(message: string, metadata?: unknown) {
    log.debug({ metadata }, message);
  },
};
