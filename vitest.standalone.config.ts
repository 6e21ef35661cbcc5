import { defineConfig } from 'vitest/config';
import base from './vitest.config';

/**
 * The tests that serve a production build (*.standalone.test.ts): npm test runs them after its
 * build step, since the plain `vitest run` comes before any build. Everything else as vitest.config.ts.
 */
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ['**/*.standalone.test.ts'],
    exclude: ['node_modules/**', 'e2e/**', '.next/**', '.next-e2e/**', 'data/**'],
    // One at a time: each starts servers of its own.
    maxWorkers: 1,
  },
});
