import createNextIntlPlugin from 'next-intl/plugin';

/** @type {import('next').NextConfig} */
const securityHeaders = [
  { key: 'X-Frame-Options', value: 'DENY' },
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'Referrer-Policy', value: 'same-origin' },
  { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=()' },
  // Browsers keep to HTTPS for two years once they have seen this over HTTPS (ignored over plain
  // http, so the local demo is unaffected).
  { key: 'Strict-Transport-Security', value: 'max-age=63072000; includeSubDomains' },
  // Content-Security-Policy is set per request by proxy.ts, around a fresh nonce (lib/http/csp.ts).
];

const nextConfig = {
  // The end-to-end build goes to its own folder (scripts/test.mjs builds it with NEXT_DIST_DIR=.next-e2e),
  // so `npm start`, which serves .next, never serves a build that has the test hooks in it.
  distDir: process.env.NEXT_DIST_DIR || '.next',
  // The production server (README "Run it in production"): `<distDir>/standalone/server.js` with
  // only the node_modules files the server traces to, so the image needs no `npm ci` of its own.
  // scripts/standalone.mjs copies the static assets and public/ next to it.
  output: 'standalone',
  // Files the server loads that no import leads the tracer to. The migrations are read from
  // process.cwd() (db/index.ts MIGRATIONS_FOLDER; readiness reads their journal). argon2's loader
  // prefers the binary its install compiled (build/Release) over the prebuilt ones, and the tracer
  // copies only the prebuilt ones, whose linux-x64 glibc build crashes (SIGSEGV) on some machines
  // (this one included), which is why the install compiles it.
  outputFileTracingIncludes: {
    '/*': ['./db/migrations/**/*', './node_modules/argon2/build/Release/argon2.node'],
  },
  // Replaced in the code when it is built: '1' compiles the end-to-end test hooks in
  // (app/api/testing); in any other build they are constant-false and dropped.
  env: { RD_TEST_HOOKS: process.env.RD_TEST_HOOKS === '1' ? '1' : '' },
  // PGlite ships WASM + data files that must be loaded from node_modules at run time.
  serverExternalPackages: ['@electric-sql/pglite', 'argon2', 'pino'],
  poweredByHeader: false,
  // Type checking is `npm run typecheck` (run by `npm test`), over app *and* tests; the build does
  // not repeat it, which halves build time on CI's two cores.
  typescript: { ignoreBuildErrors: true },
  // forbidden() renders app/forbidden.tsx with a 403 when a signed-in user lacks a permission.
  experimental: { authInterrupts: true },
  async headers() {
    return [{ source: '/:path*', headers: securityHeaders }];
  },
};

// next-intl (issue #13): its request configuration, the language of each request and its messages.
const withNextIntl = createNextIntlPlugin('./i18n/request.ts');

export default withNextIntl(nextConfig);
