import 'server-only';
import { getDb } from '@/db';
import type { Provider } from '@/db/schema/enums';
import { log } from '@/lib/log';
import { getProviderClient } from '@/lib/providers';
import { providerProfiles } from '@/lib/providers/registry';
import { metaFromHeaders } from '@/lib/request';
import { readBodyCapped } from '@/lib/http/body';
import { ingestWebhook } from './ingest';

/** The largest delivery read (64 KiB). */
export const MAX_WEBHOOK_BYTES = 64 * 1024;

/**
 * Shared body of the provider webhook endpoints: verify the signature on the raw body (and its
 * timestamp as the provider's client judges it: Forage accepts any age, since it retries for
 * hours) before anything is written, record the delivery, queue its processing, answer fast. A
 * repeated delivery is answered 2xx and not applied again (the inbox's unique event id).
 * Rejections write nothing; they are logged with the request id.
 */
export async function handleWebhook(provider: Provider | string, request: Request): Promise<Response> {
  if (!providerProfiles().some((p) => p.id === provider)) return Response.json({ error: 'unknown provider' }, { status: 404 });
  const meta = metaFromHeaders(request.headers);
  const url = new URL(request.url);
  // A provider's delivery is a few KiB: nothing larger is read into memory.
  const rawBody = request.method === 'POST' ? await readBodyCapped(request, MAX_WEBHOOK_BYTES) : '';
  if (rawBody === null) {
    log.warn({ provider, requestId: meta.requestId, ip: meta.ip }, 'webhook refused: body too large');
    return Response.json({ error: 'too_large' }, { status: 413 });
  }
  let client;
  try {
    client = getProviderClient(provider);
  } catch {
    return Response.json({ error: 'provider not configured' }, { status: 503 });
  }
  const verification = client.verifyWebhook({ rawBody, headers: request.headers, url });
  if (!verification.ok) {
    log.warn({ provider, reason: verification.reason, requestId: meta.requestId, ip: meta.ip }, 'webhook rejected');
    const status = verification.reason === 'malformed' ? 400 : 401;
    return Response.json({ error: verification.reason }, { status });
  }
  let event;
  try {
    event = client.parseWebhook({ rawBody, url });
  } catch {
    return Response.json({ error: 'malformed' }, { status: 400 });
  }
  const result = await ingestWebhook(await getDb(), event, meta);
  return Response.json({ received: true, duplicate: result.duplicate }, { status: 200 });
}
