export const dynamic = 'force-dynamic';

/**
 * Liveness for load balancers and orchestrators: the process answers HTTP. Touches nothing else
 * (no database, no provider), so a database outage never gets healthy instances restarted.
 * Public by design, and says nothing but that.
 */
export function GET() {
  return Response.json({ status: 'live' }, { headers: { 'cache-control': 'no-store' } });
}
