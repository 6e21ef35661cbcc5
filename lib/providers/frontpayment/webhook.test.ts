import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { callbackParams, callbackUrl, type CallbackChecksum } from '@/sandbox/frontpayment-callbacks';
import { LEGACY_CHECKSUM_FIELDS, type ChecksumFormula } from './checksum';
import { createFrontpaymentClient } from './client';

/**
 * Callback verification (frontpayment.md §8, errata 3) against URLs the sandbox builds, and by
 * hand from the docs' example URL. Three formulas: every value in the order received (current
 * docs, default), and the two older fixed lists.
 */

const NOW = new Date('2026-01-10T12:00:00Z');
const SECRET = 'sandbox-frontpayment-secret';
const WITH_AMOUNT: ChecksumFormula = { kind: 'fields', fields: [...LEGACY_CHECKSUM_FIELDS.withAmountAndTimestamp] };
const ORIGINAL: ChecksumFormula = { kind: 'fields', fields: [...LEGACY_CHECKSUM_FIELDS.original] };

const client = (extra: { checksum?: ChecksumFormula; checksumFields?: string[]; callbackToleranceMs?: number } = {}) =>
  createFrontpaymentClient({
    baseUrl: 'http://127.0.0.1:9/api/v1',
    token: 't',
    callbackSecret: SECRET,
    now: () => NOW,
    ...extra,
  });

function callback(options: { checksum?: CallbackChecksum; secret?: string; staleByMs?: number; amountMinor?: number } = {}) {
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
      checksum: options.checksum ?? { kind: 'all-in-order' },
      staleByMs: options.staleByMs ?? 0,
      now: NOW.getTime(),
    },
  );
  return new URL(callbackUrl('https://desk.example', params));
}

const verify = (url: URL, c = client()) => c.verifyWebhook({ rawBody: '', headers: new Headers(), url });
const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

function tamper(url: URL, name: string, value: string) {
  const copy = new URL(url);
  copy.searchParams.set(name, value);
  return copy;
}

/** A callback URL with exactly these parameters, in this order, and a checksum over them in that order. */
function docsUrl(pairs: [string, string][], checksum = sha256(pairs.map(([, v]) => v).join('') + SECRET)) {
  const query = [...pairs, ['checksum', checksum]].map(([k, v]) => `${k}=${encodeURIComponent(v!)}`).join('&');
  return new URL(`https://desk.example/api/webhooks/frontpayment?${query}`);
}

const CREATED = String(Math.floor(NOW.getTime() / 1000) - 60);
const SENT = String(Math.floor(NOW.getTime() / 1000) - 5);
/** The docs' example URL shape: all parameters, `paymentMethod` included. */
const DOCS_EXAMPLE: [string, string][] = [
  ['orderUuid', 'ODR1649249709'],
  ['status', 'PAID'],
  ['amount', '100.00'],
  ['paymentMethod', 'VISA'],
  ['createdAt', CREATED],
  ['timestamp', SENT],
];

