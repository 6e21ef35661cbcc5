import type { RefundHistoryRow } from '@/db/queries/refund-history';
import { toDecimalString } from '@/lib/money';

/** The refund history export's columns (app/api/refunds/export), one row per refund. */
export const REFUND_EXPORT_COLUMNS = [
  'refund_id',
  'requested_at',
  'status',
  'amount',
  'currency',
  'amount_minor',
  'order_number',
  'provider',
  'provider_ref',
  'customer',
  'requested_by',
  'reasons',
  'provider_refund_refs',
] as const;

export function refundExportCells(r: RefundHistoryRow): string[] {
  return [
    r.id,
    r.createdAt.toISOString(),
    r.status,
    toDecimalString(r.amountMinor, r.currency),
    r.currency,
    String(r.amountMinor),
    r.orderNumber,
    r.provider,
    r.providerRef,
    r.customerName,
    r.requestedByName,
    r.reasons.join(';'),
    r.providerRefundRefs.join(';'),
  ];
}
