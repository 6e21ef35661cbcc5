import { z } from 'zod';
import { getDb } from '@/db';
import { expirePendingApprovals } from '@/lib/approvals/service';
import { authorizeRoute, jsonResponse } from '@/lib/http/route';

export const dynamic = 'force-dynamic';

/**
 * Test hook for the end-to-end suite only: runs the expiry job for one request as if the clock read
 * `asOf`, so a test need not wait 48 hours. It goes through the same function as the real job.
 *
 * It exists only in the end-to-end build. `process.env.RD_TEST_HOOKS` is replaced when the app is
 * built (next.config.js `env`): '1' only in the build scripts/test.mjs makes for Playwright (into
 * .next-e2e, which `npm start` never serves), '' in every other, where the test below is constant
 * and the minifier drops the rest of this function. The end-to-end server must also run with
 * `E2E_TEST_HOOKS=1` (scripts/e2e-server.mjs). Everywhere else this route answers 404.
 */
export async function POST(request: Request) {
  if (process.env.RD_TEST_HOOKS !== '1' || process.env.E2E_TEST_HOOKS !== '1') {
    return new Response('Not found', { status: 404 });
  }
  const auth = await authorizeRoute(request, 'testing.expireApprovals', ['settings.manage']);
  if (!auth.ok) return auth.response;
  const input = z.object({ refundId: z.uuid(), asOf: z.iso.datetime() });
  const parsed = input.safeParse(await request.json().catch(() => null));
  if (!parsed.success)
    return jsonResponse(400, { error: 'Send { refundId, asOf } to run the expiry hook.', code: 'invalid_input' });
  const expired = await expirePendingApprovals(await getDb(), new Date(parsed.data.asOf), { refundId: parsed.data.refundId });
  return jsonResponse(200, { expired });
}
