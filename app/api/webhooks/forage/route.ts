import { handleWebhook } from '@/lib/webhooks/route';

export const dynamic = 'force-dynamic';

/** Forage `REFUND_STATUS_UPDATED` and other events, signed with `Webhook-Signature`. */
export function POST(request: Request) {
  return handleWebhook('forage', request);
}
