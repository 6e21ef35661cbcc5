// First: zod must be told not to compile before the schemas below are built (./zod-config.ts).
import './zod-config';
import { createRefundInput } from '@/lib/refunds/schemas';

/**
 * The refund form's copy of the server's schema, loaded by the form after the page has shown
 * (./use-refund-schema.ts), so zod is not part of the order page's first load. This is the only
 * zod the browser gets.
 */
export { createRefundInput };
