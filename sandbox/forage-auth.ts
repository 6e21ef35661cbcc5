import { randomBytes, timingSafeEqual } from 'node:crypto';
import { forageError } from './server';
import type { RequestContext, SandboxConfig } from './types';

/**
 * Forage's OAuth client-credentials tokens (forage.md §2): `POST /o/token/` with Basic auth and a
 * form body, `sandbox_`-prefixed bearer tokens that expire, can be revoked, and are capped at 1000
 * active tokens per client.
 */

const MIN_EXPIRATION = 60; // Forage's own tests ask for 60 s, below the documented 86400 (§2).
const MAX_EXPIRATION = 2_592_000;
const MAX_ACTIVE = 1000;

export function header(ctx: RequestContext, name: string): string | undefined {
  // Node lowercases incoming header names, so any spelling on the wire matches (§3).
  const value = ctx.req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

const sameText = (a: string, b: string) => {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
};

export class TokenStore {
  /** Every call to /o/token/, for tests ("20 concurrent calls cause one token request"). */
  requests = 0;
  private tokens = new Map<string, { expiresAt: number; scope: string }>();

  reset() {
    this.requests = 0;
    this.tokens.clear();
  }

  expireAll() {
    for (const token of this.tokens.values()) token.expiresAt = 0;
  }

  active(now = Date.now()): number {
    let count = 0;
    for (const [key, token] of this.tokens) {
      if (token.expiresAt > now) count += 1;
      else this.tokens.delete(key);
    }
    return count;
  }

  check(token: string): 'ok' | 'expired' | 'invalid' {
    const found = this.tokens.get(token);
    if (!found) return 'invalid';
    return found.expiresAt > Date.now() ? 'ok' : 'expired';
  }

  /** POST /o/token/ and POST /o/revoke_token/. */
  handle(ctx: RequestContext, config: SandboxConfig['forage']) {
    const isToken = ctx.path === '/o/token/';
    if (isToken) this.requests += 1;
    const basic = /^Basic\s+(\S+)$/i.exec(header(ctx, 'authorization') ?? '');
    const [id, secret] = basic ? Buffer.from(basic[1]!, 'base64').toString('utf8').split(/:(.*)/s) : [];
    if (!id || secret === undefined || !sameText(id, config.clientId) || !sameText(secret, config.clientSecret)) {
      return ctx.send(401, { detail: 'Invalid client credentials.' });
    }
    const form = new URLSearchParams(ctx.rawBody);
    if (!isToken) {
      this.tokens.delete(form.get('token') ?? '');
      return ctx.send(200, {});
    }
    if (form.get('grant_type') !== 'client_credentials') {
      return ctx.send(400, { error: 'unsupported_grant_type', detail: 'grant_type must be client_credentials.' });
    }
    if (this.active() >= MAX_ACTIVE) {
      return ctx.send(400, { error: 'invalid_request', detail: 'Too many active tokens for this client; revoke some.' });
    }
    const requested = Number(form.get('expiration') ?? config.defaultTokenExpiration);
    const expiresIn = Number.isFinite(requested)
      ? Math.min(MAX_EXPIRATION, Math.max(MIN_EXPIRATION, Math.floor(requested)))
      : config.defaultTokenExpiration;
    const scope = form.get('scope') || 'hosted_checkout';
    const accessToken = `sandbox_${randomBytes(20).toString('base64url')}`;
    this.tokens.set(accessToken, { expiresAt: Date.now() + expiresIn * 1000, scope });
    ctx.send(200, { access_token: accessToken, token_type: 'Bearer', expires_in: expiresIn, scope });
  }

  /**
   * The bearer check on /api/ routes (forage.md §3, §8): no credentials → 401, a bad or expired
   * token → 403, as `{detail}` or, if configured, the `invalid_token` envelope. Sends the answer
   * and returns false when the request may not go on.
   */
  authenticate(ctx: RequestContext, style: 'detail' | 'envelope'): boolean {
    const bearer = /^Bearer\s+(\S+)$/i.exec(header(ctx, 'authorization') ?? '');
    if (!bearer) {
      ctx.send(
        401,
        style === 'detail'
          ? { detail: 'Authentication credentials were not provided.' }
          : forageError(ctx.path, 'invalid_token', 'Authentication credentials were not provided.', {
              resource: 'OAuth_Access_Tokens',
            }),
      );
      return false;
    }
    const state = this.check(bearer[1]!);
    if (state === 'ok') return true;
    const message = state === 'expired' ? 'Authentication token has expired.' : 'Invalid authentication token.';
    ctx.send(
      403,
      style === 'detail'
        ? { detail: message }
        : forageError(ctx.path, state === 'expired' ? 'expired_token_signature' : 'invalid_token', message, {
            resource: 'OAuth_Access_Tokens',
          }),
    );
    return false;
  }
}
