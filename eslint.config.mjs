import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTypescript from 'eslint-config-next/typescript';
import { defineConfig, globalIgnores } from 'eslint/config';

// Next.js rules (React, hooks, jsx-a11y, import, @next/next) plus typescript-eslint's recommended set,
// which eslint-config-next/typescript spreads in.
export default defineConfig([
  ...nextVitals,
  ...nextTypescript,
  globalIgnores([
    '.next/**',
    '.next-e2e/**',
    'node_modules/**',
    'data/**',
    '.reports/**',
    'test-results/**',
    'playwright-report/**',
    'next-env.d.ts',
  ]),
  {
    rules: {
      // `_`-prefixed names are deliberately unused (destructured-away fields, placeholder parameters).
      '@typescript-eslint/no-unused-vars': [
        'warn',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  // Layers (README "Where things are"): queries live in db/queries and take db or tx first; lib/
  // holds decisions and calls them; db/ imports nothing from lib/.
  {
    files: ['lib/**/*.{ts,tsx}'],
    ignores: ['lib/**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'drizzle-orm', message: 'Queries live in db/queries/<aggregate>.ts.', allowTypeImports: true },
            { name: '@/db/schema', message: 'Tables are for db/queries; import types only.', allowTypeImports: true },
            { name: '@/db/queries/refund-status', message: 'Only lib/refunds/lifecycle.ts writes a refund status.' },
          ],
          patterns: [{ group: ['drizzle-orm/*'], message: 'Queries live in db/queries/<aggregate>.ts.', allowTypeImports: true }],
        },
      ],
    },
  },
  {
    files: ['lib/refunds/lifecycle.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { paths: [{ name: 'drizzle-orm', message: 'Queries live in db/queries/<aggregate>.ts.', allowTypeImports: true }] },
      ],
    },
  },
  {
    files: ['db/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [{ group: ['@/lib/*', '@/components/*', '@/app/*'], message: 'db/ imports nothing from lib/ (or the UI).' }],
        },
      ],
    },
  },
  {
    files: [
      'app/**/*.{ts,tsx}',
      'components/**/*.{ts,tsx}',
      'demo/**/*.ts',
      'bench/**/*.ts',
      'test/**/*.ts',
      'sandbox/**/*.ts',
      'scripts/**/*.ts',
    ],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { paths: [{ name: '@/db/queries/refund-status', message: 'Only lib/refunds/lifecycle.ts writes a refund status.' }] },
      ],
    },
  },
]);
