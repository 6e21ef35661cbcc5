import { log } from '@/lib/log';

/** Auth.js errors carry their kind in `type` (CredentialsSignin, AccessDenied, …). */
type AuthError = Error & { type?: string; code?: string };

/** Refusals Auth.js reports as errors, though nothing went wrong: a wrong password, an SSO user not invited. */
const EXPECTED = new Set(['CredentialsSignin', 'AccessDenied', 'Verification']);
/**
 * A session cookie that cannot be read (signed with a rotated AUTH_SECRET, cut, tampered with): the
 * visitor is treated as signed out. Worth a warning (many at once mean a secret changed), not a stack.
 */
const REFUSED_COOKIE = new Set(['JWTSessionError']);
/**
 * A request to /api/auth/* that names no action or provider this app has (a scanner, a typo, a
 * stale link), a form posted without its CSRF token, or a body that says JSON and is not (Auth.js's
 * body parser throws a SyntaxError, which it catches and logs): the client's mistake, answered
 * with a 4xx or a redirect. One warning line, never a stack: anyone can send these.
 */
const BAD_REQUEST = new Set(['UnknownAction', 'InvalidProvider', 'MissingCSRF', 'SyntaxError']);
const UNKNOWN_PROVIDER = /^Provider with id "[^"]{0,80}" not found/;

/**
 * Auth.js's logging through the app's structured logger: an expected refusal is one info line
 * with its kind and code, not a stack trace; anything else is an error with its stack.
 */
export const authLogger = {
  error(error: AuthError) {
    const kind = error.type ?? error.name;
    if (EXPECTED.has(kind)) log.info({ auth: kind, code: error.code }, 'sign-in refused');
    else if (BAD_REQUEST.has(kind) || UNKNOWN_PROVIDER.test(error.message))
      log.warn({ auth: kind, message: error.message.slice(0, 200) }, 'auth request refused');
    else if (REFUSED_COOKIE.has(kind)) log.warn({ auth: kind, cause: causeMessage(error) }, 'session cookie refused');
    else log.error({ err: error, auth: kind }, 'auth error');
  },
  warn(code: string) {
    log.warn({ auth: code }, 'auth warning');
  },
  debug(message: string, metadata?: unknown) {
    log.debug({ metadata }, message);
  },
};

/** Auth.js wraps the underlying error as `cause: { err }` (or plainly): its message only. */
function causeMessage(error: AuthError): string | undefined {
  const cause = error.cause as { err?: unknown } | Error | undefined;
  const inner = cause && typeof cause === 'object' && 'err' in cause ? cause.err : cause;
  return inner instanceof Error ? inner.message.slice(0, 200) : undefined;
}
