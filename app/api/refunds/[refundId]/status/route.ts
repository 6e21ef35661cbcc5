import { z } from 'zod';
import { getDb } from '@/db';
import { requirePermission } from '@/lib/auth/session';
import { ForbiddenError, GENERIC_ERROR_MESSAGE, UnauthenticatedError } from '@/lib/errors';
import { log } from '@/lib/log';
import { getRefundStatusView } from '@/lib/refunds/status';

export const dynamic = 'force-dynamic';

const NO_STORE = { 'cache-control': 'no-store' };

function json(body: unknown, status = 200) {
  return Response.json(body, { status, headers: NO_STORE });
}

/** The live status of one refund, polled by the refund and order pages while it is in flight. */
export async function GET(_request: Request, { params }: { params: Promise<{ refundId: string }> }) {
  try {
    await requirePermission('refunds.read');
  } catch (error) {
    if (error instanceof UnauthenticatedError) return json({ error: error.message, code: error.code }, 401);
    if (error instanceof ForbiddenError) return json({ error: error.message, code: error.code }, 403);
    log.error({ err: error }, 'refund status: session check failed');
    return json({ error: GENERIC_ERROR_MESSAGE, code: 'internal' }, 500);
  }
  const { refundId } = await params;
  const parsed = z.uuid().safeParse(refundId);
  if (!parsed.success) return json({ error: 'That is not a refund id.', code: 'invalid_input' }, 400);
  try {
    const view = await getRefundStatusView(await getDb(), parsed.data);
    if (!view) return json({ error: 'Refund not found.', code: 'not_found' }, 404);
    return json(view);
  } catch (error) {
    log.error({ err: error, refundId: parsed.data }, 'refund status failed');
    return json({ error: GENERIC_ERROR_MESSAGE, code: 'internal' }, 500);
  }
}
