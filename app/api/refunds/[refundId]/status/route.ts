import { z } from 'zod';
import { getDb } from '@/db';
import { authorizeRoute, internalError, jsonResponse } from '@/lib/http/route';
import { getRefundStatusView } from '@/lib/refunds/status';

export const dynamic = 'force-dynamic';

/** The live status of one refund, polled by the refund and order pages while it is in flight. */
export async function GET(request: Request, { params }: { params: Promise<{ refundId: string }> }) {
  const auth = await authorizeRoute(request, 'refunds.status', ['refunds.read']);
  if (!auth.ok) return auth.response;
  const { meta } = auth;
  const { refundId } = await params;
  const parsed = z.uuid().safeParse(refundId);
  if (!parsed.success) return jsonResponse(400, { error: 'That is not a refund id.', code: 'invalid_input' });
  try {
    const view = await getRefundStatusView(await getDb(), parsed.data);
    if (!view) return jsonResponse(404, { error: 'Refund not found.', code: 'not_found' });
    return Response.json(view, { headers: { 'cache-control': 'no-store' } });
  } catch (error) {
    return internalError(meta, error, 'refund status failed');
  }
}
