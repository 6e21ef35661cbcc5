import { decimal, pacificTimestamp, ref10 } from './http';
import type { DemoDataset, DemoOrder } from './types';

/**
 * Forage's own state in the sandbox: orders, payments and refund objects (forage.md §6), built
 * from the demo dataset and kept in memory. Money is integer cents here; it becomes Forage's
 * decimal strings only when an object is written out.
 */

export type FundingType = 'ebt_snap' | 'ebt_cash' | 'credit_tpp';
export type Eligibility = 'snap' | 'ebt_cash' | 'non_ebt';
export type RefundStatus = 'requires_confirmation' | 'processing' | 'succeeded' | 'failed';

/** Which payment pays for which products (demo/README.md "Forage tenders"). */
export const TENDER_OF: Record<Eligibility, FundingType> = { snap: 'ebt_snap', ebt_cash: 'ebt_cash', non_ebt: 'credit_tpp' };

export interface Line {
  upc: string;
  productId: string | null;
  name: string;
  unitPrice: number;
  quantity: number;
  taxRateBp: number;
  eligibility: Eligibility;
}

export interface Order {
  ref: string;
  status: string;
  lines: Line[];
  payments: string[];
  refunds: string[];
  customerId: string | null;
  isDelivery: boolean;
  placedAt: Date;
  /** The customer's EBT balances shown on receipts (cents). */
  balance: { snap: number; nonSnap: number; id: number };
}

export interface Payment {
  ref: string;
  order: string;
  fundingType: FundingType;
  amount: number;
  created: string;
}

/** How a refund will end when it settles. */
export interface Outcome {
  outcome: 'succeeded' | 'failed';
  error?: string;
  /** An EBT-network timeout that Forage voided (forage.md §7 `Void_Refund`): failed, receipt voided. */
  voided?: boolean;
}

export interface Refund {
  ref: string;
  order: string;
  payment: string;
  fundingType: FundingType;
  amount: number;
  reason: string;
  metadata: Record<string, unknown>;
  created: string;
  updated: string;
  status: RefundStatus;
  lastProcessingError: string | null;
  receipt: Record<string, unknown> | null;
  refundErrors: { code: string; message: string }[];
  tppLookupId: string | null;
  /** Sandbox bookkeeping, never written out: units returned per product, and the endpoint used. */
  products: Record<string, number>;
  via: 'by_product' | 'amount' | 'refund_all' | 'history';
  planned: Outcome | null;
}

const DAY_MS = 86_400_000;

export class ForageState {
  readonly orders = new Map<string, Order>();
  readonly payments = new Map<string, Payment>();
  readonly refunds = new Map<string, Refund>();

  constructor(dataset: DemoDataset, now = new Date()) {
    for (const demo of dataset.orders) if (demo.provider === 'forage') this.load(demo, now);
  }

  private load(demo: DemoOrder, now: Date) {
    // Same placement time as the app's seed (db/seed.ts), so both worlds agree.
    const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
    const placedAt = new Date(
      Math.min(midnight - demo.placedDaysAgo * DAY_MS + demo.placedMinuteOfDay * 60_000, now.getTime() - 60_000),
    );
    const order: Order = {
      ref: demo.providerRef,
      status: demo.providerStatus,
      lines: demo.lines.map((l) => ({
        upc: l.lineId,
        productId: l.productId ?? null,
        name: l.name,
        unitPrice: l.unitPrice,
        quantity: l.quantity,
        taxRateBp: l.taxRateBp,
        eligibility: l.eligibility ?? 'non_ebt',
      })),
      payments: demo.payments.map((p) => p.ref),
      refunds: [],
      customerId: demo.customer.customerId ?? null,
      isDelivery: demo.isDelivery ?? false,
      placedAt,
      balance: { snap: 100_00, nonSnap: 100_00, id: 50_000 + this.orders.size },
    };
    this.orders.set(order.ref, order);
    for (const p of demo.payments) {
      this.payments.set(p.ref, {
        ref: p.ref,
        order: order.ref,
        fundingType: p.tender as FundingType,
        amount: p.amount,
        created: pacificTimestamp(placedAt),
      });
    }
    for (const past of demo.refunds) {
      const allocation = past.allocations[0];
      if (!allocation) continue;
      const at = new Date(Math.max(placedAt.getTime() + 60_000, now.getTime() - past.daysAgo * DAY_MS - 3_600_000));
      const payment = this.payments.get(allocation.paymentRef)!;
      const refund: Refund = {
        ref: past.ref ?? this.newRef(),
        order: order.ref,
        payment: payment.ref,
        fundingType: payment.fundingType,
        amount: past.allocations.reduce((sum, a) => sum + a.amount, 0),
        reason: past.reason,
        metadata: {},
        created: pacificTimestamp(at),
        updated: pacificTimestamp(at),
        status: 'succeeded',
        lastProcessingError: null,
        receipt: null,
        refundErrors: [],
        tppLookupId: payment.fundingType === 'credit_tpp' ? `re_${ref10()}${ref10()}` : null,
        products: Object.fromEntries(past.lines.filter((l) => l.quantity > 0).map((l) => [l.lineId, l.quantity])),
        via: 'history',
        planned: null,
      };
      refund.receipt = this.receipt(refund, order, at);
      this.refunds.set(refund.ref, refund);
      order.refunds.push(refund.ref);
    }
  }

