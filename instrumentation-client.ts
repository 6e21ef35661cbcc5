import { z } from 'zod';

// Runs in the browser before the app's own modules. Zod compiles object parsers with `new Function`
// when it may, and finds out by trying once; under the Content-Security-Policy (no 'unsafe-eval',
// proxy.ts) the try is refused and reported as a violation although zod catches it. Without the
// compiled parsers the results are the same, and the browser never sees an eval.
z.config({ jitless: true });
