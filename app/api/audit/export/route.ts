import { z } from 'zod';
import { getDb } from '@/db';
import { auditHeadSeq, countAuditEvents, streamAuditEventBatches, type AuditExportEvent } from '@/db/queries/audit';
import { actorContext, recordAudit } from '@/lib/audit';
import { auditSearchParams } from '@/lib/audit/filters-schema';
import type { Permission } from '@/lib/auth/permissions';
import { csvStream } from '@/lib/csv';
import { SafeError } from '@/lib/errors';
import { authorizeRoute, csvResponse, internalError, jsonResponse } from '@/lib/http/route';
import { log } from '@/lib/log';
import { searchParamsToRecord } from '@/lib/refunds/history-schema';

export const dynamic = 'force-dynamic';

/** Reading the log and taking a copy of it out: both are needed (auditor, admin). */
const REQUIRED: readonly Permission[] = ['audit.read', 'export.csv'];

const COLUMNS = [
  'seq',
  'id',
  'occurred_at',
  'actor_email',
  'actor_role',
  'actor_id',
  'action',
  'entity_type',
  'entity_id',
  'outcome',
  'ip',
  'user_agent',
  'request_id',
  'before',
  'after',
  'prev_hash',
  'hash',
  'chain_version',
] as const;

/**
 * Every column the hash covers, so each row can be checked with `chainHash` (db/audit-hash.ts) by
 * someone who holds the audit key (`chain_version` 2 is an HMAC under it; 1, an event from before
 * the key, plain SHA-256) and, for an unfiltered export, each `prev_hash` against the row above. To
 * recompute: an empty cell is null, `before`/`after` are JSON (the database's own text of the
 * stored value, parsed as the chain hashes it), and a leading apostrophe that lib/csv
 * added in front of = + - @ (a spreadsheet would run the cell as a formula) is removed first.
 */
function cells(e: AuditExportEvent): string[] {
  return [
    String(e.seq),
    e.id,
    e.occurredAt.toISOString(),
    e.actorEmail ?? '',
    e.actorRole ?? '',
    e.actorId ?? '',
    e.action,
    e.entityType,
    e.entityId ?? '',
    e.outcome,
    e.ip ?? '',
    e.userAgent ?? '',
    e.requestId ?? '',
    e.before ?? '',
    e.after ?? '',
    e.prevHash,
    e.hash,
    String(e.chainVersion),
  ];
}

/**
 * The audit log as CSV (PRODUCT.md §2.7): the events the page lists for the same filter, oldest
 * first, as one statement streamed through a server-side cursor (db/cursor.ts) at the pace the
 * client reads, so memory stays flat. The snapshot ends at the newest event when
 * the export starts; the export's own `audit.export` event, written before the first byte with the
 * filter and the row count, is the first event after it. The page's `before` cursor is ignored.
 */
export async function GET(request: Request) {
  const auth = await authorizeRoute(request, 'audit.export', REQUIRED);
  if (!auth.ok) return auth.response;
  const { user, meta } = auth;

  const parsed = auditSearchParams.safeParse(searchParamsToRecord(new URL(request.url).searchParams));
  if (!parsed.success) {
    return jsonResponse(400, {
      error: 'Some filters are not valid.',
      code: 'invalid_input',
      fieldErrors: z.flattenError(parsed.error).fieldErrors,
    });
  }
  const { before: _ignored, ...filter } = parsed.data;
  const filters = Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined));

  try {
    const db = await getDb();
    const throughSeq = await auditHeadSeq(db);
    const rows = await countAuditEvents(db, filter, throughSeq);
    // Written before the first byte: an export that fails half-way is still on the record.
    await recordAudit(db, actorContext(user, meta), {
      action: 'audit.export',
      entityType: 'audit_log',
      after: { filters, throughSeq, rows },
    });
    const body = await csvStream({
      header: COLUMNS,
      batches: streamAuditEventBatches(db, filter, { throughSeq }),
      cells,
      onError: (err) => log.error({ err, requestId: meta.requestId }, 'audit export failed while streaming'),
    });
    return csvResponse(body, 'audit-log');
  } catch (error) {
    if (error instanceof SafeError) return jsonResponse(400, { error: error.message, code: error.code });
    return internalError(meta, error, 'audit export failed');
  }
}
