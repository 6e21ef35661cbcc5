import type { Db } from '@/db';
import { cursorDate } from '@/db/cursor';
import {
  auditChainBatches,
  auditChainLink,
  auditEventOutsideChain,
  auditPayloadsDiffering,
  countAuditEvents,
} from '@/db/queries/audit';
import { canonicalJson, CHAIN_VERSION, chainHasher, GENESIS_HASH, LEGACY_CHAIN_VERSION, type Json } from '@/db/audit-hash';
import { say, type Said } from './said';
import type { ChainCheckpoint } from './checkpoints';

export type ChainBreakReason =
  /** A `seq` is missing: an event was deleted. */
  | 'sequence_gap'
  /** `prev_hash` is not the previous event's hash: an event was removed or reordered. */
  | 'prev_hash_mismatch'
  /** The hash does not match the event: it was edited, or re-hashed by someone without the key. */
  | 'hash_mismatch'
  /** An unkeyed (pre-upgrade) event after keyed ones: rewritten to escape the key. */
  | 'unkeyed_after_keyed'
  /** The checkpoint names an event that is no longer there, or more events than there are. */
  | 'tail_cut'
  /** The event the checkpoint names has another hash now: the chain was rewritten. */
  | 'checkpoint_mismatch';

export type ChainBreak = {
  /** The event where the chain breaks; null when it no longer exists (a cut-off tail). */
  id: string | null;
  seq: number;
  reason: ChainBreakReason;
  /** In English (logs, tests, the audit record); `said` says it in any language (lib/audit/said.ts). */
  message: string;
  said: Said;
};

export type VerifyResult =
  | {
      ok: true;
      verified: number;
      headHash: string;
      /** Present when events at the start predate the keyed chain (chain version 1, plain SHA-256): how many. */
      legacy?: number;
      /** Present when the chain was held against a checkpoint (and matched it): that checkpoint. */
      checkpoint?: ChainCheckpoint;
    }
  | { ok: false; verified: number; firstBreak: ChainBreak };

/** Where a walk starts: after event #seq, whose hash is `hash` (0 and the genesis hash: the whole chain). */
interface WalkStart {
  seq: number;
  hash: string;
  keyed: boolean;
}

type WalkResult =
  | { ok: true; verified: number; headSeq: number; headHash: string; legacy: number }
  | { ok: false; verified: number; firstBreak: ChainBreak };

/**
 * Whether JavaScript reads this JSON text as exactly the value stored: every number in it is
 * spelled as JavaScript prints the number it parses to (jsonb keeps numbers a double cannot: 1e400,
 * 100.000000000000000001), and it is not a JSON `null` where the app stores SQL NULL. Nearly every
 * payload passes; the database is asked about the rest (auditPayloadsDiffering), as before.
 */
const JSON_STRING_OR_NUMBER = /"(?:[^"\\]|\\.)*"|-?\d[\d.eE+-]*/g;
export function readsExactly(json: string | null): boolean {
  if (json === null) return true;
  if (json === 'null') return false;
  for (const [token] of json.matchAll(JSON_STRING_OR_NUMBER)) {
    if (token.charCodeAt(0) !== 34 && String(Number(token)) !== token) return false;
  }
  return true;
}

const changed = (seq: number): Said => ({ key: 'changed', values: { seq: String(seq) } });
/** A break: what happened at event #seq, in English and as words for any language. */
const chainBreak = (id: string | null, seq: number, reason: ChainBreakReason, said: Said): ChainBreak => ({
  id,
  seq,
  reason,
  message: say(said),
  said,
});

/** The payload as JavaScript reads it, as JSON again (a JSON `null` reads as no payload at all). */
function asRead(json: string | null): string | null {
  const value: unknown = json === null ? null : JSON.parse(json);
  return value === null ? null : JSON.stringify(value);
}

/** The payload as the hash covers it: what JavaScript parses the stored JSON into, canonical. */
const canonicalPayload = (json: string | null) => (json === null ? 'null' : canonicalJson(JSON.parse(json) as Json));

/**
 * Walks the chain after `start` in `seq` order, through one cursor, recomputing every hash (the
 * keyed ones with the audit key) a batch at a time. Reports the first broken link. When a
 * checkpoint is given, the event it names must still carry its hash, and the chain must reach at
 * least as far as it.
 */
