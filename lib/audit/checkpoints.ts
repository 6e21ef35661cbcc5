import { createHmac, timingSafeEqual } from 'node:crypto';
import { appendFileSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { canonicalJson } from '@/db/audit-hash';
import { auditKeys } from '@/db/audit-key';

/**
 * Signed head checkpoints, kept outside the database (README "Audit trail"). A checkpoint says: the
 * chain had `count` events, the newest being #`seq` with hash `hash`, at time `at`. It is signed
 * with a key derived from the audit key, so nobody without the key can write one. The verifier
 * compares the chain with the newest checkpoint, which catches what the chain alone cannot show:
 * the newest events deleted (the checkpoint names an event that no longer exists), or the whole
 * chain rewritten (the event it names has another hash).
 *
 * The files are append-only JSON lines, one file per UTC day, `audit-checkpoints-YYYY-MM-DD.jsonl`,
 * in `AUDIT_CHECKPOINT_DIR` (default `./data/audit-checkpoints`). Put that directory where the
 * database's administrators cannot delete from it (another host, an append-only mount).
 */

export interface ChainCheckpoint {
  seq: number;
  hash: string;
  count: number;
  /** ISO time the checkpoint was taken. */
  at: string;
}

export interface SignedCheckpoint extends ChainCheckpoint {
  v: 1;
  sig: string;
}

export interface RejectedCheckpoint {
  file: string;
  line: number;
  reason: string;
}

export interface CheckpointRead {
  /** The newest checkpoint with a valid signature (highest `seq`, then latest time), if any. */
  latest: ChainCheckpoint | null;
  /** Entries that are not a checkpoint signed with this key: altered, forged, or another key's. */
  rejected: RejectedCheckpoint[];
}

const FILE_PATTERN = /^audit-checkpoints-\d{4}-\d{2}-\d{2}\.jsonl$/;

export function checkpointDir(): string {
  return process.env.AUDIT_CHECKPOINT_DIR || path.join(process.cwd(), 'data', 'audit-checkpoints');
}

function signature(checkpoint: ChainCheckpoint, secret?: string): string {
  const body = canonicalJson({ v: 1, seq: checkpoint.seq, hash: checkpoint.hash, count: checkpoint.count, at: checkpoint.at });
  return createHmac('sha256', auditKeys(secret).checkpoint).update(body).digest('hex');
}

export function signCheckpoint(checkpoint: ChainCheckpoint, secret?: string): SignedCheckpoint {
  const { seq, hash, count, at } = checkpoint;
  return { v: 1, seq, hash, count, at, sig: signature(checkpoint, secret) };
}

/** Why a parsed line is not a valid checkpoint, or null when it is one. */
function problemOf(value: unknown, secret?: string): string | null {
  if (!value || typeof value !== 'object') return 'not a checkpoint';
  const c = value as Partial<SignedCheckpoint>;
  if (
    c.v !== 1 ||
    !Number.isSafeInteger(c.seq) ||
    !Number.isSafeInteger(c.count) ||
    typeof c.hash !== 'string' ||
    typeof c.at !== 'string' ||
    Number.isNaN(Date.parse(c.at)) ||
    typeof c.sig !== 'string'
  ) {
    return 'not a checkpoint';
  }
  const expected = Buffer.from(signature(c as ChainCheckpoint, secret), 'hex');
  const given = Buffer.from(c.sig, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'invalid signature';
  return null;
}

/**
 * Reads the newest day file that holds a valid checkpoint (and every newer file, whose entries are
 * all rejected). An unfinished last line (a write in progress) is skipped, not rejected.
 */
export function readCheckpoints(dir: string = checkpointDir(), secret?: string): CheckpointRead {
  let files: string[];
  try {
    // The directory is chosen at run time (AUDIT_CHECKPOINT_DIR), never part of the build: without
    // the ignore comments the standalone build's file tracing copies the whole project.
    files = readdirSync(/*turbopackIgnore: true*/ dir).filter((name) => FILE_PATTERN.test(name));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { latest: null, rejected: [] };
    throw error;
  }
  files.sort().reverse();
  const rejected: RejectedCheckpoint[] = [];
  let latest: ChainCheckpoint | null = null;
  for (const file of files) {
    const text = readFileSync(/*turbopackIgnore: true*/ path.join(/*turbopackIgnore: true*/ dir, file), 'utf8');
    const lines = text.split('\n');
    // The part after the last newline is empty, or a line still being written.
    lines.pop();
    for (const [index, line] of lines.entries()) {
      if (!line.trim()) continue;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        rejected.push({ file, line: index + 1, reason: 'not a checkpoint' });
        continue;
      }
      const problem = problemOf(value, secret);
      if (problem) {
        rejected.push({ file, line: index + 1, reason: problem });
        continue;
      }
      const { seq, hash, count, at } = value as SignedCheckpoint;
      if (!latest || seq > latest.seq || (seq === latest.seq && Date.parse(at) > Date.parse(latest.at))) {
        latest = { seq, hash, count, at };
      }
    }
    if (latest) break;
  }
  return { latest, rejected };
}

/** Appends a signed checkpoint to the day's file (creating the directory), one line per checkpoint. */
export function writeCheckpoint(checkpoint: ChainCheckpoint, dir: string = checkpointDir(), secret?: string): SignedCheckpoint {
  const signed = signCheckpoint(checkpoint, secret);
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `audit-checkpoints-${checkpoint.at.slice(0, 10)}.jsonl`);
  appendFileSync(file, `${JSON.stringify(signed)}\n`);
  return signed;
}
