/**
 * Errors have two faces: a SafeError's message may be shown to the user; anything else is
 * logged with a request id and shown as a generic sentence.
 */
export class SafeError extends Error {
  override name = 'SafeError';
  constructor(
    message: string,
    readonly code: string = 'error',
    readonly fieldErrors?: Record<string, string[]>,
    /** Values for the translated message (`errors.code.<code>` in messages/), e.g. an amount. */
    readonly params?: Record<string, string | number | Date>,
  ) {
    super(message);
  }
}

export class UnauthenticatedError extends SafeError {
  override name = 'UnauthenticatedError';
  constructor() {
    super('Your session has ended. Please sign in again.', 'unauthenticated');
  }
}

export class ForbiddenError extends SafeError {
  override name = 'ForbiddenError';
  constructor(message = 'You do not have permission to do that.') {
    super(message, 'forbidden');
  }
}

export const GENERIC_ERROR_MESSAGE = 'Something went wrong on our side. Please try again.';