async function walk(
  db: Db,
  start: WalkStart,
  options: { batchSize?: number; checkpoint: ChainCheckpoint | null; secret?: string },
): Promise<WalkResult> {
  const { checkpoint } = options;
  const hashOf = chainHasher(options.secret);
  let previousHash = start.hash;
  let expectedSeq = start.seq + 1;
  let keyed = start.keyed;
  let verified = 0;
  let legacy = 0;
  // The hash covers the payload as JavaScript reads it; the database must hold exactly that too.
  // Payloads JavaScript may read as another value are asked about once the cursor is closed (it
  // holds a pooled connection, and the pool may have no other).
  const doubtful: { seq: number; id: string; before: string | null; after: string | null }[] = [];
  const scan = async (): Promise<WalkResult | null> => {
    for await (const batch of auditChainBatches(db, start.seq, { batchSize: options.batchSize })) {
      for (const v of batch) {
        const seq = Number(v[0]);
        const id = v[1] as string;
        const prevHash = v[15] as string;
        const storedHash = v[16] as string;
        const chainVersion = Number(v[17]);
        const fail = (reason: ChainBreakReason, said: Said): WalkResult => ({
          ok: false,
          verified,
          firstBreak: chainBreak(id, seq, reason, said),
        });
        if (!readsExactly(v[9] as string | null) || !readsExactly(v[10] as string | null)) {
          doubtful.push({ seq, id, before: v[9] as string | null, after: v[10] as string | null });
        }
        if (seq !== expectedSeq) {
          return fail('sequence_gap', { key: 'missing', values: { expected: String(expectedSeq), seq: String(seq) } });
        }
        if (prevHash !== previousHash) {
          return fail('prev_hash_mismatch', { key: 'notFollowing', values: { seq: String(seq), previous: String(seq - 1) } });
        }
        if (chainVersion === LEGACY_CHAIN_VERSION && keyed) {
          return fail('unkeyed_after_keyed', { key: 'unkeyedAfterKeyed', values: { seq: String(seq) } });
        }
        let expected: string | null;
        try {
          expected = hashOf({
            seq,
            id,
            occurredAt: cursorDate(v[2]).toISOString(),
            actorId: v[3] as string | null,
            actorRole: v[4] as string | null,
            actorEmail: v[5] as string | null,
            action: v[6] as string,
            entityType: v[7] as string,
            entityId: v[8] as string | null,
            before: canonicalPayload(v[9] as string | null),
            after: canonicalPayload(v[10] as string | null),
            ip: v[11] as string | null,
            userAgent: v[12] as string | null,
            requestId: v[13] as string | null,
            outcome: v[14] as string,
            prevHash,
            chainVersion,
          });
        } catch {
          expected = null;
        }
        if (expected !== storedHash) return fail('hash_mismatch', changed(seq));
        if (checkpoint && seq === checkpoint.seq && storedHash !== checkpoint.hash) {
          return fail('checkpoint_mismatch', { key: 'notCheckpointEvent', values: { seq: String(seq), at: checkpoint.at } });
        }
        if (chainVersion === CHAIN_VERSION) keyed = true;
        else legacy += 1;
        previousHash = storedHash;
        expectedSeq += 1;
        verified += 1;
      }
    }
    return null;
  };
  const broken = await scan();
  // A payload stored otherwise than JavaScript reads it is a hash_mismatch at its event: it wins over
  // a later break, and over a checkpoint mismatch at the same event (checked after the hash there).
  const precedes = (seq: number) =>
    !broken ||
    broken.ok ||
    seq < broken.firstBreak.seq ||
    (seq === broken.firstBreak.seq && broken.firstBreak.reason === 'checkpoint_mismatch');
  const candidates = doubtful.filter((d) => precedes(d.seq));
  const respelled = await auditPayloadsDiffering(
    db,
    candidates.map((d) => ({ seq: d.seq, before: asRead(d.before), after: asRead(d.after) })),
  );
  const first = candidates.find((d) => respelled.has(d.seq));
  if (first) {
    return {
      ok: false,
      verified: first.seq - start.seq - 1,
      firstBreak: chainBreak(first.id, first.seq, 'hash_mismatch', changed(first.seq)),
    };
  }
  if (broken) return broken;
  const headSeq = expectedSeq - 1;
  // Numbers below 1 are never handed out: a row there was renumbered out of the walk's way.
  const outside = await auditEventOutsideChain(db);
  if (outside) {
    return {
      ok: false,
      verified,
      firstBreak: chainBreak(outside.id, outside.seq, 'sequence_gap', {
        key: 'outsideNumbering',
        values: { seq: String(outside.seq) },
      }),
    };
  }
  if (checkpoint && (headSeq < checkpoint.seq || headSeq < checkpoint.count)) {
    const missing = Math.max(checkpoint.seq, checkpoint.count) - headSeq;
    return {
      ok: false,
      verified,
      firstBreak: chainBreak(null, headSeq + 1, 'tail_cut', {
        key: 'tailCut',
        values: { at: checkpoint.at, count: checkpoint.count, seq: String(checkpoint.seq), head: String(headSeq), missing },
      }),
    };
  }
  return { ok: true, verified, headSeq, headHash: previousHash, legacy };
}

