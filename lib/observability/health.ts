import 'server-only';
import { getDbHandle } from '@/db';
import { migrationsCurrent } from '@/db/migration-state';
import { PROVIDERS, type Provider } from '@/db/schema/enums';
import { log } from '@/lib/log';
import { describeProviderConfig, testProviderConnection } from '@/lib/providers/connection';
import { metrics } from './metrics';

/** How long a readiness probe waits for the database: well under a load balancer's probe timeout. */
export const DATABASE_TIMEOUT_MS = 2_000;
/** Providers are asked at most this often per instance, however often probes and scrapes come. */
export const PROVIDER_CHECK_INTERVAL_MS = 30_000;

export class TimeoutError extends Error {}

/** `promise`, or a TimeoutError after `ms` (the work itself goes on; its result is dropped). */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export type DatabaseState = 'ok' | 'unreachable' | 'migrations_behind';

/** Whether the database answers within DATABASE_TIMEOUT_MS and holds every migration of this build. */
export async function databaseState(timeoutMs = DATABASE_TIMEOUT_MS): Promise<DatabaseState> {
  const m = metrics();
  try {
    const current = await within(
      getDbHandle().then(({ db }) => migrationsCurrent(db)),
      timeoutMs,
      'database',
    );
    m.gauges.databaseUp.set(1);
    m.gauges.migrationsCurrent.set(current ? 1 : 0);
    return current ? 'ok' : 'migrations_behind';
  } catch (error) {
    m.gauges.databaseUp.set(0);
    noteDatabaseDown(error);
    return 'unreachable';
  }
}

// One warning per outage, not one per probe; the recovery is logged too. On globalThis, as the
// metrics are: Next.js may load this module more than once in one process.
const outage = globalThis as unknown as { __refundDeskDatabaseDownSince?: number | null };
function noteDatabaseDown(error: unknown) {
  if (outage.__refundDeskDatabaseDownSince != null) return;
  outage.__refundDeskDatabaseDownSince = Date.now();
  log.warn({ err: error instanceof Error ? { message: error.message } : String(error) }, 'database not reachable: not ready');
}
function noteDatabaseUp() {
  const since = outage.__refundDeskDatabaseDownSince;
  if (since == null) return;
  log.info({ downForMs: Date.now() - since }, 'database reachable again: ready');
  outage.__refundDeskDatabaseDownSince = null;
}

export type ProviderState = 'ok' | 'degraded' | 'not_configured';

async function checkProvider(provider: Provider): Promise<ProviderState> {
  if (!describeProviderConfig(provider).configured) return 'not_configured';
  const result = await testProviderConnection(provider);
  return result.ok ? 'ok' : 'degraded';
}

const globalForChecks = globalThis as unknown as {
  __refundDeskProviderChecks?: { at: number; value: Promise<Record<Provider, ProviderState>> };
  __refundDeskProviderStates?: Partial<Record<Provider, ProviderState>>;
};

/**
 * Each provider's state, asked at most every PROVIDER_CHECK_INTERVAL_MS: exported as the
 * refund_desk_provider_up gauge, and logged when it changes. It never decides readiness: a
 * provider outage must not take instances out of the load balancer (refunds to it wait and are
 * reconciled; the other provider and the history still work).
 */
export function providerStates(): Promise<Record<Provider, ProviderState>> {
  const cached = globalForChecks.__refundDeskProviderChecks;
  if (cached && Date.now() - cached.at < PROVIDER_CHECK_INTERVAL_MS) return cached.value;
  const value = Promise.all(
    PROVIDERS.map(async (p) => [p, await checkProvider(p).catch(() => 'degraded' as const)] as const),
  ).then((entries) => {
    const states = Object.fromEntries(entries) as Record<Provider, ProviderState>;
    recordProviderStates(states);
    return states;
  });
  globalForChecks.__refundDeskProviderChecks = { at: Date.now(), value };
  return value;
}

function recordProviderStates(states: Record<Provider, ProviderState>) {
  const previous = (globalForChecks.__refundDeskProviderStates ??= {});
  const gauge = metrics().gauges.providerUp;
  for (const provider of PROVIDERS) {
    const state = states[provider];
    if (state === 'not_configured') gauge.remove({ provider });
    else gauge.set({ provider }, state === 'ok' ? 1 : 0);
    if (previous[provider] !== undefined && previous[provider] !== state) {
      if (state === 'degraded') log.warn({ provider }, 'provider degraded: its connection check failed');
      else log.info({ provider, state }, 'provider connection check: state changed');
    } else if (previous[provider] === undefined && state === 'degraded') {
      log.warn({ provider }, 'provider degraded: its connection check failed');
    }
    previous[provider] = state;
  }
}

/**
 * Readiness: the database answers and holds this build's migrations. Provider checks are started
 * (at most every 30 s) but not waited for and never decide: see providerStates.
 */
export async function readiness(): Promise<{ ready: boolean; database: DatabaseState }> {
  void providerStates().catch(() => undefined);
  const database = await databaseState();
  if (database === 'ok') noteDatabaseUp();
  return { ready: database === 'ok', database };
}
