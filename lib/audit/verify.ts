import type { DbOrTx } from '@/db';
import { listAuditEventsAfter } from '@/db/queries/audit';
import { chainHash, GENESIS_HASH } from '@/db/audit-hash';

export type ChainBreak = {
  id: string;
  seq: number;
  reason: 'sequence_gap' | 'prev_hash_mismatch' | 'hash_mismatch';
  message: string;
};

export type VerifyResult =
  { ok: true; verified: number; headHash: string } | { ok: false; verified: number; firstBreak: ChainBreak };

/**
 * Walks the whole chain in `seq` order, in pages, recomputing every hash. Reports the first broken
 * link: a missing `seq` (deleted row), a `prev_hash` that is not the previous row's hash (deleted or
 * reordered row), or a hash that does not match the row's content (edited row).
 */
export async function verifyAuditChain(db: DbOrTx, pageSize = 1000): Promise<VerifyResult> {
  let previousHash = GENESIS_HASH;
  let expectedSeq = 1;
  let verified = 0;
  for (;;) {
    const page = await listAuditEventsAfter(db, expectedSeq - 1, { limit: pageSize });
    for (const row of page) {
      const fail = (reason: ChainBreak['reason'], message: string): VerifyResult => ({
        ok: false,
        verified,
        firstBreak: { id: row.id, seq: row.seq, reason, message },
      });
      if (row.seq !== expectedSeq) {
        return fail('sequence_gap', `Event #${expectedSeq} is missing; the chain continues at #${row.seq}.`);
      }
      if (row.prevHash !== previousHash) {
        return fail(
          'prev_hash_mismatch',
          `Event #${row.seq} does not follow event #${row.seq - 1}: an event was removed or reordered.`,
        );
      }
      if (chainHash(row) !== row.hash) {
        return fail('hash_mismatch', `Event #${row.seq} was changed after it was written.`);
      }
      previousHash = row.hash;
      expectedSeq += 1;
      verified += 1;
    }
    if (page.length < pageSize) return { ok: true, verified, headHash: previousHash };
  }
}
