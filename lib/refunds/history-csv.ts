import type { RefundHistoryRow } from '@/db/queries/refund-history';
import { toDecimalString } from '@/lib/money';

/**
 * The refund history export's columns (app/api/refunds/export), one row per refund. The header
 * row is written for people in the reader's language (`refundExportHeader`, messages
 * history.csv.<column>): only those words change with the language. The cells stay
 * machine-readable and the same in every language: ISO 8601 UTC times, amounts as plain decimals
 * with a dot ("1858.60") beside their minor units, status, provider and reason codes.
 */
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

/** The header row in the reader's language, one label per column of REFUND_EXPORT_COLUMNS, in order. */
export function refundExportHeader(label: (column: (typeof REFUND_EXPORT_COLUMNS)[number]) => string): string[] {
  return REFUND_EXPORT_COLUMNS.map(label);
}