/**
 * Walks the whole chain in `seq` order through one cursor, recomputing every hash. Reports the first broken
 * link: a missing `seq` (deleted row), a `prev_hash` that is not the previous row's hash (deleted or
 * reordered row), a hash that does not match the row's content (edited row, or a chain re-hashed
 * without the key), an unkeyed row after keyed ones (rewritten to escape the key) — and, given the
 * newest signed checkpoint, an event it names that has another hash or no longer exists (a
 * rewritten chain, or the newest events cut off).
 */
export async function verifyAuditChain(
  db: Db,
  /** Events a cursor batch (db/cursor.ts default when unset). */
  batchSize?: number,
  options: { checkpoint?: ChainCheckpoint | null; secret?: string } = {},
): Promise<VerifyResult> {
  const checkpoint = options.checkpoint ?? null;
  const result = await walk(db, { seq: 0, hash: GENESIS_HASH, keyed: false }, { batchSize, checkpoint, secret: options.secret });
  if (!result.ok) return result;
  return {
    ok: true,
    verified: result.verified,
    headHash: result.headHash,
    ...(result.legacy ? { legacy: result.legacy } : {}),
    ...(checkpoint ? { checkpoint } : {}),
  };
}

export type CheckpointAdvance =
  { ok: true; head: ChainCheckpoint | null; advanced: boolean } | { ok: false; verified: number; firstBreak: ChainBreak };

/**
 * For taking a new checkpoint cheaply: checks only what was appended since `from` (the newest
 * checkpoint) — that its event is still there with its hash, and that every event after it links
 * and hashes — and returns the new head. Never vouches for a chain that lost its tail or was
 * rewritten past the checkpoint, so a periodic checkpoint cannot paper over tampering.
 */
export async function verifySinceCheckpoint(
  db: Db,
  from: ChainCheckpoint | null,
  options: { pageSize?: number; secret?: string; now?: Date } = {},
): Promise<CheckpointAdvance> {
  const batchSize = options.pageSize;
  let start: WalkStart = { seq: 0, hash: GENESIS_HASH, keyed: false };
  if (from) {
    const link = await auditChainLink(db, from.seq);
    if (!link || link.hash !== from.hash) {
      // The full walk names the break in plain words.
      const full = await verifyAuditChain(db, batchSize, { checkpoint: from, secret: options.secret });
      if (!full.ok) return full;
      return {
        ok: false,
        verified: full.verified,
        firstBreak: chainBreak(link?.id ?? null, from.seq, 'checkpoint_mismatch', { key: 'checkpointMismatch' }),
      };
    }
    start = { seq: from.seq, hash: from.hash, keyed: link.chainVersion === CHAIN_VERSION };
  }
  const result = await walk(db, start, { batchSize, checkpoint: null, secret: options.secret });
  if (!result.ok) return result;
  if (result.headSeq === 0) return { ok: true, head: null, advanced: false };
  if (from && result.headSeq === from.seq) return { ok: true, head: from, advanced: false };
  const count = await countAuditEvents(db, {}, result.headSeq);
  const at = (options.now ?? new Date()).toISOString();
  return { ok: true, head: { seq: result.headSeq, hash: result.headHash, count, at }, advanced: true };
}
