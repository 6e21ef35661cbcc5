import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { callbackParams, callbackUrl } from '@/sandbox/frontpayment-callbacks';
import { createFrontpaymentClient } from './client';

/** Callback verification (frontpayment.md §8) against URLs the sandbox builds, and by hand. */

const NOW = new Date('2026-01-10T12:00:00Z');
const SECRET = 'sandbox-frontpayment-secret';
const DEFAULT_FIELDS = ['orderUuid', 'status', 'createdAt', 'amount', 'timestamp'];
const CURRENT_DOCS_FIELDS = ['orderUuid', 'status', 'createdAt', 'amount', 'paymentMethod', 'timestamp'];

const client = (extra: { checksumFields?: string[]; callbackToleranceMs?: number } = {}) =>
  createFrontpaymentClient({
    baseUrl: 'http://127.0.0.1:9/api/v1',
    token: 't',
    callbackSecret: SECRET,
    now: () => NOW,
    ...extra,
  });

function callback(options: { fields?: string[]; secret?: string; staleByMs?: number; amountMinor?: number } = {}) {
  const params = callbackParams(
    {
      orderUuid: 'ODR1700000003',
      status: 'PARTIAL REFUNDED',
      createdAt: new Date(NOW.getTime() - 60_000),
      paymentMethod: 'visa',
      amountMinor: options.amountMinor ?? 14950,
    },
    {
      secret: options.secret ?? SECRET,
      checksumFields: options.fields ?? DEFAULT_FIELDS,
      staleByMs: options.staleByMs ?? 0,
      now: NOW.getTime(),
    },
  );
  return new URL(callbackUrl('https://desk.example', params));
}

const verify = (url: URL, c = client()) => c.verifyWebhook({ rawBody: '', headers: new Headers(), url });

function tamper(url: URL, name: string, value: string) {
  const copy = new URL(url);
  copy.searchParams.set(name, value);
  return copy;
}

describe('Frontpayment verifyWebhook', () => {
  it('accepts a genuine callback, whose checksum is sha256 of the values in order followed by the secret', () => {
    const url = callback();
    expect(verify(url)).toEqual({ ok: true });
    const p = url.searchParams;
    const byHand = createHash('sha256')
      .update(`ODR1700000003PARTIAL REFUNDED${p.get('createdAt')}149.5${p.get('timestamp')}${SECRET}`)
      .digest('hex');
    expect(p.get('checksum')).toBe(byHand);
    expect(verify(tamper(url, 'checksum', byHand.toUpperCase()))).toEqual({ ok: true });
  });

  it('rejects any tampered parameter that the checksum covers', () => {
    const url = callback();
    expect(verify(tamper(url, 'amount', '1149.5'))).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verify(tamper(url, 'status', 'REFUNDED'))).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verify(tamper(url, 'orderUuid', 'ODR1700000031'))).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verify(tamper(url, 'timestamp', String(Number(url.searchParams.get('timestamp')) + 1)))).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
  });

  it('rejects a checksum made with another secret, or not hex at all', () => {
    expect(verify(callback({ secret: 'someone-else' }))).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verify(tamper(callback(), 'checksum', 'z'.repeat(64)))).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verify(tamper(callback(), 'checksum', 'abc'))).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('rejects a stale timestamp (default tolerance 5 minutes, configurable)', () => {
    expect(verify(callback({ staleByMs: 4 * 60_000 }))).toEqual({ ok: true });
    expect(verify(callback({ staleByMs: 6 * 60_000 }))).toEqual({ ok: false, reason: 'stale' });
    expect(verify(callback({ staleByMs: -6 * 60_000 }))).toEqual({ ok: false, reason: 'stale' });
    expect(verify(callback({ staleByMs: 6 * 60_000 }), client({ callbackToleranceMs: 10 * 60_000 }))).toEqual({ ok: true });
  });

  it('rejects another field order unless the client is configured with it', () => {
    const url = callback({ fields: CURRENT_DOCS_FIELDS });
    expect(verify(url)).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verify(url, client({ checksumFields: CURRENT_DOCS_FIELDS }))).toEqual({ ok: true });
    expect(verify(callback(), client({ checksumFields: CURRENT_DOCS_FIELDS }))).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('calls a callback without its checksum, timestamp or a checksummed field malformed', () => {
    for (const name of ['checksum', 'timestamp', 'orderUuid', 'amount']) {
      const url = callback();
      url.searchParams.delete(name);
      expect(verify(url), name).toEqual({ ok: false, reason: 'malformed' });
    }
  });
});

describe('Frontpayment parseWebhook', () => {
  it('gives an ORDER_STATUS event with the amount in øre', () => {
    const url = callback();
    expect(client().parseWebhook({ rawBody: '', url })).toMatchObject({
      provider: 'frontpayment',
      type: 'ORDER_STATUS',
      orderRef: 'ODR1700000003',
      refundRef: null,
      status: 'PARTIAL REFUNDED',
      amountMinor: 14950,
      createdAt: new Date(Number(url.searchParams.get('createdAt')) * 1000),
      raw: { orderUuid: 'ODR1700000003', paymentMethod: 'visa' },
    });
  });

  it('gives a repeated delivery the same event id, in any parameter order, and a different callback another', () => {
    const url = callback();
    const reordered = new URL(
      `https://desk.example/api/webhooks/frontpayment?${[...url.searchParams]
        .reverse()
        .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
        .join('&')}`,
    );
    const id = client().parseWebhook({ rawBody: '', url }).eventId;
    expect(client().parseWebhook({ rawBody: '', url: reordered }).eventId).toBe(id);
    expect(client().parseWebhook({ rawBody: '', url: callback({ amountMinor: 100 }) }).eventId).not.toBe(id);
    expect(client().parseWebhook({ rawBody: '', url: callback({ staleByMs: 1000 }) }).eventId).not.toBe(id);
  });
});
