import { httpCall } from '../http';
import type { Exchange } from '../types';

/**
 * Forage's OAuth client-credentials token (forage.md §2), cached until shortly before it expires.
 * Only one token request is in flight at a time: concurrent callers share its promise, so twenty
 * requests that find the token expired cause one token request, not twenty.
 */

export type TokenResult =
  | { ok: true; token: string }
  /** `retryable` false: the credentials were refused; true: Forage could not be reached or failed. */
  | {
      ok: false;
      code: string;
      detail: string;
      retryable: boolean;
      reason: 'timeout' | 'network' | 'server_error';
      exchange: Exchange;
    };

export interface TokenSource {
  url: string;
  clientId: string;
  clientSecret: string;
  /** Requested lifetime in seconds; the documented range is 86400–2592000 (forage.md §2). */
  expiration: number;
  timeoutMs: number;
  now: () => Date;
  fetchImpl?: typeof fetch;
}

/** Refresh this long before expiry: a tenth of the lifetime, at most five minutes. */
const marginMs = (lifetimeMs: number) => Math.min(5 * 60_000, lifetimeMs / 10);

export class ForageTokenCache {
  private cached: { token: string; refreshAt: number } | null = null;
  private inFlight: Promise<TokenResult> | null = null;

  constructor(private readonly source: TokenSource) {}

  get(): Promise<TokenResult> {
    const now = this.source.now().getTime();
    if (this.cached && now < this.cached.refreshAt) return Promise.resolve({ ok: true, token: this.cached.token });
    this.inFlight ??= this.fetch().finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  /**
   * Forgets `token` after Forage refused it. A token that has already been replaced is left
   * alone, so a burst of refusals of the same old token still causes a single refresh.
   */
  invalidate(token: string) {
    if (this.cached?.token === token) this.cached = null;
  }

  private async fetch(): Promise<TokenResult> {
    const { url, clientId, clientSecret, expiration, timeoutMs, fetchImpl } = this.source;
    const form = { grant_type: 'client_credentials', expiration: String(expiration) };
    const outcome = await httpCall(
      {
        method: 'POST',
        url,
        headers: { authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}` },
        form,
        timeoutMs,
        recordBody: form,
        metric: { provider: 'forage', operation: 'token' },
      },
      fetchImpl,
    );
    // The token itself must never reach the database through the exchange record.
    const exchange = {
      ...outcome.exchange,
      responseBody: outcome.kind === 'response' && outcome.status === 200 ? '[token]' : outcome.exchange.responseBody,
    };
    if (outcome.kind !== 'response') {
      const detail = outcome.kind === 'timeout' ? 'The token request timed out.' : outcome.error;
      return { ok: false, code: outcome.kind, detail, retryable: true, reason: outcome.kind, exchange };
    }
    const body = outcome.body as { access_token?: unknown; expires_in?: unknown } | null;
    if (outcome.status === 200 && body && typeof body.access_token === 'string' && body.access_token) {
      // Only `access_token` is confirmed (forage.md §2); without `expires_in`, trust what we asked for.
      const seconds = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : expiration;
      const lifetimeMs = seconds * 1000;
      this.cached = { token: body.access_token, refreshAt: this.source.now().getTime() + lifetimeMs - marginMs(lifetimeMs) };
      return { ok: true, token: body.access_token };
    }
    const refused = outcome.status === 400 || outcome.status === 401 || outcome.status === 403;
    return {
      ok: false,
      code: refused ? 'invalid_client' : outcome.status === 429 ? 'too_many_requests' : 'server_error',
      detail: `The token request was answered with HTTP ${outcome.status}.`,
      retryable: !refused,
      reason: 'server_error',
      exchange,
    };
  }
}
