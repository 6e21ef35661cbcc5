import type { Eligibility, OrderKind, OrderStatus, Provider, Tender } from '@/db/schema/enums';

/**
 * The one interface both provider clients implement (PRODUCT.md §4). Everything here is in minor
 * units; decimals exist only inside each client, at the HTTP boundary.
 */

export interface ProviderOrderLine {
  /**
   * Forage `upc`; Frontpayment numeric order-line `id` as text, or `line-<position>` where
   * Frontpayment listed none (see ProviderOrder.lineIdsKnown).
   */
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
  /**
   * False when some lines carry an id made up on import because the provider listed none
   * (Frontpayment order details, frontpayment.md errata 1): refunds naming those lines cannot be
   * sent (the client refuses them, `lineIdsUnknown`). Absent means true.
   */
  lineIdsKnown?: boolean;
  payments: ProviderPayment[];
  /** Total refunded at the provider so far, by anyone (Frontpayment `refundedAmount`). */
  refundedMinor: number;
  /**
   * The provider's refund objects of the order, where it has them (Forage): each names the payment
   * it went back to, so refunds made outside Refund Desk can be subtracted per payment.
   */
  providerRefunds?: ProviderRefundInfo[];
  /**
   * False when the provider did not report the refunded total (Frontpayment status reads without
   * amounts, errata 2): `refundedMinor` is then read from the status (all of it when REFUNDED,
   * else 0). Absent means true.
   */
  refundedMinorKnown?: boolean;
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
  /** Attempt key; a retry of the same attempt reuses it where the provider honours one. */
  idempotencyKey: string;
  providerRef: string;
  kind: OrderKind;
  currency: string;
  totalMinor: number;
  lines: RefundLineRequest[];
  reason: string;
  metadata?: Record<string, string>;
  /** Whole units of products, or an amount (a price adjustment) from one payment. */
  mode: 'units' | 'amount';
  /** The payment (or reservation capture / charge) the money goes back to, when the request names one. */
  payment: { ref: string; tender: Tender } | null;
  /**
   * Set when this request goes to the provider's approval endpoint for a refusal of its limits
   * (ProviderCapabilities.approvalRequestCodes): the key the provider refused it with.
   */
  approvalFor?: string;
}

export type ProviderRefundStatus = 'pending' | 'processing' | 'succeeded' | 'failed';

/** One refund object at the provider. Frontpayment has none, so its clients return none. */
export interface ProviderRefundInfo {
  ref: string;
  /** Our refund id, where the provider echoes it back (Forage `metadata.refund_id`). */
  ourRefundId: string | null;
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
      exchange: Exchange;
    }
  /** Timeout, dropped connection or 5xx after the request left us: the money may or may not have moved. */
  | { kind: 'unknown'; reason: 'timeout' | 'network' | 'server_error'; detail: string; exchange: Exchange };

/**
 * What a status read shows, the same shape for every provider: the refund objects it lists (empty
 * where the provider has none) and the order's refunded total where the provider reports one.
 */
export type StatusRead =
  | { ok: true; refunds: ProviderRefundInfo[]; refundedMinor: number | null; exchange: Exchange }
  | { ok: false; code: string; message: string; exchange: Exchange };

export type ApprovalRequestResult =
  { ok: true; exchange: Exchange } | { ok: false; code: string; message: string; exchange: Exchange };

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

/** What a stored delivery means for Refund Desk, read from its payload by the provider's profile. */
export type WebhookChange =
  | { kind: 'refund_status'; refundRef: string; status: ProviderRefundStatus; updatedAt: Date | null; failure: string | null }
  | { kind: 'order_changed'; orderRef: string }
  | { kind: 'ignored'; why: string };

export type WebhookVerification = { ok: true } | { ok: false; reason: 'bad_signature' | 'stale' | 'malformed' };

export interface ErrorDescription {
  /** A sentence an agent understands. */
  message: string;
  /** What to do next. */
  action: string;
}

/**
 * What the rest of the app may know about a provider without talking to it: safe in any bundle
 * (no secrets, no network). Each provider's folder exports one; lib/providers/registry.ts lists them.
 */
