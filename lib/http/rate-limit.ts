import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

/**
 * A per-instance, in-memory limit: the cheap first gate in front of anything that costs a database
 * write or a password hash. It holds nothing across instances (the database throttle does); it
 * only keeps one instance from being made to do expensive work for free.
 */
export function memoryLimiter(options: { points: number; durationSeconds: number }) {
  const limiter = new RateLimiterMemory({ points: options.points, duration: options.durationSeconds });
  /** Consumes one point: null when allowed, else the moment the key may try again. */
  return async function take(key: string, now = Date.now()): Promise<Date | null> {
    try {
      await limiter.consume(key);
      return null;
    } catch (error) {
      if (error instanceof RateLimiterRes) return new Date(now + error.msBeforeNext);
      throw error;
    }
  };
}

/**
 * At most `max` of the wrapped task at once in this instance, and at most `queue` waiting; the rest
 * are turned away at once (null) rather than piling up. For password hashing: argon2id costs
 * memory and CPU by design, and unauthenticated requests must not be able to queue without bound.
 */
export function concurrencyGate(max: number, queue: number) {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async function run<T>(task: () => Promise<T>): Promise<{ ran: true; value: T } | { ran: false }> {
    if (running >= max) {
      if (waiting.length >= queue) return { ran: false };
      await new Promise<void>((resolve) => waiting.push(resolve));
    } else {
      running += 1;
    }
    try {
      return { ran: true, value: await task() };
    } finally {
      const next = waiting.shift();
      if (next) next();
      else running -= 1;
    }
  };
}
