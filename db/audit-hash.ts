import { createHash } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

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
}

export function canonicalEvent(event: ChainedFields): string {
  return canonicalJson({
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

/** hash = sha256(prev_hash || canonical event) — PRODUCT.md §5. */
export function chainHash(event: ChainedFields): string {
  return createHash('sha256').update(event.prevHash).update(canonicalEvent(event)).digest('hex');
}
