import { z } from 'zod';
import { createRefundInput } from '@/lib/refunds/schemas';

/**
 * The refund form's copy of the server's schema, loaded by the form after the page has shown
 * (./use-refund-schema.ts), so zod is not part of the order page's first load. This is the only
 * zod the browser gets.
 *
 * Zod compiles object parsers with `new Function` when it may, and finds out by trying once; under
 * the Content-Security-Policy (no 'unsafe-eval', proxy.ts) the try is refused and reported as a
 * violation although zod catches it. Without the compiled parsers the results are the same.
 */
z.config({ jitless: true });

export { createRefundInput };
