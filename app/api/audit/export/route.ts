import { z } from 'zod';
import { getDb } from '@/db';
import { auditHeadSeq, countAuditEvents, streamAuditEvents } from '@/db/queries/audit';
import type { AuditEvent } from '@/db/schema';
import { recordAudit, type AuditContext } from '@/lib/audit';
import { auditSearchParams } from '@/lib/audit/filters-schema';
import { can, type Permission } from '@/lib/auth/permissions';
import { requireUser, type SessionUser } from '@/lib/auth/session';
import { csvStream } from '@/lib/csv';
import { GENERIC_ERROR_MESSAGE, ForbiddenError, SafeError, UnauthenticatedError } from '@/lib/errors';
import { log } from '@/lib/log';
import { searchParamsToRecord } from '@/lib/refunds/history-schema';
import { metaFromHeaders, type RequestMeta } from '@/lib/request';

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
] as const;

/**
 * Every column the hash covers, so each row can be checked with `chainHash` (lib/audit/canonical)
 * and, for an unfiltered export, each `prev_hash` against the row above. To recompute: an empty
 * cell is null, `before`/`after` are JSON, and a leading apostrophe that lib/csv added in front of
 * = + - @ (a spreadsheet would run the cell as a formula) is removed first.
 */
function cells(e: AuditEvent): string[] {
  const json = (value: unknown) => (value === null || value === undefined ? '' : JSON.stringify(value));
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
    json(e.before),
    json(e.after),
    e.prevHash,
    e.hash,
  ];
}

const json = (status: number, body: Record<string, unknown>) =>
  Response.json(body, { status, headers: { 'cache-control': 'no-store' } });

function auditContext(user: Pick<SessionUser, 'id' | 'role' | 'email'>, meta: RequestMeta): AuditContext {
  return { actorId: user.id, actorRole: user.role, actorEmail: user.email, ...meta };
}

/**
 * The audit log as CSV (PRODUCT.md §2.7): the events the page lists for the same filter, oldest
 * first, streamed in keyset pages so memory stays flat. The snapshot ends at the newest event when
 * the export starts; the export's own `audit.export` event, written before the first byte with the
 * filter and the row count, is the first event after it. The page's `before` cursor is ignored.
 */
export async function GET(request: Request) {
  const meta = metaFromHeaders(request.headers);
  let user: SessionUser;
  try {
    user = await requireUser();
    const missing = REQUIRED.filter((permission) => !can(user.role, permission));
    if (missing.length) {
      // Refused access attempts are part of the trail, as in the action wrapper.
      await recordAudit(await getDb(), auditContext(user, meta), {
        action: 'access.denied',
        entityType: 'route',
        entityId: 'audit.export',
        after: { permission: missing.join(',') },
        outcome: 'failure',
      });
      throw new ForbiddenError();
    }
  } catch (error) {
    if (error instanceof UnauthenticatedError || error instanceof ForbiddenError) {
      return json(error instanceof UnauthenticatedError ? 401 : 403, { error: error.message, code: error.code });
    }
    log.error({ err: error, requestId: meta.requestId }, 'audit export: authorization failed');
    return json(500, { error: `${GENERIC_ERROR_MESSAGE} (ref ${meta.requestId})`, code: 'internal' });
  }

  const parsed = auditSearchParams.safeParse(searchParamsToRecord(new URL(request.url).searchParams));
  if (!parsed.success) {
    return json(400, {
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
    await recordAudit(db, auditContext(user, meta), {
      action: 'audit.export',
      entityType: 'audit_log',
      after: { filters, throughSeq, rows },
    });
    const body = await csvStream({
      header: COLUMNS,
      rows: streamAuditEvents(db, filter, { throughSeq }),
      cells,
      onError: (err) => log.error({ err, requestId: meta.requestId }, 'audit export failed while streaming'),
    });
    const day = new Date().toISOString().slice(0, 10);
    return new Response(body, {
      headers: {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="audit-log-${day}.csv"`,
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
      },
    });
  } catch (error) {
    if (error instanceof SafeError) return json(400, { error: error.message, code: error.code });
    log.error({ err: error, requestId: meta.requestId }, 'audit export failed');
    return json(500, { error: `${GENERIC_ERROR_MESSAGE} (ref ${meta.requestId})`, code: 'internal' });
  }
}
