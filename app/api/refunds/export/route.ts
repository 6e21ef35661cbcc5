import { z } from 'zod';
import { getDb } from '@/db';
import { streamRefundHistoryBatches } from '@/db/queries/refund-history';
import { actorContext, recordAudit } from '@/lib/audit';
import { csvStream } from '@/lib/csv';
import { SafeError } from '@/lib/errors';
import { authorizeRoute, csvResponse, internalError, jsonResponse } from '@/lib/http/route';
import { log } from '@/lib/log';
import { serverTranslator } from '@/lib/i18n';
import { refundExportCells, refundExportHeader } from '@/lib/refunds/history-csv';
import { historyExportQuery, searchParamsToRecord } from '@/lib/refunds/history-schema';

export const dynamic = 'force-dynamic';

/**
 * The refund history as CSV (PRODUCT.md §2.6): exactly the rows the page lists for the same
 * filter, in the same order, as one statement streamed through a server-side cursor (db/cursor.ts)
 * at the pace the client reads, so memory stays flat. The page's `cursor`
 * is ignored: an export always covers every matching refund.
 */
export async function GET(request: Request) {
  const auth = await authorizeRoute(request, 'refunds.export', ['export.csv']);
  if (!auth.ok) return auth.response;
  const { meta } = auth;

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
    await recordAudit(db, actorContext(auth.user, meta), {
      action: 'refunds.export',
      entityType: 'refund_history',
      after: filter,
    });
    const t = await serverTranslator('history');
    const body = await csvStream({
      header: refundExportHeader((column) => t(`csv.${column}`)),
      batches: streamRefundHistoryBatches(db, filter),
      cells: refundExportCells,
      onError: (err) => log.error({ err, requestId: meta.requestId }, 'refund export failed while streaming'),
    });
    return csvResponse(body, 'refunds');
  } catch (error) {
    if (error instanceof SafeError) return jsonResponse(400, { error: error.message, code: error.code });
    return internalError(meta, error, 'refund export failed');
  }
}
