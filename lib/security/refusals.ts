import type { DbOrTx } from '@/db';
import { addRefusals } from '@/db/queries/security-counts';
import { log } from '@/lib/log';

/**
 * Refusals that come in floods (requests turned away by a rate limit) are added up in memory and
 * written as one row per kind and subject every few seconds, so a flood costs the database one
 * upsert per kind every `FLUSH_EVERY_MS`, not one per request. At most `MAX_KEYS` subjects are held;
 * the rest are added up under "other".
 */
const FLUSH_EVERY_MS = 5_000;
const MAX_KEYS = 500;

interface Pending {
  kind: string;
  subject: string;
  count: number;
  firstAt: Date;
  lastAt: Date;
}

const pending = new Map<string, Pending>();
let lastFlush = 0;

export function noteRefusal(kind: string, subject: string, now = new Date()) {
  let key = `${kind}\u0000${subject}`;
  if (!pending.has(key) && pending.size >= MAX_KEYS) {
    key = `${kind}\u0000other`;
    subject = 'other';
  }
  const entry = pending.get(key);
  if (entry) {
    entry.count += 1;
    entry.lastAt = now;
  } else {
    pending.set(key, { kind, subject, count: 1, firstAt: now, lastAt: now });
  }
}

/** Writes what has been added up. Run by the job sweep, and by `noteRefusalAndFlush` now and then. */
export async function flushRefusals(db: DbOrTx) {
  lastFlush = Date.now();
  const entries = [...pending.values()];
  pending.clear();
  for (const entry of entries) {
    try {
      await addRefusals(db, entry);
    } catch (error) {
      log.error({ err: error, kind: entry.kind }, 'could not record refused requests');
    }
  }
}

export async function noteRefusalAndFlush(db: DbOrTx, kind: string, subject: string) {
  noteRefusal(kind, subject);
  if (Date.now() - lastFlush >= FLUSH_EVERY_MS) await flushRefusals(db);
}
