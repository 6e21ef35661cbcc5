import { getDbHandle } from '@/db';
import { log } from '@/lib/log';
import { collectDatabaseGauges } from '@/lib/observability/db-gauges';
import { databaseState, providerStates, within } from '@/lib/observability/health';
import { metrics } from '@/lib/observability/metrics';
import { checkMetricsToken, MIN_METRICS_TOKEN_LENGTH } from '@/lib/observability/token';
import { metaFromHeaders } from '@/lib/request';
import { Registry } from 'prom-client';

export const dynamic = 'force-dynamic';

const noStore = { 'cache-control': 'no-store' };

let warnedShortToken = false;

/**
 * Prometheus scrape endpoint (issue #14; README "Metrics and alerts"). No session: Prometheus
 * presents `Authorization: Bearer <METRICS_TOKEN>`. Without METRICS_TOKEN the endpoint does not
 * exist (404); without the header 401; with a wrong token 403.
 */
export async function GET(request: Request) {
  const check = checkMetricsToken(request.headers);
  if (check === 'disabled') {
    const token = process.env.METRICS_TOKEN;
    if (token && token.length < MIN_METRICS_TOKEN_LENGTH && !warnedShortToken) {
      warnedShortToken = true;
      log.error({ minLength: MIN_METRICS_TOKEN_LENGTH }, 'METRICS_TOKEN is too short: /api/metrics stays off');
    }
    return Response.json({ error: 'Not found.', code: 'not_found' }, { status: 404, headers: noStore });
  }
  if (check !== 'ok') {
    const meta = metaFromHeaders(request.headers);
    log.warn({ route: '/api/metrics', reason: check, requestId: meta.requestId, ip: meta.ip }, 'metrics scrape refused');
    return check === 'missing'
      ? Response.json(
          { error: 'A bearer token is required.', code: 'metrics_token_required' },
          { status: 401, headers: { ...noStore, 'www-authenticate': 'Bearer realm="metrics"' } },
        )
      : Response.json({ error: 'This token is not accepted.', code: 'metrics_token_refused' }, { status: 403, headers: noStore });
  }

  const m = metrics();
  // Provider checks are cached for 30 s; a scrape waits for a fresh one only briefly.
  const providers = within(providerStates(), 3_000, 'provider checks').catch(() => undefined);
  const registries: Registry[] = [m.registry];
  if ((await databaseState()) !== 'unreachable') {
    try {
      const { db } = await getDbHandle();
      await within(collectDatabaseGauges(db), 5_000, 'metrics queries');
      registries.push(m.dbRegistry);
    } catch (error) {
      m.gauges.databaseUp.set(0);
      log.warn({ err: error instanceof Error ? { message: error.message } : String(error) }, 'metrics: database gauges not read');
    }
  }
  await providers;
  const registry = registries.length === 1 ? m.registry : Registry.merge(registries);
  return new Response(await registry.metrics(), {
    status: 200,
    headers: { ...noStore, 'content-type': registry.contentType },
  });
}