export interface ProviderProfile {
  readonly id: Provider;
  readonly label: string;
  /** What the provider calls its notifications ("Webhook", "Callback"). */
  readonly notificationLabel: string;
  /** How the timeline names an attempt's key. */
  readonly attemptKeyLabel: string;
  /** Prefix of order numbers made up for orders imported by reference. */
  readonly orderNumberPrefix: string;
  readonly capabilities: ProviderCapabilities;
  describeError(code: string): ErrorDescription;
  /** The provider's order status → ours, before money decides between paid and (partially) refunded. */
  orderStatus(providerStatus: string): OrderStatus | undefined;
  /** How the refund form lets the agent shape a refund on an order of this kind. */
  refundRules(kind: OrderKind): RefundRules;
  /** The payment a line's money goes back to, or null when the agent chooses (reservations). */
  paymentForLine(kind: OrderKind, line: { eligibility: Eligibility | null }, payments: PaymentRow[]): PaymentRow | null;
  /** Whether the agent picks the payment (capture / charge) to refund from. */
  choosesPayment(kind: OrderKind): boolean;
  /** How a request splits over payments, and in which mode it is sent; field errors if it cannot be. */
  plan(input: PlanInput): PlanResult;
  /** What a stored delivery means (a refund's new status, an order that changed, or nothing). */
  interpretWebhook(eventType: string | null, payload: unknown): WebhookChange;
}

export interface ProviderCapabilities {
  /**
   * A retry with the same attempt key replays the first answer instead of refunding again, for
   * this long after the key's first use; null when the provider takes no key (never re-send).
   */
  idempotentRetryWindowMs: number | null;
  /**
   * `refund_objects`: the provider lists a refund object with its own status for each refund
   * (settle and reconcile by those). `order_totals`: only the order's refunded total tells, so
   * refunds on one order go one at a time and an attempt is judged by how much the total grew.
   */
  reconciliation: 'refund_objects' | 'order_totals';
  /** Refusal keys an approval request can overrule ([] when the provider has no approval endpoint). */
  approvalRequestCodes: readonly string[];
  /** Refund lines must name the provider's own line id. */
  lineIdsRequired: boolean;
}

export interface RefundRules {
  wholeUnitsOnly: boolean;
  amountPerLine: boolean;
  /** One sentence for the agent. */
  note: string;
}

export interface PaymentRow {
  id: string;
  providerPaymentRef: string;
  tender: Tender;
  amountMinor: number;
  externallyRefundedMinor: number;
}

export interface PlanInput {
  kind: OrderKind;
  lines: { id: string; unitPriceMinor: number; eligibility: Eligibility | null }[];
  payments: PaymentRow[];
  drafts: { orderLineId: string; quantity: number; amountMinor: number }[];
  /** The payment the agent chose, where the provider lets them (choosesPayment). */
  paymentRef?: string;
}

export interface RefundPlan {
  mode: RefundRequest['mode'];
  /** The payment the request names, if any (stored on the refund as its paymentRef). */
  payment: PaymentRow | null;
  /** How the money splits over payments, for the summary, the audit and the provider refund rows. */
  allocations: { payment: PaymentRow | null; tender: Tender; amountMinor: number }[];
}

export type PlanResult = { ok: true; plan: RefundPlan } | { ok: false; fieldErrors: Record<string, string[]> };

/** The server side of a provider: its profile and the calls. One per process (tokens are cached). */
export interface ProviderClient {
  readonly profile: ProviderProfile;
  getOrder(providerRef: string): Promise<{ ok: true; order: ProviderOrder } | { ok: false; code: string; message: string }>;
  submitRefund(request: RefundRequest): Promise<SubmitResult>;
  /** The order's refunds (objects where the provider has them) and refunded total (where it reports one). */
  readStatus(providerRef: string): Promise<StatusRead>;
  /** Only where `profile.capabilities.approvalRequestCodes` is not empty. */
  requestApproval?(request: RefundRequest, refusalCode: string): Promise<ApprovalRequestResult>;
  /** Checks the signature/checksum and freshness of a delivery; never throws. */
  verifyWebhook(input: { rawBody: string; headers: Headers; url: URL; now?: Date }): WebhookVerification;
  parseWebhook(input: { rawBody: string; url: URL }): WebhookEvent;
  /** Cheap authenticated call for the health page. */
  /** `code`: the provider's error code for a refusal, or `timeout` / `network`, so it can be said in words; `status`: the HTTP status. */
  ping(): Promise<{ ok: boolean; latencyMs: number; detail?: string; code?: string; status?: number }>;
}
