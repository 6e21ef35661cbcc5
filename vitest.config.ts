import { tmpdir } from 'node:os';
import path from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    alias: {
      '@': path.resolve(import.meta.dirname),
      // `server-only` throws outside React Server Components; tests are server code.
      'server-only': path.resolve(import.meta.dirname, 'test/empty.ts'),
    },
  },
  test: {
    include: ['**/*.test.ts'],
    // *.standalone.test.ts serve a production build: npm test runs them after building one
    // (vitest.standalone.config.ts).
    exclude: ['node_modules/**', 'e2e/**', '.next/**', '.next-e2e/**', 'data/**', '**/*.standalone.test.ts'],
    environment: 'node',
    env: {
      // A fixed audit key, so the tests never generate ./data/.audit-key; checkpoints the app code
      // writes by default go to a throwaway directory, never ./data/audit-checkpoints.
      AUDIT_HMAC_KEY: 'vitest-audit-key-fixed-for-tests-0123456789abcdef',
      // Signs device cookies (lib/auth/device.ts) as it signs session cookies in the app.
      AUTH_SECRET: 'vitest-auth-secret-fixed-for-tests-0123456789abcdef',
      // As in the end-to-end build, where next.config.js inlines it: the test hooks (app/api/testing)
      // are there, and answer only when E2E_TEST_HOOKS=1 too. Tests of their absence stub it off.
      RD_TEST_HOOKS: '1',
      AUDIT_CHECKPOINT_DIR: path.join(tmpdir(), `refund-desk-vitest-${process.pid}`, 'audit-checkpoints'),
    },
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // PGlite per test file; two cores in CI.
    pool: 'forks',
    maxWorkers: 2,
  },
});
