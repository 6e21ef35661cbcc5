import { describe, expect, it } from 'vitest';
import { originRefusal, requestHost } from './origin';

const request = (method: string, headers: Record<string, string>, url = 'http://refunds.example.com/api/x') =>
  new Request(url, { method, headers });

const SESSION = { cookie: 'authjs.session-token=abc' };

describe('originRefusal', () => {
  it('lets through a request from the same host, default ports and case aside', () => {
    expect(
      originRefusal(request('POST', { host: 'refunds.example.com', origin: 'https://refunds.example.com', ...SESSION }), 0),
    ).toBeNull();
    expect(
      originRefusal(request('POST', { host: 'refunds.example.com:443', origin: 'https://refunds.example.com' }), 0),
    ).toBeNull();
    expect(
      originRefusal(request('DELETE', { host: 'localhost:3000', origin: 'http://LOCALHOST:3000', ...SESSION }), 0),
    ).toBeNull();
  });

  it('refuses an Origin of another site, another port or a sandboxed frame', () => {
    for (const origin of [
      'https://evil.example',
      'https://refunds.example.com.evil.example',
      'http://refunds.example.com:8080',
      'null',
      'garbage',
    ]) {
      expect(originRefusal(request('POST', { host: 'refunds.example.com', origin, ...SESSION }), 0), origin).toBe('cross_origin');
    }
    // With or without cookies: a foreign Origin is never this app's page.
    expect(originRefusal(request('PUT', { host: 'refunds.example.com', origin: 'https://evil.example' }), 0)).toBe(
      'cross_origin',
    );
  });

  it('refuses a missing Origin when cookies come along, as no browser would send it so', () => {
    expect(originRefusal(request('POST', { host: 'refunds.example.com', ...SESSION }), 0)).toBe('missing_origin');
    expect(originRefusal(request('PATCH', { host: 'refunds.example.com', cookie: 'other=1' }), 0)).toBe('missing_origin');
    // No cookie, no session to ride on: left to the session check.
    expect(originRefusal(request('POST', { host: 'refunds.example.com' }), 0)).toBeNull();
  });

  it('does not look at GET, HEAD or OPTIONS', () => {
    for (const method of ['GET', 'HEAD', 'OPTIONS']) {
      expect(
        originRefusal(request(method, { host: 'refunds.example.com', origin: 'https://evil.example', ...SESSION }), 0),
      ).toBeNull();
      expect(originRefusal(request(method, { host: 'refunds.example.com', ...SESSION }), 0)).toBeNull();
    }
  });

  it('believes X-Forwarded-Host only behind trusted proxies', () => {
    const viaProxy = (origin: string) =>
      request('POST', { host: 'app.internal:3000', 'x-forwarded-host': 'refunds.example.com', origin, ...SESSION });
    // Not trusted: the client may have written it, so the host addressed is Host.
    expect(originRefusal(viaProxy('https://refunds.example.com'), 0)).toBe('cross_origin');
    expect(originRefusal(viaProxy('http://app.internal:3000'), 0)).toBeNull();
    // One trusted proxy: its X-Forwarded-Host is the host the browser addressed.
    expect(originRefusal(viaProxy('https://refunds.example.com'), 1)).toBeNull();
    expect(originRefusal(viaProxy('http://app.internal:3000'), 1)).toBe('cross_origin');
    expect(originRefusal(viaProxy('https://evil.example'), 1)).toBe('cross_origin');
  });
});

describe('requestHost', () => {
  it('takes the X-Forwarded-Host entry the outermost trusted proxy wrote', () => {
    const r = request('POST', { host: 'app.internal', 'x-forwarded-host': 'forged.example, refunds.example.com, lb.internal' });
    expect(requestHost(r, 0)).toBe('app.internal');
    expect(requestHost(r, 2)).toBe('refunds.example.com');
    expect(requestHost(r, 9)).toBe('forged.example');
    expect(requestHost(request('POST', { host: 'app.internal' }), 1)).toBe('app.internal');
    expect(requestHost(request('POST', {}), 0)).toBe('refunds.example.com');
  });
});
