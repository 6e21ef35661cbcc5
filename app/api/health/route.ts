import { sql } from 'drizzle-orm';
import { getDbHandle } from '@/db';
import { PROVIDERS, type Provider } from '@/db/schema/enums';
import { describeProviderConfig, testProviderConnection } from '@/lib/providers/connection';

export const dynamic = 'force-dynamic';

type Check = { status: 'ok' | 'down' | 'not_configured'; latencyMs?: number };

async function providerCheck(provider: Provider): Promise<Check> {
  if (!describeProviderConfig(provider).configured) return { status: 'not_configured' };
  // Only the verdict and the time: the detail can name configuration and is for admins only.
  const result = await testProviderConnection(provider);
  return { status: result.ok ? 'ok' : 'down', latencyMs: result.latencyMs ?? undefined };
}

// Load balancers probe often; providers are asked at most every 30 seconds.
let cached: { at: number; value: Promise<Record<Provider, Check>> } | null = null;
function providerChecks() {
  if (!cached || Date.now() - cached.at > 30_000) {
    cached = {
      at: Date.now(),
      value: Promise.all(PROVIDERS.map(async (p) => [p, await providerCheck(p)] as const)).then(
        (entries) => Object.fromEntries(entries) as Record<Provider, Check>,
      ),
    };
  }
  return cached.value;
}

/**
 * Liveness and readiness for load balancers: public by design (no session) and reveals no data —
 * only whether the database and each provider answer. Only the database decides the status code:
 * a provider outage must not take the app out of the load balancer.
 */
export async function GET() {
  const started = Date.now();
  // Whether the database answers, not which one it is: the public needs no map of the system.
  let database: Check;
  try {
    const handle = await getDbHandle();
    await handle.db.execute(sql`select 1`);
    database = { status: 'ok', latencyMs: Date.now() - started };
  } catch {
    database = { status: 'down' };
  }
  const providers = await providerChecks();
  const ok = database.status === 'ok';
  const degraded = Object.values(providers).some((p) => p.status !== 'ok');
  return Response.json(
    { status: ok ? (degraded ? 'degraded' : 'ok') : 'down', checks: { database, providers }, time: new Date().toISOString() },
    { status: ok ? 200 : 503, headers: { 'cache-control': 'no-store' } },
  );
}
