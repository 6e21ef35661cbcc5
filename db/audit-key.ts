import { createHmac, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The audit key: the secret behind the keyed audit chain and the signed head checkpoints. It lives
 * outside the database (PRODUCT.md §5), so whoever can write to the database — even its owner —
 * cannot re-hash a rewritten chain or forge a checkpoint.
 *
 * `AUDIT_HMAC_KEY` (at least 32 characters, its UTF-8 bytes are the key). Without it, the embedded
 * database (no `DATABASE_URL`) uses `./data/.audit-key`, generated on first use the way `npm start`
 * generates it; with PostgreSQL the key must be configured, the same on every instance.
 */
export const AUDIT_KEY_MIN_LENGTH = 32;

export function auditKeyFile(): string {
  return path.join(process.cwd(), 'data', '.audit-key');
}

/** Reads `./data/.audit-key`, creating it first when it does not exist (two processes racing write once). */
function embeddedKey(): string {
  const file = auditKeyFile();
  mkdirSync(path.dirname(file), { recursive: true });
  try {
    writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return readFileSync(file, 'utf8').trim();
}

/** The configured key's text; throws with what to do when there is none or it is too short. */
export function auditKeyText(): string {
  const configured = process.env.AUDIT_HMAC_KEY;
  const key = configured || (process.env.DATABASE_URL ? undefined : embeddedKey());
  if (!key) {
    throw new Error(
      'AUDIT_HMAC_KEY is not set. With PostgreSQL (DATABASE_URL) the audit chain needs a key kept outside the database: ' +
        'set AUDIT_HMAC_KEY to at least 32 random characters, the same on every instance (see README, "Audit trail").',
    );
  }
  if (key.length < AUDIT_KEY_MIN_LENGTH) {
    throw new Error(`AUDIT_HMAC_KEY must be at least ${AUDIT_KEY_MIN_LENGTH} characters (got ${key.length}).`);
  }
  return key;
}

export interface AuditKeys {
  /** Keys the HMAC of each chained event (chain version 2). */
  chain: Buffer;
  /** Signs the head checkpoints written outside the database. */
  checkpoint: Buffer;
}

const derived = new Map<string, AuditKeys>();

/**
 * The two keys derived from one secret (HMAC-SHA256 of the secret over a label), so an event's
 * hash can never be presented as a checkpoint's signature or the other way round.
 */
export function auditKeys(secret: string = auditKeyText()): AuditKeys {
  let keys = derived.get(secret);
  if (!keys) {
    const derive = (label: string) => createHmac('sha256', secret).update(label).digest();
    keys = { chain: derive('refund-desk audit chain v2'), checkpoint: derive('refund-desk audit checkpoint v1') };
    derived.set(secret, keys);
  }
  return keys;
}
