import type { SandboxConfig } from './types';

export interface Delivery {
  /** Groups the events of one refund, for out-of-order delivery. */
  group: string;
  /** Whether this event ends the group (a final status): held events are released then. */
  final: boolean;
  method: 'POST' | 'GET';
  url: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface DeliveryRecord {
  url: string;
  method: string;
  body?: string;
  attempts: number;
  /** When each attempt was made: the gaps grow exponentially. */
  attemptsAt: string[];
  status: number | null;
  error: string | null;
  at: string;
}

/**
 * Sends webhooks and callbacks back to the app the way providers do: retries with exponential
 * backoff on a non-2xx answer or a network error, optionally twice (duplicates) or held and
 * released newest-first (out of order). A retry re-sends the same body, so it carries the
 * event's original `created` (forage.md errata 4). By default the retries span about 17 minutes
 * (10 retries, first after `backoffMs` = 1 s, doubling); tests compress it with a small
 * `backoffMs` (SANDBOX_WEBHOOK_RETRY_BASE_MS). A reset cancels waiting retries.
 */
export class WebhookSender {
  readonly log: DeliveryRecord[] = [];
  private held = new Map<string, Delivery[]>();
  private inFlight = new Set<Promise<void>>();
  private cancel = new AbortController();

  constructor(private readonly config: () => SandboxConfig['webhooks']) {}

  send(delivery: Delivery) {
    const { reverseOrder, duplicate } = this.config();
    if (reverseOrder) {
      const queue = this.held.get(delivery.group) ?? [];
      queue.push(delivery);
      this.held.set(delivery.group, queue);
      if (!delivery.final) return;
      this.held.delete(delivery.group);
      for (const d of queue.reverse()) this.track(this.deliver(d));
      return;
    }
    this.track(this.deliver(delivery));
    if (duplicate) this.track(this.deliver(delivery));
  }

  /** Resolves when every delivery started so far has finished (for tests). */
  async idle() {
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
  }

  reset() {
    this.cancel.abort();
    this.cancel = new AbortController();
    this.held.clear();
    this.log.length = 0;
  }

  private track(promise: Promise<void>) {
    this.inFlight.add(promise);
    void promise.finally(() => this.inFlight.delete(promise));
  }

  private async deliver(delivery: Delivery) {
    const { retries, backoffMs } = this.config();
    const cancelled = this.cancel.signal;
    const record: DeliveryRecord = {
      url: delivery.url,
      method: delivery.method,
      body: delivery.body,
      attempts: 0,
      attemptsAt: [],
      status: null,
      error: null,
      at: new Date().toISOString(),
    };
    this.log.push(record);
    for (let attempt = 0; attempt <= retries; attempt++) {
      if (attempt > 0) await wait(backoffMs * 2 ** (attempt - 1), cancelled);
      if (cancelled.aborted) return;
      record.attempts += 1;
      record.attemptsAt.push(new Date().toISOString());
      try {
        const response = await fetch(delivery.url, {
          method: delivery.method,
          headers: { 'content-type': 'application/json', ...delivery.headers },
          body: delivery.method === 'POST' ? delivery.body : undefined,
          signal: AbortSignal.timeout(10_000),
        });
        record.status = response.status;
        record.error = null;
        await response.arrayBuffer().catch(() => undefined);
        if (response.ok) return;
      } catch (error) {
        record.error = error instanceof Error ? error.message : String(error);
      }
    }
  }
}

/** Resolves after `ms`, or at once when `signal` aborts. */
function wait(ms: number, signal: AbortSignal) {
  return new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    // A retry waiting minutes must not keep a finished process (a test run) alive.
    timer.unref();
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
