import { readiness } from '@/lib/observability/health';

export const dynamic = 'force-dynamic';

/**
 * Readiness for load balancers: 200 `{status: 'ready'}` when the database answers within 2 s and
 * holds every migration of this build, else 503 `{status: 'not_ready'}`. Public by design, so it
 * says nothing more: why an instance is not ready goes to the log, and provider states (which
 * never decide readiness) to the metrics (refund_desk_provider_up).
 */
export async function GET() {
  const { ready } = await readiness();
  return Response.json(
    { status: ready ? 'ready' : 'not_ready' },
    { status: ready ? 200 : 503, headers: { 'cache-control': 'no-store' } },
  );
}
