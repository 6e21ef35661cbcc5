import type { IncomingMessage, ServerResponse } from 'node:http';

/** The provider emulator shares no code with the app: these types are its own. */
/** The providers this sandbox emulates; a module for another one brings its own name. */
export type ProviderName = 'forage' | 'frontpayment' | (string & {});

export interface DemoDataset {
  version: number;
  merchants: Record<string, Record<string, string>>;
  orders: DemoOrder[];
}

export interface DemoOrder {
  provider: ProviderName;
  providerRef: string;
  orderNumber: string;
  kind: 'forage' | 'regular' | 'invoiced' | 'reservation';
  providerStatus: string;
  currency: string;
  customer: { name: string; email: string; phone: string | null; customerId?: string | null };
  placedDaysAgo: number;
  placedMinuteOfDay: number;
  isDelivery?: boolean;
  lines: {
    lineId: string;
    productId?: string | null;
    name: string;
    unitPrice: number;
    quantity: number;
    taxRateBp: number;
    eligibility: 'snap' | 'ebt_cash' | 'non_ebt' | null;
  }[];
  payments: { ref: string; tender: string; amount: number }[];
  refunds: {
    ref: string | null;
    daysAgo: number;
    reason: string;
    note?: string | null;
    lines: { lineId: string; quantity: number; amount: number }[];
    allocations: { paymentRef: string; amount: number }[];
  }[];
}

/**
 * Fault injection (PRODUCT.md §4, forage.md §12.9, frontpayment.md §11.10). A rule matches a
 * provider and an operation ('token', 'refund', 'get_order', 'get_refund', 'list_refunds',
 * 'order_status', 'approval', '*') and fires `times` times (default 1; -1 = until cleared).
 */
export type FaultMode =
  /** Wait `latencyMs`, then answer normally. */
  | 'latency'
  /** Never answer (the socket is closed after `latencyMs`, default 120 s): a client timeout. */
  | 'hang'
  /** Answer `status` (default 500/510) without applying anything. */
  | 'error_before'
  /** Apply the request, then answer `status` (default 500/510) instead of the real response. */
  | 'error_after'
  /** Apply the request, then drop the connection without answering. */
  | 'drop_after'
  /** Apply the request, then hold the answer for `latencyMs` (past the client's timeout). */
  | 'hang_after'
  /** Answer 429 with `Retry-After: retryAfterSeconds`. */
  | 'rate_limit';

export interface FaultRule {
  id?: string;
  provider: ProviderName | '*';
  operation: string;
  mode: FaultMode;
  status?: number;
  latencyMs?: number;
  retryAfterSeconds?: number;
  times?: number;
}

export interface SandboxConfig {
  /** The active profile (sandbox/profiles.ts): a named bundle of the errata switches below. */
  profile: string;
  port: number;
  host: string;
  dataset: DemoDataset;
  /** Base URL of the app, for webhooks and callbacks; null = send none. */
  appUrl: string | null;
  /** 'auto': refunds settle after `settleMs`; 'manual': only through POST /__control/settle. */
  settleMode: 'auto' | 'manual';
  settleMs: number;
  forage: {
    clientId: string;
    clientSecret: string;
    merchantAccount: string;
    webhookSecret: string;
    /** Idempotency key lifetime; the docs say 10 minutes in one place and 24 hours in another. */
    idempotencyTtlMs: number;
    /** Token lifetime when the client does not ask for one (seconds). */
    defaultTokenExpiration: number;
    /** The `products[]` element key that names a product (forage.md §5.1: unconfirmed). */
    productKey: string;
    /** Over-refund on a payment: 400 envelope (default) or 201 with a `failed` refund. */
    overRefundMode: '400' | 'failed_refund';
    /** What a settling refund becomes. */
    settleOutcome: 'succeeded' | 'failed';
    /**
     * Whether REFUND_STATUS_UPDATED carries `last_processing_error` ([ASSUME], default true). The
     * documented payload may carry only the status (forage.md errata 5): false emulates that.
     */
    webhookErrorInPayload: boolean;
  };
  frontpayment: {
    token: string;
    callbackSecret: string;
    /** Callback checksum formula (frontpayment.md errata 3): the current docs' or an older field list. */
    checksum: { kind: 'all-in-order' } | { kind: 'fields'; fields: string[] };
    /** The status read carries `orderAmount` and `refundedAmount` (errata 2: older revisions do not). */
    statusAmounts: boolean;
    /** Order-details `productList` entries carry a numeric `id` (errata 1: undocumented). */
    detailLineIds: boolean;
    /** Reservation `paymentHistory` entries carry the capture / charge `uuid` (errata 5: undocumented). */
    historyUuids: boolean;
    perRequestThresholdMinor: number;
    weeklyThresholdMinor: number;
    rateLimit: number;
    /** Send callbacks for refund status changes too (none are documented). */
    refundCallbacks: boolean;
    /** What a settling refund does: apply it, or leave the order unchanged (a late failure). */
    settleOutcome: 'applied' | 'not_applied';
    partialRefundStatus: string;
  };
  webhooks: {
    retries: number;
    backoffMs: number;
    /** Deliver every event twice. */
    duplicate: boolean;
    /** Hold each refund's events and deliver them newest first. */
    reverseOrder: boolean;
    /** Stamp events as if they were created this long ago. */
    staleByMs: number;
  };
}

export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  method: string;
  url: URL;
  path: string;
  rawBody: string;
  /** Sends a JSON response (unless a fault replaces it). */
  send(status: number, body: unknown, headers?: Record<string, string>): void;
}

export interface ProviderModule {
  readonly name: ProviderName;
  /** The operation name for fault matching, or null when the path is not this provider's. */
  operationFor(method: string, path: string): string | null;
  handle(ctx: RequestContext): Promise<void>;
  /** Settles every refund waiting to settle now; returns how many changed. */
  settleAll(): Promise<number>;
  reset(): void;
  /** Provider-specific control routes under /__control/<provider>/…; true when handled. */
  control(ctx: RequestContext, subpath: string): Promise<boolean>;
  /** Optional: the body of an injected server error (fault modes error_before / error_after). */
  errorBody?(status: number): unknown;
}
