import { createHash, createHmac } from 'node:crypto';
import { getTableColumns } from 'drizzle-orm';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { auditEvents } from '@/db/schema';
import {
  canonicalEvent,
  canonicalJson,
  canonicalRow,
  chainHash,
  chainHasher,
  hmacSha256Hex,
  toJson,
  type ChainedFields,
  type Json,
} from './audit-hash';

const KEY = 'a-test-audit-key-of-at-least-32-characters';

describe('chainHash covers every column', () => {
  const base: ChainedFields = {
    id: '11111111-1111-4111-8111-111111111111',
    seq: 7,
    occurredAt: new Date('2025-01-02T03:04:05.678Z'),
    actorId: '00000000-0000-4000-8000-000000000001',
    actorRole: 'agent',
    actorEmail: 'a@example.com',
    action: 'refund.create',
    entityType: 'refund',
    entityId: 'r1',
    before: { a: 1 },
    after: { b: 2 },
    ip: '198.51.100.1',
    userAgent: 'ua',
    requestId: 'req',
    outcome: 'success',
    prevHash: 'a'.repeat(64),
    chainVersion: 2,
  };

  it.each(Object.keys(getTableColumns(auditEvents)).filter((key) => key !== 'hash'))('changing %s changes the hash', (key) => {
    expect(key in base, `${key} is not part of ChainedFields`).toBe(true);
    const current = base[key as keyof ChainedFields];
    const changed =
      key === 'chainVersion'
        ? 1
        : current instanceof Date
          ? new Date(current.getTime() + 1)
          : typeof current === 'number'
            ? current + 1
            : typeof current === 'string'
              ? `${current}x`
              : { changed: true };
    expect(chainHash({ ...base, [key]: changed })).not.toBe(chainHash(base));
  });

  it('is stable for the same content', () => {
    expect(chainHash({ ...base, after: { b: 2 } })).toBe(chainHash(base));
  });
});

describe('the keyed chain (version 2)', () => {
  const event: ChainedFields = {
    id: '22222222-2222-4222-8222-222222222222',
    seq: 1,
    occurredAt: new Date('2025-01-02T03:04:05.678Z'),
    actorId: null,
    actorRole: 'system',
    actorEmail: null,
    action: 'thing.done',
    entityType: 'thing',
    entityId: null,
    before: null,
    after: { n: 1 },
    ip: null,
    userAgent: null,
    requestId: null,
    outcome: 'success',
    prevHash: '0'.repeat(64),
    chainVersion: 2,
  };

  it('is HMAC-SHA256 under a key derived from the audit key: known answer', () => {
    const chainKey = createHmac('sha256', KEY).update('refund-desk audit chain v2').digest();
    const canonical =
      '{"action":"thing.done","actorEmail":null,"actorId":null,"actorRole":"system","after":{"n":1},"before":null,' +
      '"chainVersion":2,"entityId":null,"entityType":"thing","id":"22222222-2222-4222-8222-222222222222","ip":null,' +
      '"occurredAt":"2025-01-02T03:04:05.678Z","outcome":"success","requestId":null,"seq":1,"userAgent":null}';
    expect(canonicalEvent(event)).toBe(canonical);
    expect(chainHash(event, KEY)).toBe(createHmac('sha256', chainKey).update(event.prevHash).update(canonical).digest('hex'));
  });

  it('another key gives another hash; an attacker without the key cannot compute it', () => {
    expect(chainHash(event, KEY)).not.toBe(chainHash(event, `${KEY}-other`));
    expect(chainHash(event, KEY)).not.toBe(chainHash({ ...event, chainVersion: 1 }, KEY));
  });

  it('version 1 (the events from before the key) is the plain sha256 it always was, whatever the key', () => {
    const legacy = { ...event, chainVersion: 1 };
    const canonical = canonicalEvent(legacy);
    expect(canonical).not.toContain('chainVersion');
    const expected = createHash('sha256').update(legacy.prevHash).update(canonical).digest('hex');
    expect(chainHash(legacy, KEY)).toBe(expected);
    expect(chainHash(legacy, `${KEY}-other`)).toBe(expected);
  });

  it('refuses an unknown version', () => {
    expect(() => chainHash({ ...event, chainVersion: 3 }, KEY)).toThrow(/Unknown audit chain version 3/);
  });

  it('refuses a key shorter than 32 characters', () => {
    const saved = process.env.AUDIT_HMAC_KEY;
    process.env.AUDIT_HMAC_KEY = 'short';
    try {
      expect(() => chainHash(event)).toThrow(/at least 32 characters/);
    } finally {
      if (saved === undefined) delete process.env.AUDIT_HMAC_KEY;
      else process.env.AUDIT_HMAC_KEY = saved;
    }
  });
});

