import pino from 'pino';

/** Structured JSON logs; every error carries the request id the user was shown. */
export const log = pino({
  level: process.env.LOG_LEVEL || (process.env.NODE_ENV === 'test' ? 'silent' : 'info'),
  base: { service: 'refund-desk' },
  redact: ['password', '*.password', 'authorization', '*.authorization', 'headers.authorization', 'secret', '*.secret'],
});
