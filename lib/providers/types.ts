import type { Eligibility, OrderKind, Provider, Tender } from '@/db/schema/enums';

/**
 * The one interface both provider clients implement (PRODUCT.md §4). Everything here is in minor
 * units; decimals exist only inside each client, at the HTTP boundary.
 */

export interface ProviderOrderLine {
  /** Forage `upc`; Frontpayment numeric order-line `id` as text. */
  providerLineId: string;
  productId: string | null;
  name: string;
  unitPriceMinor: number;
  quantity: number;
  taxRateBp: number;
  eligibility: Eligibility | null;
}

export interface ProviderPayment {
  /** Forage payment ref; Frontpayment capture (`CAP…`) / charge (`CHA…`) ref, or the order ref. */
  ref: string;
  tender: Tender;
  amountMinor: number;
}

export interface ProviderOrder {
  provider: Provider;
  providerRef: string;
  kind: OrderKind;
  providerStatus: string;
  currency: string;
  lines: ProviderOrderLine[];
  payments: ProviderPayment[];
  /** Total refunded at the provider so far, by anyone (Frontpayment `refundedAmount`). */
  refundedMinor: number;
  customer: { name: string | null; email: string | null; phone: string | null; providerCustomerId: string | null };
  placedAt: Date | null;
  raw: unknown;
}

export interface RefundLineRequest {
  providerLineId: string;
  quantity: number;
  amountMinor: number;
}

export interface RefundRequest {
  /** Our refund id: Forage's `Idempotency-Key` is derived from it (forage.md §9). */
  refundId: string;
  /** Attempt number; a Forage retry of the same attempt reuses the key. */
  idempotencyKey: string;
  providerRef: string;
  kind: OrderKind;
  currency: string;
  totalMinor: number;
  lines: RefundLineRequest[];
  reason: string;
  metadata?: Record<string, string>;
  /**
   * Forage: `by_product` refunds whole units of products (`refund_by_product`); `amount` refunds
   * an amount from one payment (`/refunds/`), for price adjustments.
   */
  forage?: { mode: 'by_product' } | { mode: 'amount'; paymentRef: string };
  /** Frontpayment reservations: which money movement to refund from (frontpayment.md §4). */
  reservation?: { source: 'captured' | 'charged'; reference: string };
  /** Set on a request that was sent to Frontpayment's approval endpoint (it waits for a person there). */
  approvalRequested?: boolean;
}

export type ProviderRefundStatus = 'pending' | 'processing' | 'succeeded' | 'failed';

/** One refund object at the provider. Frontpayment has none, so its clients return none. */
export interface ProviderRefundInfo {
  ref: string;
  paymentRef: string | null;
  tender: Tender | null;
  amountMinor: number;
  status: ProviderRefundStatus;
  lastError: string | null;
  updatedAt: Date | null;
  raw: unknown;
}

/** What was sent and what came back, secrets stripped, for the submissions table and timeline. */
export interface Exchange {
  method: string;
  url: string;
  requestBody: unknown;
  status: number | null;
  responseBody: unknown;
  durationMs: number;
}

export type SubmitResult =
  /** The provider took the request. Forage lists its refund objects; Frontpayment answers 202 only. */
  | { kind: 'accepted'; refunds: ProviderRefundInfo[]; exchange: Exchange }
  /** The provider said no; nothing was refunded. `code` is the raw key, `message` a plain sentence. */
  | {
      kind: 'rejected';
      code: string;
      message: string;
      fieldErrors?: Record<string, string[]>;
      /** Worth trying again later with the same request (429, 5xx *before* it was applied is unknowable, so not here). */
      retryable: boolean;
      /** Frontpayment threshold rejections can be sent to its approval endpoint. */
      canRequestApproval?: boolean;
      exchange: Exchange;
    }
  /** Timeout, dropped connection or 5xx after the request left us: the money may or may not have moved. */
  | { kind: 'unknown'; reason: 'timeout' | 'network' | 'server_error'; detail: string; exchange: Exchange };

export type RefundStatusResult =
  /** Forage: the refund objects of the order (or the one asked for). */
  | { kind: 'refunds'; refunds: ProviderRefundInfo[]; exchange: Exchange }
  /** Frontpayment: the order's status and totals (frontpayment.md §6). */
  | { kind: 'order_totals'; providerStatus: string; orderAmountMinor: number; refundedMinor: number; exchange: Exchange }
  | { kind: 'error'; code: string; message: string; exchange: Exchange };

export interface WebhookEvent {
  provider: Provider;
  /** Unique per delivery content: Forage event `ref`; Frontpayment a digest of the parameters. */
  eventId: string;
  type: string;
  createdAt: Date;
  orderRef: string;
  refundRef: string | null;
  status: string;
  amountMinor: number | null;
  raw: unknown;
}

export type WebhookVerification = { ok: true } | { ok: false; reason: 'bad_signature' | 'stale' | 'malformed' };

export interface ErrorDescription {
  /** A sentence an agent understands. */
  message: string;
  /** What to do next. */
  action: string;
}

export interface ProviderClient {
  readonly provider: Provider;
  getOrder(providerRef: string): Promise<{ ok: true; order: ProviderOrder } | { ok: false; code: string; message: string }>;
  submitRefund(request: RefundRequest): Promise<SubmitResult>;
  getRefundStatus(input: { providerRef: string; refundRef?: string }): Promise<RefundStatusResult>;
  /** Checks the signature/checksum and freshness of a delivery; never throws. */
  verifyWebhook(input: { rawBody: string; headers: Headers; url: URL; now?: Date }): WebhookVerification;
  parseWebhook(input: { rawBody: string; url: URL }): WebhookEvent;
  describeError(code: string): ErrorDescription;
  /** Cheap authenticated call for the health page. */
  ping(): Promise<{ ok: boolean; latencyMs: number; detail?: string }>;
}
