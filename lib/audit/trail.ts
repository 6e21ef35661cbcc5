import type { Db, DbOrTx } from '@/db';
import { auditTablePrivileges } from '@/db/queries/audit';
import { formatDateTimeSeconds } from '@/lib/format';
import { log } from '@/lib/log';
import { checkpointDir, readCheckpoints, writeCheckpoint, type ChainCheckpoint, type RejectedCheckpoint } from './checkpoints';
import { verifyAuditChain, verifySinceCheckpoint, type VerifyResult } from './verify';

/** One line of the verifier's answer for an auditor: good news, a problem, or something to know. */
export interface TrailFinding {
  tone: 'ok' | 'problem' | 'caution';
  text: string;
}

export interface TrailReport {
  /** True only when the chain is intact, matches the newest checkpoint, and no checkpoint was forged. */
  ok: boolean;
  /** One sentence: what the auditor needs to know first. */
  headline: string;
  findings: TrailFinding[];
  chain: VerifyResult;
  /** The newest signed checkpoint found before verifying. */
  checkpoint: ChainCheckpoint | null;
  rejectedCheckpoints: RejectedCheckpoint[];
  /** The checkpoint this verification wrote, when the chain was intact and had grown. */
  written: ChainCheckpoint | null;
}

const n = (value: number) => value.toLocaleString('en-US');
const events = (value: number) => `${n(value)} event${value === 1 ? '' : 's'}`;

/** What the role the app runs as could do to the audit table, in words; null when it may only add and read. */
async function roleCaution(db: DbOrTx): Promise<string | null> {
  const p = await auditTablePrivileges(db);
  if (p.superuser || p.owner) {
    return (
      `The app connects to the database as "${p.role}", which ${p.superuser ? 'is a superuser' : 'owns the audit table'}: ` +
      'it could switch off the append-only protection. Tampering would still show up here (the key and the checkpoints ' +
      'are outside the database), but the database itself does not prevent it. Run the app as a role that may only add ' +
      'and read audit events (README, "Database roles").'
    );
  }
  const can = (['update', 'delete', 'truncate', 'trigger'] as const).filter((privilege) => p[privilege]);
  if (can.length) {
    return `The app's database role "${p.role}" holds ${can.map((c) => c.toUpperCase()).join(', ')} on the audit table; it should hold only INSERT and SELECT (README, "Database roles").`;
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
  let headline: string;

  if (chain.ok) {
    headline = `Chain intact: ${n(chain.verified)} events verified.`;
    findings.push({
      tone: 'ok',
      text: 'Every event links to the one before it and its hash matches its content: none was changed, removed or reordered.',
    });
    if (latest) {
      findings.push({
        tone: 'ok',
        text: `It matches the signed checkpoint of ${formatDateTimeSeconds(latest.at)} (${events(latest.count)}, up to event #${latest.seq}): no events were deleted from the end.`,
      });
    } else if (chain.verified > 0) {
      findings.push({
        tone: 'caution',
        text: `No signed checkpoint was found in ${dir}, so this check cannot show that no events were deleted from the end of the log. One is written now.`,
      });
    }
    if (chain.legacy) {
      const keyedAfter = chain.verified > chain.legacy;
      findings.push({
        tone: keyedAfter ? 'ok' : 'caution',
        text: keyedAfter
          ? `Events #1–#${chain.legacy} were written before the chain was keyed (plain SHA-256); the first keyed event, #${chain.legacy + 1}, seals them.`
          : `All ${events(chain.legacy)} were written before the chain was keyed (plain SHA-256); the next event written seals them.`,
      });
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
        findings.push({ tone: 'ok', text: `A new signed checkpoint was written for event #${written.seq}.` });
      } catch (error) {
        log.error({ err: error, dir }, 'audit checkpoint could not be written');
        findings.push({ tone: 'caution', text: `A new checkpoint could not be written to ${dir}.` });
        written = null;
      }
    }
  } else {
    const { seq, id, message } = chain.firstBreak;
    headline =
      chain.firstBreak.reason === 'tail_cut'
        ? `Events missing from the end of the log: ${message}`
        : `Broken at event #${seq}${id ? ` (${id})` : ''}: ${message}`;
    findings.push({
      tone: 'problem',
      text:
        chain.verified > 0
          ? `The ${events(chain.verified)} before that verify; nothing after the break can be trusted until it is explained.`
          : 'No event before the break could be verified.',
    });
  }

  if (rejected.length) {
    const where = rejected
      .slice(0, 5)
      .map((r) => `${r.file} line ${r.line} (${r.reason})`)
      .join('; ');
    findings.push({
      tone: 'problem',
      text: `${rejected.length === 1 ? 'One checkpoint entry is' : `${n(rejected.length)} checkpoint entries are`} not signed with the audit key — altered, forged or written with another key: ${where}${rejected.length > 5 ? '; …' : ''}.`,
    });
    if (chain.ok) headline = `Chain intact, but the checkpoint files were tampered with: ${n(chain.verified)} events verified.`;
  }

  const caution = await roleCaution(db);
  if (caution) findings.push({ tone: 'caution', text: caution });

  return {
    ok: chain.ok && rejected.length === 0,
    headline,
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
