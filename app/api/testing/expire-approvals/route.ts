import { z } from 'zod';
import { getDb } from '@/db';
import { expirePendingApprovals } from '@/lib/approvals/service';
import { authorizeRoute, jsonResponse } from '@/lib/http/route';

export const dynamic = 'force-dynamic';

const input = z.object({ refundId: z.uuid(), asOf: z.iso.datetime() });

/**
 * Test hook for the end-to-end suite only (`E2E_TEST_HOOKS=1`, set by scripts/e2e-server.mjs and
 * never by `npm start`): runs the expiry job for one request as if the clock read `asOf`, so a
 * test need not wait 48 hours. It goes through the same function as the real job. Everywhere else
 * this route does not exist.
 */
export async function POST(request: Request) {
  if (process.env.E2E_TEST_HOOKS !== '1') return new Response('Not found', { status: 404 });
  const auth = await authorizeRoute(request, 'testing.expireApprovals', ['settings.manage']);
  if (!auth.ok) return auth.response;
  const parsed = input.safeParse(await request.json().catch(() => null));
  if (!parsed.success) return jsonResponse(400, { error: 'Send { refundId, asOf }.', code: 'invalid_input' });
  const expired = await expirePendingApprovals(await getDb(), new Date(parsed.data.asOf), { refundId: parsed.data.refundId });
  return jsonResponse(200, { expired });
}
