import { handleWebhook } from '@/lib/webhooks/route';

export const dynamic = 'force-dynamic';

/**
 * Provider notifications: Forage posts signed JSON webhooks (forage.md §10); Frontpayment calls back
 * with query-string parameters and a checksum, by GET or POST (frontpayment.md §8). Each
 * provider's client verifies and parses its own; an unknown provider is a 404.
 */
export async function GET(request: Request, { params }: { params: Promise<{ provider: string }> }) {
  return handleWebhook((await params).provider, request);
}

export async function POST(request: Request, { params }: { params: Promise<{ provider: string }> }) {
  return handleWebhook((await params).provider, request);
}
