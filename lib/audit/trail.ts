import type { Db, DbOrTx } from '@/db';
import { auditTablePrivileges } from '@/db/queries/audit';
import { log } from '@/lib/log';
import { say, type Said } from './said';
import { checkpointDir, readCheckpoints, writeCheckpoint, type ChainCheckpoint, type RejectedCheckpoint } from './checkpoints';
import { verifyAuditChain, verifySinceCheckpoint, type VerifyResult } from './verify';

/** One line of the verifier's answer for an auditor: good news, a problem, or something to know. */
export interface TrailFinding {
  tone: 'ok' | 'problem' | 'caution';
  /** In English (logs, tests); `said` says it in any language (lib/audit/said.ts). */
  text: string;
  said: Said;
}

export interface TrailReport {
  /** True only when the chain is intact, matches the newest checkpoint, and no checkpoint was forged. */
  ok: boolean;
  /** One sentence: what the auditor needs to know first (in English; `headlineSaid` in any language). */
  headline: string;
  headlineSaid: Said;
  findings: TrailFinding[];
  chain: VerifyResult;
  /** The newest signed checkpoint found before verifying. */
  checkpoint: ChainCheckpoint | null;
  rejectedCheckpoints: RejectedCheckpoint[];
  /** The checkpoint this verification wrote, when the chain was intact and had grown. */
  written: ChainCheckpoint | null;
}

const finding = (tone: TrailFinding['tone'], said: Said): TrailFinding => ({ tone, text: say(said), said });

/** What the role the app runs as could do to the audit table, in words; null when it may only add and read. */
async function roleCaution(db: DbOrTx): Promise<Said | null> {
  const p = await auditTablePrivileges(db);
  if (p.superuser || p.owner) return { key: 'roleOwner', values: { role: p.role, what: p.superuser ? 'superuser' : 'owner' } };
  const can = (['update', 'delete', 'truncate', 'trigger'] as const).filter((privilege) => p[privilege]);
  if (can.length) {
    return { key: 'rolePrivileges', values: { role: p.role, privileges: can.map((c) => c.toUpperCase()).join(', ') } };
  }
  return null;
}

/**
 * The auditor's check (the Verify button): walks the whole chain against the newest signed
 * checkpoint, and when everything holds writes a new checkpoint for the current head, so the next
 * check can tell if events are later cut off the end.
 */
export async function verifyAuditTrail(
  db: Db,
  options: { dir?: string; pageSize?: number; secret?: string; now?: Date } = {},
): Promise<TrailReport> {
  const dir = options.dir ?? checkpointDir();
  const { latest, rejected } = readCheckpoints(dir, options.secret);
  const chain = await verifyAuditChain(db, options.pageSize, { checkpoint: latest, secret: options.secret });
  const findings: TrailFinding[] = [];
  let written: ChainCheckpoint | null = null;
  let headline: Said;

  if (chain.ok) {
    headline = { key: 'intact', values: { verified: chain.verified } };
    findings.push(finding('ok', { key: 'linked' }));
    if (latest) {
      findings.push(
        finding('ok', { key: 'matchesCheckpoint', values: { at: latest.at, count: latest.count, seq: String(latest.seq) } }),
      );
    } else if (chain.verified > 0) {
      findings.push(finding('caution', { key: 'noCheckpoint', values: { dir } }));
    }
    if (chain.legacy) {
      const keyedAfter = chain.verified > chain.legacy;
      findings.push(
        keyedAfter
          ? finding('ok', { key: 'legacySealed', values: { legacy: String(chain.legacy), first: String(chain.legacy + 1) } })
          : finding('caution', { key: 'legacyUnsealed', values: { count: chain.legacy } }),
      );
    }
    if (chain.verified > 0 && (!latest || chain.verified > latest.seq)) {
      written = {
        seq: chain.verified,
        hash: chain.headHash,
        count: chain.verified,
        at: (options.now ?? new Date()).toISOString(),
      };
      try {
        writeCheckpoint(written, dir, options.secret);
        findings.push(finding('ok', { key: 'checkpointWritten', values: { seq: String(written.seq) } }));
      } catch (error) {
        log.error({ err: error, dir }, 'audit checkpoint could not be written');
        findings.push(finding('caution', { key: 'checkpointNotWritten', values: { dir } }));
        written = null;
      }
    }
  } else {
    const { seq, id, said } = chain.firstBreak;
    headline =
      chain.firstBreak.reason === 'tail_cut'
        ? { key: 'tailMissing', values: { message: said } }
        : { key: 'brokenAt', values: { seq: String(seq), id: id ? ` (${id})` : '', message: said } };
    findings.push(
      chain.verified > 0
        ? finding('problem', { key: 'beforeBreak', values: { count: chain.verified } })
        : finding('problem', { key: 'nothingBefore' }),
    );
  }

  if (rejected.length) {
    const where = rejected
      .slice(0, 5)
      .map((r) => `${r.file} line ${r.line} (${r.reason})`)
      .join('; ');
    findings.push(
      finding('problem', {
        key: 'forgedCheckpoints',
        values: { count: rejected.length, where: `${where}${rejected.length > 5 ? '; …' : ''}` },
      }),
    );
    if (chain.ok) headline = { key: 'intactTampered', values: { verified: chain.verified } };
  }

  const caution = await roleCaution(db);
  if (caution) findings.push(finding('caution', caution));

  return {
    ok: chain.ok && rejected.length === 0,
    headline: say(headline),
    headlineSaid: headline,
    findings,
    chain,
    checkpoint: latest,
    rejectedCheckpoints: rejected,
    written,
  };
}

/**
 * The periodic checkpoint (the job sweep): checks what was appended since the newest checkpoint and,
 * when it holds and the chain has grown, signs the new head. Refuses (and logs why) rather than vouch
 * for a chain that lost events or was rewritten. Returns the checkpoint written, if any.
 */
export async function writeAuditCheckpoint(
  db: Db,
  options: { dir?: string; secret?: string; now?: Date } = {},
): Promise<ChainCheckpoint | null> {
  const dir = options.dir ?? checkpointDir();
  const { latest, rejected } = readCheckpoints(dir, options.secret);
  if (rejected.length) log.warn({ dir, rejected: rejected.slice(0, 5) }, 'audit checkpoint entries with an invalid signature');
  const result = await verifySinceCheckpoint(db, latest, { secret: options.secret, now: options.now });
  if (!result.ok) {
    log.error(
      { dir, firstBreak: result.firstBreak },
      'audit chain does not verify against its newest checkpoint: no new checkpoint written',
    );
    return null;
  }
  if (!result.advanced || !result.head) return null;
  writeCheckpoint(result.head, dir, options.secret);
  return result.head;
}
