import { REFUND_REASONS, type RefundReason } from '@/db/schema/enum-values';

// The refund reasons and their labels, with no zod: the form, the filters and the tables import
// them here, and only the schemas (./schemas.ts) bring the parser.
export { REFUND_REASONS };

export const REASON_LABELS: Record<RefundReason, string> = {
  damaged: 'Damaged',
  not_delivered: 'Not delivered',
  wrong_item: 'Wrong item',
  missing_item: 'Missing item',
  quality: 'Quality',
  price_adjustment: 'Price adjustment',
  duplicate_charge: 'Duplicate charge',
  other: 'Other (explain)',
};