  /** A 10-character ref no other object has. */
  newRef(): string {
    for (;;) {
      const ref = ref10();
      if (!this.orders.has(ref) && !this.payments.has(ref) && !this.refunds.has(ref)) return ref;
    }
  }

  refundsOf(order: Order): Refund[] {
    return order.refunds.map((ref) => this.refunds.get(ref)!);
  }

  /** Refunds that hold money: everything except failed ones. */
  private live(order: Order): Refund[] {
    return this.refundsOf(order).filter((r) => r.status !== 'failed');
  }

  unitsRefunded(order: Order, upc: string): number {
    return this.live(order).reduce((sum, r) => sum + (r.products[upc] ?? 0), 0);
  }

  paymentRemaining(payment: Payment): number {
    const order = this.orders.get(payment.order)!;
    const refunded = this.live(order)
      .filter((r) => r.payment === payment.ref)
      .reduce((sum, r) => sum + r.amount, 0);
    return payment.amount - refunded;
  }

  inFlight(order: Order): boolean {
    return this.refundsOf(order).some((r) => r.status === 'processing' || r.status === 'requires_confirmation');
  }

  paymentFor(order: Order, fundingType: FundingType): Payment | null {
    for (const ref of order.payments) {
      const payment = this.payments.get(ref)!;
      if (payment.fundingType === fundingType) return payment;
    }
    return null;
  }

  create(input: {
    order: Order;
    payment: Payment;
    amount: number;
    reason: string;
    metadata: Record<string, unknown>;
    products: Record<string, number>;
    via: Refund['via'];
    status: RefundStatus;
    planned: Outcome | null;
  }): Refund {
    const at = pacificTimestamp();
    const refund: Refund = {
      ref: this.newRef(),
      order: input.order.ref,
      payment: input.payment.ref,
      fundingType: input.payment.fundingType,
      amount: input.amount,
      reason: input.reason,
      metadata: input.metadata,
      created: at,
      updated: at,
      status: input.status,
      lastProcessingError: null,
      receipt: null,
      refundErrors: [],
      tppLookupId: input.payment.fundingType === 'credit_tpp' ? `re_${ref10()}${ref10()}` : null,
      products: input.products,
      via: input.via,
      planned: input.planned,
    };
    this.refunds.set(refund.ref, refund);
    input.order.refunds.push(refund.ref);
    return refund;
  }

  /** Moves a refund to its final status (forage.md §7). */
  finish(refund: Refund, outcome: Outcome) {
    const order = this.orders.get(refund.order)!;
    const now = new Date();
    refund.updated = pacificTimestamp(now);
    if (outcome.outcome === 'succeeded') {
      refund.status = 'succeeded';
      if (refund.fundingType === 'ebt_snap') order.balance.snap += refund.amount;
      if (refund.fundingType === 'ebt_cash') order.balance.nonSnap += refund.amount;
      refund.receipt = this.receipt(refund, order, now);
      return;
    }
    const message =
      outcome.error ??
      (outcome.voided ? 'The EBT network timed out; the refund was voided.' : 'The refund was declined by the processor.');
    refund.status = 'failed';
    refund.lastProcessingError = message;
    refund.refundErrors = [{ code: outcome.voided ? 'ebt_network_timeout' : 'processor_declined', message }];
    refund.receipt = outcome.voided ? { ...this.receipt(refund, order, now), is_voided: true, message } : null;
  }

  private receipt(refund: Refund, order: Order, at: Date): Record<string, unknown> {
    const ebt = refund.fundingType !== 'credit_tpp';
    return {
      ref_number: refund.ref,
      is_voided: false,
      snap_amount: decimal(refund.fundingType === 'ebt_snap' ? refund.amount : 0),
      ebt_cash_amount: decimal(refund.fundingType === 'ebt_cash' ? refund.amount : 0),
      other_amount: decimal(refund.fundingType === 'credit_tpp' ? refund.amount : 0),
      sales_tax_applied: '0.00',
      balance: ebt
        ? {
            id: order.balance.id,
            snap: decimal(order.balance.snap),
            non_snap: decimal(order.balance.nonSnap),
            updated: pacificTimestamp(at),
          }
        : null,
      last_4: ebt ? '6789' : '4242',
      message: 'Approved',
      transaction_type: 'Refund',
      created: pacificTimestamp(at),
    };
  }
}
