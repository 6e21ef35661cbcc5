import 'server-only';
import { getDb } from '@/db';
import type { Provider } from '@/db/schema/enums';
import { log } from '@/lib/log';
import { getProviderClient } from '@/lib/providers';
import { providerProfiles } from '@/lib/providers/registry';
import { observeWebhook } from '@/lib/observability/metrics';
import { metaFromHeaders } from '@/lib/request';
import { readBodyCapped } from '@/lib/http/body';
import { memoryLimiter } from '@/lib/http/rate-limit';
import { noteRefusalAndFlush } from '@/lib/security/refusals';
import { ingestWebhook } from './ingest';

/** The largest delivery read (64 KiB). */
export const MAX_WEBHOOK_BYTES = 64 * 1024;

/** Deliveries per provider and source per minute: far above what a provider sends, even in a backlog. */
export const WEBHOOKS_PER_SOURCE_PER_MINUTE = 600;
const perSource = memoryLimiter({ points: WEBHOOKS_PER_SOURCE_PER_MINUTE, durationSeconds: 60 });

/**
 * Shared body of the provider webhook endpoints: verify the signature on the raw body (and its
 * timestamp as the provider's client judges it: Forage accepts any age, since it retries for
 * hours) before anything is written, record the delivery, queue its processing, answer fast. A
 * repeated delivery is answered 2xx and not applied again (the inbox's unique event id).
 * Rejections write nothing to the inbox or the trail; they are logged with the request id and
 * counted per provider, reason and source (security_counts), which auditors read.
 */
export async function handleWebhook(provider: Provider | string, request: Request): Promise<Response> {
  const meta = metaFromHeaders(request.headers);
  const source = meta.ip ?? 'unknown';
  const db = await getDb();
  const known = providerProfiles().some((p) => p.id === provider);
  const refuse = async (reason: string, status: number) => {
    observeWebhook(provider, known, 'refused', reason);
    log.warn({ provider: provider.slice(0, 40), reason, requestId: meta.requestId, ip: meta.ip }, 'webhook rejected');
    await noteRefusalAndFlush(db, 'webhook.rejected', `${provider.slice(0, 40)} · ${reason} · ${source}`);
    return Response.json({ error: reason }, { status });
  };
  if (!known) return refuse('unknown_provider', 404);
  // Before anything is read: a source sending more than a provider ever does is told to slow down
  // (providers retry a 429 later).
  const retryAt = await perSource(`${provider}|${source}`);
  if (retryAt) {
    const response = await refuse('rate_limited', 429);
    response.headers.set('retry-after', String(Math.max(1, Math.ceil((retryAt.getTime() - Date.now()) / 1000))));
    return response;
  }
  const url = new URL(request.url);
  // A provider's delivery is a few KiB: nothing larger is read into memory.
  const rawBody = request.method === 'POST' ? await readBodyCapped(request, MAX_WEBHOOK_BYTES) : '';
  if (rawBody === null) return refuse('too_large', 413);
  let client;
  try {
    client = getProviderClient(provider);
  } catch {
    observeWebhook(provider, known, 'refused', 'not_configured');
    return Response.json({ error: 'provider not configured' }, { status: 503 });
  }
  const verification = client.verifyWebhook({ rawBody, headers: request.headers, url });
  if (!verification.ok) return refuse(verification.reason, verification.reason === 'malformed' ? 400 : 401);
  let event;
  try {
    event = client.parseWebhook({ rawBody, url });
  } catch {
    return refuse('malformed', 400);
  }
  const result = await ingestWebhook(db, event, meta);
  observeWebhook(provider, known, result.duplicate ? 'duplicate' : 'accepted');
  return Response.json({ received: true, duplicate: result.duplicate }, { status: 200 });
}