describe('Frontpayment verifyWebhook: the current formula (default), every value in the order received', () => {
  it('accepts the docs example URL, whose checksum is sha256 of all values in order (paymentMethod too) then the secret', () => {
    const url = docsUrl(DOCS_EXAMPLE);
    expect(url.searchParams.get('checksum')).toBe(sha256(`ODR1649249709PAID100.00VISA${CREATED}${SENT}${SECRET}`));
    expect(verify(url)).toEqual({ ok: true });
    expect(verify(tamper(url, 'checksum', url.searchParams.get('checksum')!.toUpperCase()))).toEqual({ ok: true });
  });

  it('follows the order the parameters arrived in, not a fixed one', () => {
    const reordered: [string, string][] = [
      DOCS_EXAMPLE[0]!,
      DOCS_EXAMPLE[1]!,
      DOCS_EXAMPLE[3]!,
      DOCS_EXAMPLE[2]!,
      ...DOCS_EXAMPLE.slice(4),
    ];
    expect(verify(docsUrl(reordered))).toEqual({ ok: true });
    // The same parameters in another order, with the checksum of the documented order: refused.
    expect(verify(docsUrl(reordered, docsUrl(DOCS_EXAMPLE).searchParams.get('checksum')!))).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    // The checksum may come anywhere: it is left out, the rest keeps its order.
    const first = docsUrl(DOCS_EXAMPLE);
    const checksumFirst = new URL(
      `https://desk.example/api/webhooks/frontpayment?checksum=${first.searchParams.get('checksum')}&${DOCS_EXAMPLE.map(([k, v]) => `${k}=${v}`).join('&')}`,
    );
    expect(verify(checksumFirst)).toEqual({ ok: true });
  });

  it('refuses any tampered, added or removed parameter', () => {
    const url = docsUrl(DOCS_EXAMPLE);
    for (const [name, value] of [
      ['paymentMethod', 'MASTERCARD'],
      ['amount', '1000.00'],
      ['status', 'REFUNDED'],
      ['orderUuid', 'ODR1649249710'],
      ['createdAt', String(Number(CREATED) + 1)],
      ['timestamp', String(Number(SENT) + 1)],
      ['extra', 'x'],
    ] as const) {
      expect(verify(tamper(url, name, value)), name).toEqual({ ok: false, reason: 'bad_signature' });
    }
    const without = new URL(url);
    without.searchParams.delete('paymentMethod');
    expect(verify(without)).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('accepts what the sandbox sends by default, and refuses another secret or a non-hex checksum', () => {
    const url = callback();
    expect([...url.searchParams.keys()]).toEqual([
      'orderUuid',
      'status',
      'amount',
      'paymentMethod',
      'createdAt',
      'timestamp',
      'checksum',
    ]);
    expect(verify(url)).toEqual({ ok: true });
    const p = url.searchParams;
    expect(p.get('checksum')).toBe(
      sha256(`ODR1700000003PARTIAL REFUNDED149.5visa${p.get('createdAt')}${p.get('timestamp')}${SECRET}`),
    );
    expect(verify(callback({ secret: 'someone-else' }))).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verify(tamper(url, 'checksum', 'z'.repeat(64)))).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verify(tamper(url, 'checksum', 'abc'))).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('accepts a well-formed callback without timestamp (no freshness to check), and checks it when present', () => {
    const noTimestamp = DOCS_EXAMPLE.filter(([k]) => k !== 'timestamp');
    expect(verify(docsUrl(noTimestamp))).toEqual({ ok: true });
    const stale: [string, string][] = [...noTimestamp, ['timestamp', String(Number(SENT) - 600)]];
    expect(verify(docsUrl(stale))).toEqual({ ok: false, reason: 'stale' });
    expect(verify(docsUrl([...noTimestamp, ['timestamp', 'soon']]))).toEqual({ ok: false, reason: 'malformed' });
  });

  it('rejects a stale timestamp (default tolerance 5 minutes, configurable)', () => {
    expect(verify(callback({ staleByMs: 4 * 60_000 }))).toEqual({ ok: true });
    expect(verify(callback({ staleByMs: 6 * 60_000 }))).toEqual({ ok: false, reason: 'stale' });
    expect(verify(callback({ staleByMs: -6 * 60_000 }))).toEqual({ ok: false, reason: 'stale' });
    expect(verify(callback({ staleByMs: 6 * 60_000 }), client({ callbackToleranceMs: 10 * 60_000 }))).toEqual({ ok: true });
  });

  it('calls a callback without its checksum, orderUuid or status malformed', () => {
    for (const name of ['checksum', 'orderUuid', 'status']) {
      const url = callback();
      url.searchParams.delete(name);
      expect(verify(url), name).toEqual({ ok: false, reason: 'malformed' });
    }
  });
});

describe('Frontpayment verifyWebhook: the older formulas, as options', () => {
  it('orderUuid . status . createdAt . amount . timestamp . secret', () => {
    const c = client({ checksum: WITH_AMOUNT });
    const url = callback({ checksum: WITH_AMOUNT });
    const p = url.searchParams;
    expect(p.get('checksum')).toBe(
      sha256(`ODR1700000003PARTIAL REFUNDED${p.get('createdAt')}149.5${p.get('timestamp')}${SECRET}`),
    );
    expect(verify(url, c)).toEqual({ ok: true });
    expect(verify(tamper(url, 'amount', '1149.5'), c)).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verify(tamper(url, 'timestamp', String(Number(p.get('timestamp')) + 1)), c)).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    // Not covered by this formula: paymentMethod may change without breaking it.
    expect(verify(tamper(url, 'paymentMethod', 'mastercard'), c)).toEqual({ ok: true });
    for (const name of ['amount', 'timestamp', 'createdAt']) {
      const missing = new URL(url);
      missing.searchParams.delete(name);
      expect(verify(missing, c), name).toEqual({ ok: false, reason: 'malformed' });
    }
    // The same client given the older `checksumFields` spelling.
    expect(verify(url, client({ checksumFields: [...LEGACY_CHECKSUM_FIELDS.withAmountAndTimestamp] }))).toEqual({ ok: true });
  });

  it('orderUuid . status . createdAt . secret, which carries no timestamp', () => {
    const c = client({ checksum: ORIGINAL });
    const pairs: [string, string][] = [
      ['orderUuid', 'ODR1649249709'],
      ['status', 'PAID'],
      ['createdAt', CREATED],
    ];
    const url = docsUrl(pairs, sha256(`ODR1649249709PAID${CREATED}${SECRET}`));
    expect(verify(url, c)).toEqual({ ok: true });
    expect(verify(tamper(url, 'status', 'REFUNDED'), c)).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verify(callback({ checksum: ORIGINAL }), c)).toEqual({ ok: true });
    expect(verify(callback({ checksum: ORIGINAL, staleByMs: 6 * 60_000 }), c)).toEqual({ ok: false, reason: 'stale' });
  });

  it('each formula refuses the others’ checksums', () => {
    const formulas = [{ kind: 'all-in-order' } as const, WITH_AMOUNT, ORIGINAL];
    for (const [i, made] of formulas.entries()) {
      for (const [j, checked] of formulas.entries()) {
        const result = verify(callback({ checksum: made }), client({ checksum: checked }));
        expect(result, `${i} checked as ${j}`).toEqual(i === j ? { ok: true } : { ok: false, reason: 'bad_signature' });
      }
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
