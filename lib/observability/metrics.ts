import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The process's Prometheus registry (issue #14), served by app/api/metrics. It lives on
 * `globalThis`: Next.js may load this module more than once in one process (instrumentation,
 * each route's bundle), and every copy must count into the same series, registered once.
 *
 * Counters and histograms are this process's own: with several instances each exposes its own and
 * Prometheus sums them. The gauges read from the database at scrape time (./db-gauges.ts) are the
 * same on every instance; README "Metrics and alerts" says how not to add them up.
 */
function create() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'refund_desk_' });
  const providerCalls = new Counter({
    name: 'refund_desk_provider_calls_total',
    help: 'HTTP calls to a payment provider, by provider, operation and outcome (success, client_error, server_error, timeout, network_error).',
    labelNames: ['provider', 'operation', 'outcome'] as const,
    registers: [registry],
  });
  const providerCallSeconds = new Histogram({
    name: 'refund_desk_provider_call_duration_seconds',
    help: 'Time from sending a provider HTTP call to its answer, timeout or failure.',
    labelNames: ['provider', 'operation', 'outcome'] as const,
    // Provider timeouts are 10 s by default; the last buckets show calls running into them.
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const webhookDeliveries = new Counter({
    name: 'refund_desk_webhook_deliveries_total',
    help: 'Provider webhook deliveries, by provider and result (accepted, duplicate, refused); a refusal carries its reason.',
    labelNames: ['provider', 'result', 'reason'] as const,
    registers: [registry],
  });
  // Read from the database at scrape time (./db-gauges.ts), in a registry of their own: when the
  // database does not answer, they are left out of the scrape rather than shown stale or as zeros.
  const dbRegistry = new Registry();
  const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[] = [], on = dbRegistry) =>
    new Gauge<L>({ name: `refund_desk_${name}`, help, labelNames, registers: [on] });
  const gauges = {
    databaseUp: gauge(
      'database_up',
      '1 if the database answered this scrape’s queries, else 0 (then the refund, job and approval gauges are absent).',
      [],
      registry,
    ),
    migrationsCurrent: gauge(
      'migrations_current',
      '1 if every migration this build ships is applied to the database, else 0.',
      [],
      registry,
    ),
    providerUp: gauge(
      'provider_up',
      'Whether each configured provider answered its last connection check (1) or is degraded (0); checked at most every 30 s per instance.',
      ['provider'] as const,
      registry,
    ),
    refunds: gauge(
      'refunds',
      'Refunds by provider and status, counted in the database at scrape time (the same on every instance).',
      ['provider', 'status'] as const,
    ),
    outcomeUnknown: gauge(
      'refunds_outcome_unknown',
      'Refunds whose outcome at the provider is unknown and waits for reconciliation (database: the same on every instance).',
    ),
    outcomeUnknownOldest: gauge(
      'refunds_outcome_unknown_oldest_age_seconds',
      'Age of the oldest refund in outcome_unknown, from its last change; 0 when there is none.',
    ),
    approvalsWaiting: gauge('approvals_waiting', 'Refunds waiting for a manager’s approval (status pending_approval).'),
    approvalsOldest: gauge(
      'approvals_waiting_oldest_age_seconds',
      'Age of the oldest refund waiting for approval, from its creation; 0 when there is none.',
    ),
    jobs: gauge('jobs', 'Jobs queued or running, by kind and status (database: the same on every instance).', [
      'kind',
      'status',
    ] as const),
    jobsOldestDue: gauge(
      'jobs_oldest_due_age_seconds',
      'How long the oldest queued job has been due (now − run_at); 0 when none is due. Grows when no worker claims jobs.',
    ),
  };
  return { registry, dbRegistry, providerCalls, providerCallSeconds, webhookDeliveries, gauges };
}

const globalForMetrics = globalThis as unknown as { __refundDeskMetrics?: ReturnType<typeof create> };

/** The one set of metrics of this process. */
export function metrics() {
  globalForMetrics.__refundDeskMetrics ??= create();
  return globalForMetrics.__refundDeskMetrics;
}

export type ProviderCallOutcome = 'success' | 'client_error' | 'server_error' | 'timeout' | 'network_error';

/** Counts one provider HTTP call and its duration (lib/providers/http.ts). */
export function observeProviderCall(labels: { provider: string; operation: string }, outcome: ProviderCallOutcome, ms: number) {
  const m = metrics();
  const all = { provider: labels.provider, operation: labels.operation, outcome };
  m.providerCalls.inc(all);
  m.providerCallSeconds.observe(all, ms / 1000);
}

/**
 * Counts one webhook delivery. `provider` comes from the URL, so anything but a known provider is
 * `unknown`: a caller must not be able to create series at will.
 */
export function observeWebhook(provider: string, known: boolean, result: 'accepted' | 'duplicate' | 'refused', reason = '') {
  metrics().webhookDeliveries.inc({ provider: known ? provider : 'unknown', result, reason });
}
