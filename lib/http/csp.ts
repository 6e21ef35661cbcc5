/**
 * The Content-Security-Policy of every page, built per request by proxy.ts around a fresh nonce
 * (https://nextjs.org/docs/app/guides/content-security-policy). Next.js reads the nonce back from
 * the request's own CSP header while it renders and puts it on its scripts, so no script runs
 * unless this answer named it: an injected `<script>` (or `onclick=`) has no nonce and is refused.
 * Kept free of Node-only imports: the proxy loads it.
 */

/** A fresh nonce: 128 random bits, base64 (what CSP and Next's nonce parser accept). */
export function newNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}

export interface CspOptions {
  nonce: string;
  /** `next dev`: React rebuilds server error stacks with eval in development only. */
  dev?: boolean;
  /**
   * Where a form may send the browser besides this origin: the OIDC issuer, when single sign-on is
   * on (without JavaScript, the "Continue with …" form's answer redirects to it, and Chromium
   * applies form-action to that redirect).
   */
  formTargets?: readonly string[];
}

export function contentSecurityPolicy({ nonce, dev = false, formTargets = [] }: CspOptions): string {
  return [
    "default-src 'self'",
    // 'strict-dynamic': scripts the nonce-bearing ones load (Next's chunks) run too; 'self' and
    // host sources are then ignored by browsers that know it. No 'unsafe-inline' for scripts.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ''}`,
    // Styles keep 'unsafe-inline': React writes `style` attributes (the overview's chart and bars),
    // which a nonce cannot allow. Inline CSS cannot run code; the scripts are what the nonce guards.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "frame-ancestors 'none'",
    ['form-action', "'self'", ...formTargets].join(' '),
    "base-uri 'self'",
  ].join('; ');
}

/** The origin of the OIDC issuer when single sign-on is configured (lib/auth/index.ts), else none. */
export function oidcFormTargets(env: Record<string, string | undefined> = process.env): string[] {
  if (!env.AUTH_OIDC_ISSUER || !env.AUTH_OIDC_CLIENT_ID) return [];
  try {
    const origin = new URL(env.AUTH_OIDC_ISSUER).origin;
    return origin.startsWith('https://') || origin.startsWith('http://') ? [origin] : [];
  } catch {
    return [];
  }
}
