import { handleWebhook } from '@/lib/webhooks/route';

export const dynamic = 'force-dynamic';

/** Frontpayment callbacks: query-string parameters with a SHA-256 checksum (frontpayment.md §8). */
export function GET(request: Request) {
  return handleWebhook('frontpayment', request);
}

export function POST(request: Request) {
  return handleWebhook('frontpayment', request);
}
