import type { Locale } from '@/i18n/locales';
import type { BlockReason } from './blockers';
import type { Eligibility, OrderKind, Provider, RefundReason, RefundStatus, Tender } from '@/db/schema/enums';

/** Everything the refund form needs, computed on the server from the one refundable query. */
export interface RefundFormData {
  orderId: string;
  orderNumber: string;
  provider: Provider;
  /** The provider's name, from its profile (the registry stays on the server). */
  providerLabel: string;
  kind: OrderKind;
  currency: string;
  /** The reader's language, for amounts as typed and shown (set by the page; English when absent). */
  locale?: Locale;
  customerName: string;
  /** Why no refund can be made right now (order not paid, deadline passed, an outcome unknown …), or null. */
  blocker: string | null;
  /** The same as a key for people's languages (errors.code.order_not_refundable selects on it). */
  block?: { reason: BlockReason; provider: string } | null;
  lines: {
    orderLineId: string;
    providerLineId: string;
    name: string;
    unitPriceMinor: number;
    quantity: number;
    paidMinor: number;
    /** Refunded already, and held by requests still open (approval, in flight). */
    refundedMinor?: number;
    reservedMinor?: number;
    refundableMinor: number;
    refundableQuantity: number;
    eligibility: Eligibility | null;
    /** Where this line's money goes back to (Forage: by eligibility; Frontpayment: the order's tender). */
    tender: Tender | null;
    tenderLabel: string;
  }[];
  /** Frontpayment reservations: the captures/charges one refund may come from. */
  paymentChoices: { ref: string; tender: Tender; label: string; refundableMinor: number }[];
  orderRefundableMinor: number;
  /** Forage refunds whole units by product, or an amount from one payment: not both at once. */
  rules: { wholeUnitsOnly: boolean; amountPerLine: boolean; note: string };
  policy: {
    approvalThresholdMinor: number | null;
    perRefundLimitMinor: number | null;
    perDayLimitMinor: number | null;
    /** False when no limits are set for the currency at all: every refund then needs a manager. */
    limitsConfigured?: boolean;
    /** What the agent has already requested today in this currency (not released). */
    usedTodayMinor: number;
  };
}

export interface RefundLineDraft {
  orderLineId: string;
  quantity: number;
  amountMinor: number;
  reason: RefundReason;
  reasonNote?: string;
}

/** What the live status endpoint returns while a refund is in flight. */
export interface RefundStatusView {
  id: string;
  status: RefundStatus;
  /** True once nothing more will change on its own. */
  final: boolean;
  statusReason: string | null;
  providerErrorCode: string | null;
  amountMinor: number;
  currency: string;
  updatedAt: string;
  providerRefunds: { ref: string | null; tender: Tender; amountMinor: number; status: string; lastError: string | null }[];
}
