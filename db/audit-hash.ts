import { createHash, createHmac } from 'node:crypto';
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
