import { z } from 'zod';

/**
 * Zod compiles object parsers with `new Function` when it may, and finds out by trying once, when
 * the first object schema is built; under the Content-Security-Policy (no 'unsafe-eval', proxy.ts)
 * the try is refused and reported as a violation although zod catches it. Without the compiled
 * parsers the results are the same. Imported first by ./refund-schema.ts, the browser's only zod,
 * so this runs before any schema is built.
 */
z.config({ jitless: true });
