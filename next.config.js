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

export default nextConfig;
