import { z } from 'zod';
import { getDb } from '@/db';
import { streamRefundHistory, type RefundHistoryRow } from '@/db/queries/refund-history';
import { recordAudit, type AuditContext } from '@/lib/audit';
import { getCurrentUser, requirePermission, type SessionUser } from '@/lib/auth/session';
import { csvStream } from '@/lib/csv';
import { ForbiddenError, GENERIC_ERROR_MESSAGE, SafeError, UnauthenticatedError } from '@/lib/errors';
import { log } from '@/lib/log';
import { toDecimalString } from '@/lib/money';
import { historyExportQuery, searchParamsToRecord } from '@/lib/refunds/history-schema';
import { metaFromHeaders, type RequestMeta } from '@/lib/request';

export const dynamic = 'force-dynamic';

const COLUMNS = [
  'refund_id',
  'requested_at',
  'status',
  'amount',
  'currency',
  'amount_minor',
  'order_number',
  'provider',
  'provider_ref',
  'customer',
  'requested_by',
  'reasons',
  'provider_refund_refs',
] as const;

function cells(r: RefundHistoryRow): string[] {
  return [
    r.id,
    r.createdAt.toISOString(),
    r.status,
    toDecimalString(r.amountMinor, r.currency),
    r.currency,
    String(r.amountMinor),
    r.orderNumber,
    r.provider,
    r.providerRef,
    r.customerName,
    r.requestedByName,
    r.reasons.join(';'),
    r.providerRefundRefs.join(';'),
  ];
}

const json = (status: number, body: Record<string, unknown>) =>
  Response.json(body, { status, headers: { 'cache-control': 'no-store' } });

function auditContext(user: Pick<SessionUser, 'id' | 'role' | 'email'>, meta: RequestMeta): AuditContext {
  return { actorId: user.id, actorRole: user.role, actorEmail: user.email, ...meta };
}

/**
 * The refund history as CSV (PRODUCT.md §2.6): exactly the rows the page lists for the same
 * filter, in the same order, streamed in keyset pages so memory stays flat. The page's `cursor`
 * is ignored: an export always covers every matching refund.
 */
export async function GET(request: Request) {
  const meta = metaFromHeaders(request.headers);
  let user: SessionUser;
  try {
    user = await requirePermission('export.csv');
  } catch (error) {
    if (error instanceof UnauthenticatedError) return json(401, { error: error.message, code: error.code });
    if (error instanceof ForbiddenError) {
      // Refused access attempts are part of the trail, as in the action wrapper.
      const refused = await getCurrentUser();
      if (refused) {
        await recordAudit(await getDb(), auditContext(refused, meta), {
          action: 'access.denied',
          entityType: 'route',
          entityId: 'refunds.export',
          after: { permission: 'export.csv' },
          outcome: 'failure',
        });
      }
      return json(403, { error: error.message, code: error.code });
    }
    log.error({ err: error, requestId: meta.requestId }, 'refund export: authorization failed');
    return json(500, { error: `${GENERIC_ERROR_MESSAGE} (ref ${meta.requestId})`, code: 'internal' });
  }

  const parsed = historyExportQuery.safeParse(searchParamsToRecord(new URL(request.url).searchParams));
  if (!parsed.success) {
    return json(400, {
      error: 'Some filters are not valid.',
      code: 'invalid_input',
      fieldErrors: z.flattenError(parsed.error).fieldErrors,
    });
  }
  const { cursor: _ignored, ...filter } = parsed.data;

  try {
    const db = await getDb();
    // Written before the first byte: an export that fails half-way is still on the record.
    await recordAudit(db, auditContext(user, meta), { action: 'refunds.export', entityType: 'refund_history', after: filter });
    const body = await csvStream({
      header: COLUMNS,
      rows: streamRefundHistory(db, filter),
      cells,
      onError: (err) => log.error({ err, requestId: meta.requestId }, 'refund export failed while streaming'),
    });
    const day = new Date().toISOString().slice(0, 10);
    return new Response(body, {
      headers: {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="refunds-${day}.csv"`,
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
      },
    });
  } catch (error) {
    if (error instanceof SafeError) return json(400, { error: error.message, code: error.code });
    log.error({ err: error, requestId: meta.requestId }, 'refund export failed');
    return json(500, { error: `${GENERIC_ERROR_MESSAGE} (ref ${meta.requestId})`, code: 'internal' });
  }
}
