import { createHash, createHmac, hash } from 'node:crypto';
import { auditKeys } from './audit-key';

export const GENESIS_HASH = '0'.repeat(64);

/**
 * How an event's hash is made. 1: sha256(prev_hash || canonical row), unkeyed — the events written
 * before migration 0014. 2: HMAC-SHA256 under the audit key (db/audit-key.ts) of the same, with the
 * version in the canonical row — every event written since. Version 1 events may only come first:
 * the first keyed event's HMAC covers the last unkeyed event's hash, which seals them.
 */
export const CHAIN_VERSION = 2;
export const LEGACY_CHAIN_VERSION = 1;

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * Brings a value into the shape it will have after a round trip through jsonb: undefined
 * dropped, dates as ISO strings, bigints as strings, NUL characters (which jsonb cannot hold) as U+FFFD. Hashing this shape means the verifier,
 * reading the row back, computes the same bytes.
 */
export function toJson(value: unknown): Json {
  if (value === undefined) return null;
  return JSON.parse(
    JSON.stringify(value, (_key, v: unknown) =>
      typeof v === 'bigint' ? v.toString() : typeof v === 'string' ? v.replace(/\u0000/g, '\uFFFD') : v,
    ),
  ) as Json;
}

/** JSON with object keys sorted at every level: one text per value, whatever the key order. */
export function canonicalJson(value: Json): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key] as Json)}`).join(',')}}`;
}

/** The fields covered by the hash: everything in the row except the hash itself. */
export interface ChainedFields {
  id: string;
  seq: number;
  occurredAt: Date;
  actorId: string | null;
  actorRole: string | null;
  actorEmail: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  outcome: string;
  prevHash: string;
  chainVersion: number;
}

export function canonicalEvent(event: ChainedFields): string {
  return canonicalJson({
    ...(event.chainVersion === LEGACY_CHAIN_VERSION ? {} : { chainVersion: event.chainVersion }),
    id: event.id,
    seq: event.seq,
    occurredAt: event.occurredAt.toISOString(),
    actorId: event.actorId,
    actorRole: event.actorRole,
    actorEmail: event.actorEmail,
    action: event.action,
    entityType: event.entityType,
    entityId: event.entityId,
    before: toJson(event.before),
    after: toJson(event.after),
    ip: event.ip,
    userAgent: event.userAgent,
    requestId: event.requestId,
    outcome: event.outcome,
  });
}

/**
 * hash = HMAC-SHA256(chain key, prev_hash || canonical event) — PRODUCT.md §5; version 1 events:
 * sha256(prev_hash || canonical event). `secret` is the audit key's text (default: the configured one).
 */
export function chainHash(event: ChainedFields, secret?: string): string {
  if (event.chainVersion === LEGACY_CHAIN_VERSION) {
    return createHash('sha256').update(event.prevHash).update(canonicalEvent(event)).digest('hex');
  }
  if (event.chainVersion !== CHAIN_VERSION) throw new Error(`Unknown audit chain version ${event.chainVersion}`);
  return createHmac('sha256', auditKeys(secret).chain).update(event.prevHash).update(canonicalEvent(event)).digest('hex');
}

/**
 * An event as the verifier reads it back: the time as its ISO text, and `before`/`after` already
 * in canonical JSON (the verifier parses them from the database's JSON text, where `toJson`
 * changes nothing).
 */
export type ChainedRow = Omit<ChainedFields, 'occurredAt' | 'before' | 'after'> & {
  occurredAt: string;
  before: string;
  after: string;
};

const text = (value: string | null) => (value === null ? 'null' : JSON.stringify(value));

/**
 * canonicalEvent's text, written out field by field in its sorted key order rather than built as
 * an object and sorted for every event: the verifier does this a million times. The same text for
 * the same event, always (db/audit-hash.test.ts holds it to canonicalEvent).
 */
export function canonicalRow(row: ChainedRow): string {
  return (
    `{"action":${JSON.stringify(row.action)},"actorEmail":${text(row.actorEmail)},"actorId":${text(row.actorId)}` +
    `,"actorRole":${text(row.actorRole)},"after":${row.after},"before":${row.before}` +
    (row.chainVersion === LEGACY_CHAIN_VERSION ? '' : `,"chainVersion":${JSON.stringify(row.chainVersion)}`) +
    `,"entityId":${text(row.entityId)},"entityType":${JSON.stringify(row.entityType)},"id":${JSON.stringify(row.id)}` +
    `,"ip":${text(row.ip)},"occurredAt":${JSON.stringify(row.occurredAt)},"outcome":${JSON.stringify(row.outcome)}` +
    `,"requestId":${text(row.requestId)},"seq":${JSON.stringify(row.seq)},"userAgent":${text(row.userAgent)}}`
  );
}

/**
 * HMAC-SHA256 (RFC 2104) under one key, for many messages: two one-shot `crypto.hash` calls over
 * the key's inner and outer pads in reused buffers, about half the cost of a `createHmac` object
 * per message. The same digest as createHmac('sha256', key) (db/audit-hash.test.ts).
 */
export function hmacSha256Hex(key: Buffer): (message: string) => string {
  const block = Buffer.alloc(64);
  (key.length > 64 ? hash('sha256', key, 'buffer') : key).copy(block);
  const outer = Buffer.alloc(64 + 32);
  let inner = Buffer.alloc(64 + 4096);
  for (let i = 0; i < 64; i++) {
    inner[i] = block[i]! ^ 0x36;
    outer[i] = block[i]! ^ 0x5c;
  }
  return (message) => {
    // UTF-8 takes at most 3 bytes per UTF-16 unit: with that much room the write is never cut short.
    if (64 + message.length * 3 > inner.length) {
      const grown = Buffer.alloc(64 + message.length * 3);
      inner.copy(grown, 0, 0, 64);
      inner = grown;
    }
    const length = inner.write(message, 64, 'utf8');
    hash('sha256', inner.subarray(0, 64 + length), 'buffer').copy(outer, 64);
    return hash('sha256', outer, 'hex');
  };
}

/**
 * chainHash for rows read back by the verifier (ChainedRow), with the key set up once: the same
 * hash as chainHash gives the same event. Throws on an unknown chain version, as chainHash does.
 */
export function chainHasher(secret?: string): (row: ChainedRow) => string {
  const hmac = hmacSha256Hex(auditKeys(secret).chain);
  return (row) => {
    if (row.chainVersion === LEGACY_CHAIN_VERSION) return hash('sha256', row.prevHash + canonicalRow(row), 'hex');
    if (row.chainVersion !== CHAIN_VERSION) throw new Error(`Unknown audit chain version ${row.chainVersion}`);
    return hmac(row.prevHash + canonicalRow(row));
  };
}