/** The same JSON value with every object's keys inserted in reverse order. */
function reorderKeys(value: Json): Json {
  if (Array.isArray(value)) return value.map(reorderKeys);
  if (value === null || typeof value !== 'object') return value;
  const out: { [key: string]: Json } = {};
  for (const key of Object.keys(value).reverse()) {
    Object.defineProperty(out, key, { value: reorderKeys(value[key]!), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

describe('canonicalJson', () => {
  it('sorts keys at every level', () => {
    expect(canonicalJson({ b: 1, a: { d: [{ f: 1, e: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[{"e":2,"f":1}]},"b":1}');
  });

  it('key order does not change the output (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue({ stringUnit: 'binary' }), (value) => {
        expect(canonicalJson(reorderKeys(value as Json))).toBe(canonicalJson(value as Json));
      }),
      { numRuns: 1000 },
    );
    fc.assert(
      fc.property(fc.object(), (object) => {
        const json = toJson(object);
        expect(canonicalJson(reorderKeys(json))).toBe(canonicalJson(json));
      }),
      { numRuns: 500 },
    );
  });

  it('is valid JSON for the same value, so different values never share a text (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(JSON.parse(canonicalJson(value as Json))).toEqual(JSON.parse(JSON.stringify(value)));
      }),
      { numRuns: 1000 },
    );
  });
});

describe('toJson', () => {
  it('drops undefined, as jsonb would', () => {
    expect(toJson({ a: 1, b: undefined, c: { d: undefined, e: 'x' } })).toEqual({ a: 1, c: { e: 'x' } });
    expect(Object.keys(toJson({ a: undefined, b: 2 }) as object)).toEqual(['b']);
    expect(toJson([1, undefined, 2])).toEqual([1, null, 2]);
    expect(toJson(undefined)).toBeNull();
  });

  it('turns dates into ISO strings and bigints into strings', () => {
    expect(toJson({ at: new Date('2025-01-02T03:04:05.678Z'), big: 12345678901234567890n })).toEqual({
      at: '2025-01-02T03:04:05.678Z',
      big: '12345678901234567890',
    });
  });

  it('hashes an object with undefined fields like the same object without them', () => {
    expect(canonicalJson(toJson({ a: 1, b: undefined }))).toBe(canonicalJson(toJson({ a: 1 })));
  });
});

/**
 * The verifier's fast path (chainHasher: canonical text written field by field, HMAC over reused
 * pads) must give exactly what the writer's chainHash gives, or a valid chain would read as
 * tampered: held to it for arbitrary events, including strings that need escaping and the legacy
 * version.
 */
describe('the verifier hashes as the writer does', () => {
  const text = fc.string({ unit: 'binary', maxLength: 40 });
  const nullable = fc.option(text, { nil: null });
  const event = fc.record<ChainedFields>({
    id: fc.uuid(),
    seq: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
    occurredAt: fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }),
    actorId: fc.option(fc.uuid(), { nil: null }),
    actorRole: nullable,
    actorEmail: nullable,
    action: text,
    entityType: text,
    entityId: nullable,
    before: fc.option(fc.jsonValue(), { nil: null }),
    after: fc.option(fc.jsonValue(), { nil: null }),
    ip: nullable,
    userAgent: nullable,
    requestId: nullable,
    outcome: fc.constantFrom('success', 'failure'),
    prevHash: fc.stringMatching(/^[0-9a-f]{64}$/),
    chainVersion: fc.constantFrom(1, 2),
  });
  // What the verifier reads back: the payloads as the JSON text jsonb would hold, parsed again.
  const asRead = (e: ChainedFields) => ({
    ...e,
    occurredAt: e.occurredAt.toISOString(),
    before: canonicalJson(JSON.parse(JSON.stringify(toJson(e.before))) as Json),
    after: canonicalJson(JSON.parse(JSON.stringify(toJson(e.after))) as Json),
  });

  it('canonicalRow is canonicalEvent, character for character (property)', () => {
    fc.assert(
      fc.property(event, (e) => {
        expect(canonicalRow(asRead(e))).toBe(canonicalEvent(e));
      }),
    );
  });

  it('chainHasher is chainHash (property)', () => {
    const hashOf = chainHasher(KEY);
    fc.assert(
      fc.property(event, (e) => {
        expect(hashOf(asRead(e))).toBe(chainHash(e, KEY));
      }),
    );
  });

  it('hmacSha256Hex is HMAC-SHA256 for any key and message, long ones too (property)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 0, maxLength: 130 }),
        fc.string({ unit: 'binary', maxLength: 3000 }),
        (key, message) => {
          const hmac = hmacSha256Hex(Buffer.from(key));
          const expected = createHmac('sha256', Buffer.from(key)).update(message).digest('hex');
          expect(hmac(message)).toBe(expected);
          // The buffers are reused: a second, shorter message is not polluted by the first.
          expect(hmac('x')).toBe(createHmac('sha256', Buffer.from(key)).update('x').digest('hex'));
        },
      ),
    );
  });

  it('refuses an unknown version, as chainHash does', () => {
    const e = fc.sample(event, 1)[0]!;
    expect(() => chainHasher(KEY)({ ...asRead(e), chainVersion: 3 })).toThrow(/Unknown audit chain version 3/);
  });
});
