import { z } from 'zod';
import { getDb } from '@/db';
import { streamRefundHistory, type RefundHistoryRow } from '@/db/queries/refund-history';
import { recordAudit } from '@/lib/audit';
import { csvStream } from '@/lib/csv';
import { SafeError } from '@/lib/errors';
import { auditContextOf, authorizeRoute, csvResponse, internalError, jsonResponse } from '@/lib/http/route';
import { log } from '@/lib/log';
import { toDecimalString } from '@/lib/money';
import { historyExportQuery, searchParamsToRecord } from '@/lib/refunds/history-schema';
import { metaFromHeaders } from '@/lib/request';

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

/**
 * The refund history as CSV (PRODUCT.md §2.6): exactly the rows the page lists for the same
 * filter, in the same order, streamed in keyset pages so memory stays flat. The page's `cursor`
 * is ignored: an export always covers every matching refund.
 */
export async function GET(request: Request) {
  const meta = metaFromHeaders(request.headers);
  const auth = await authorizeRoute(meta, 'refunds.export', ['export.csv']);
  if (!auth.ok) return auth.response;

  const parsed = historyExportQuery.safeParse(searchParamsToRecord(new URL(request.url).searchParams));
  if (!parsed.success) {
    return jsonResponse(400, {
      error: 'Some filters are not valid.',
      code: 'invalid_input',
      fieldErrors: z.flattenError(parsed.error).fieldErrors,
    });
  }
  const { cursor: _ignored, ...filter } = parsed.data;

  try {
    const db = await getDb();
    // Written before the first byte: an export that fails half-way is still on the record.
    await recordAudit(db, auditContextOf(auth.user, meta), {
      action: 'refunds.export',
      entityType: 'refund_history',
      after: filter,
    });
    const body = await csvStream({
      header: COLUMNS,
      rows: streamRefundHistory(db, filter),
      cells,
      onError: (err) => log.error({ err, requestId: meta.requestId }, 'refund export failed while streaming'),
    });
    return csvResponse(body, 'refunds');
  } catch (error) {
    if (error instanceof SafeError) return jsonResponse(400, { error: error.message, code: error.code });
    return internalError(meta, error, 'refund export failed');
  }
}
