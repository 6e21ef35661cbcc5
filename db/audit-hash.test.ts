import { getTableColumns } from 'drizzle-orm';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { auditEvents } from '@/db/schema';
import { canonicalJson, chainHash, toJson, type ChainedFields, type Json } from './audit-hash';

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
  };

  it.each(Object.keys(getTableColumns(auditEvents)).filter((key) => key !== 'hash'))('changing %s changes the hash', (key) => {
    expect(key in base, `${key} is not part of ChainedFields`).toBe(true);
    const current = base[key as keyof ChainedFields];
    const changed =
      current instanceof Date
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
