import { createHash } from 'node:crypto';

/**
 * Forage's idempotency cache (forage.md §9): per merchant and key, the request's canonical hash and
 * the response it got. A replay with the same body gets the byte-identical status and body; a
 * different body gets `cannot_change_request`. Requests with the same key are serialized, so a
 * duplicate that arrives while the first is in flight waits and gets the first one's answer.
 *
 * [ASSUME] Only requests that created a refund are remembered (like Stripe, which keeps no result
 * for a request rejected by validation); the lifetime is `config.forage.idempotencyTtlMs`.
 */

interface Entry {
  hash: string;
  status: number;
  /** A frozen copy of the body, so later status changes of the refund do not leak into a replay. */
  text: string;
  expiresAt: number;
}

export type Lookup = { kind: 'miss' } | { kind: 'replay'; status: number; body: unknown } | { kind: 'conflict' };

export class IdempotencyCache {
  private entries = new Map<string, Entry>();
  private locks = new Map<string, Promise<void>>();

  reset() {
    this.entries.clear();
  }

  /** Waits for any request holding this key, then holds it; call the returned function to let go. */
  async acquire(scope: string): Promise<() => void> {
    for (let held = this.locks.get(scope); held; held = this.locks.get(scope)) await held;
    let release!: () => void;
    this.locks.set(
      scope,
      new Promise<void>((resolve) => {
        release = () => {
          this.locks.delete(scope);
          resolve();
        };
      }),
    );
    return release;
  }

  lookup(scope: string, hash: string, now = Date.now()): Lookup {
    const entry = this.entries.get(scope);
    if (!entry) return { kind: 'miss' };
    if (entry.expiresAt <= now) {
      this.entries.delete(scope);
      return { kind: 'miss' };
    }
    if (entry.hash !== hash) return { kind: 'conflict' };
    return { kind: 'replay', status: entry.status, body: JSON.parse(entry.text) as unknown };
  }

  store(scope: string, hash: string, status: number, body: unknown, ttlMs: number) {
    this.entries.set(scope, { hash, status, text: JSON.stringify(body), expiresAt: Date.now() + ttlMs });
  }
}

/** The request's identity: method, path and the body with its keys sorted. */
export function requestHash(method: string, path: string, body: unknown): string {
  return createHash('sha256')
    .update(`${method} ${path}\n${canonical(body)}`)
    .digest('hex');
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
