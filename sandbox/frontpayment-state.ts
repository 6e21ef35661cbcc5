import type { DemoOrder } from './types';

/**
 * Frontpayment's own view of the world (frontpayment.md §6–§7), built from the demo dataset. Money
 * is integer øre here; NOK decimals exist only in the JSON the emulator writes and reads.
 */

export type FpKind = 'regular' | 'invoiced' | 'reservation';
export type FpSource = 'captured' | 'charged';

export interface FpLine {
  /** The numeric order-line id that refunds name (`products[].id`). */
  id: number;
  productId: string | null;
  name: string;
  unitPriceMinor: number;
  /** May be fractional (errata 5: weighed goods). */
  quantity: number;
  taxRateBp: number;
}

/** A reservation's money movement: a capture (`CAP…`) or a merchant-initiated charge (`CHA…`). */
export interface FpMovement {
  uuid: string;
  source: FpSource;
  amountMinor: number;
  at: Date;
}

export interface FpOrder {
  uuid: string;
  kind: FpKind;
  status: string;
  customer: DemoOrder['customer'];
  placedAt: Date;
  lines: FpLine[];
  movements: FpMovement[];
  /** What the customer paid (nothing for SENT, EXPIRED, CANCELLED, RESERVED); reservations: the movements. */
  paidMinor: number;
  paymentMethod: string;
}

/**
 * One refund as Frontpayment holds it internally. The API never shows these (no refund id exists,
 * §3); the control API does, so tests can count refunds at the provider.
 */
export interface FpRefund {
  seq: number;
  orderUuid: string;
  via: 'dataset' | 'api' | 'approval';
  /** pending: accepted (202), not settled; applied: in `refundedAmount`; dropped: a late failure. */
  state: 'pending' | 'applied' | 'dropped';
  totalMinor: number;
  lines: { id: number; amountMinor: number }[];
  source: FpSource | null;
  reference: string | null;
  body: unknown;
  acceptedAt: Date;
  settledAt: Date | null;
}

export interface FpApproval {
  seq: number;
  orderUuid: string;
  state: 'pending' | 'approved' | 'rejected';
  message: string;
  totalMinor: number;
  lines: { id: number; amountMinor: number }[];
  source: FpSource | null;
  reference: string | null;
  body: unknown;
  requestedAt: Date;
  decidedAt: Date | null;
}

const DAY_MS = 86_400_000;
const UNPAID = new Set(['SENT', 'EXPIRED', 'CANCELLED', 'RESERVED']);

export class FpState {
  readonly orders = new Map<string, FpOrder>();
  readonly refunds: FpRefund[] = [];
  readonly approvals: FpApproval[] = [];
  private seq = 0;

  constructor(demoOrders: DemoOrder[], now = Date.now()) {
    for (const demo of demoOrders) if (demo.provider === 'frontpayment') this.addOrder(demo, now);
  }

  nextSeq() {
    return ++this.seq;
  }

  /** Loads one dataset order, its movements and its past refunds (already applied). */
  addOrder(demo: DemoOrder, now = Date.now()): FpOrder {
    const placedAt = new Date(now - demo.placedDaysAgo * DAY_MS + (demo.placedMinuteOfDay - 720) * 60_000);
    const kind: FpKind = demo.kind === 'invoiced' || demo.kind === 'reservation' ? demo.kind : 'regular';
    const movements: FpMovement[] = demo.payments
      .filter((p) => p.tender === 'captured' || p.tender === 'charged')
      .map((p) => ({ uuid: p.ref, source: p.tender as FpSource, amountMinor: p.amount, at: placedAt }));
    const lines = demo.lines.map((l) => ({
      id: Number(l.lineId),
      productId: l.productId ?? null,
      name: l.name,
      unitPriceMinor: l.unitPrice,
      quantity: l.quantity,
      taxRateBp: l.taxRateBp,
    }));
    const order: FpOrder = {
      uuid: demo.providerRef,
      kind,
      status: demo.providerStatus,
      customer: demo.customer,
      placedAt,
      lines,
      movements,
      paidMinor: demo.payments.reduce((sum, p) => sum + p.amount, 0),
      paymentMethod: kind === 'invoiced' ? 'invoice' : 'visa',
    };
    this.orders.set(order.uuid, order);
    for (const past of demo.refunds) {
      const movement = movements.find((m) => m.uuid === past.allocations[0]?.paymentRef);
      const at = new Date(now - past.daysAgo * DAY_MS);
      this.refunds.push({
        seq: this.nextSeq(),
        orderUuid: order.uuid,
        via: 'dataset',
        state: 'applied',
        totalMinor: past.lines.reduce((sum, l) => sum + l.amount, 0),
        lines: past.lines.map((l) => ({ id: Number(l.lineId), amountMinor: l.amount })),
        source: movement?.source ?? null,
        reference: movement?.uuid ?? null,
        body: null,
        acceptedAt: at,
        settledAt: at,
      });
    }
    return order;
  }

  grossMinor(order: FpOrder) {
    return order.lines.reduce((sum, l) => sum + lineGrossMinor(l), 0);
  }

  refundsOf(uuid: string) {
    return this.refunds.filter((r) => r.orderUuid === uuid);
  }

  /** `refundedAmount`: settled refunds only. */
  refundedMinor(uuid: string) {
    return sum(this.refundsOf(uuid).filter((r) => r.state === 'applied'));
  }

  /** Money committed to refunds (settled or still pending): what the remaining-refundable checks use. */
  committedMinor(uuid: string) {
    return sum(this.refundsOf(uuid).filter(committed));
  }

  lineCommittedMinor(uuid: string, lineId: number) {
    let total = 0;
    for (const r of this.refundsOf(uuid).filter(committed)) {
      for (const l of r.lines) if (l.id === lineId) total += l.amountMinor;
    }
    return total;
  }

  movementMinor(uuid: string, reference: string, states: FpRefund['state'][]) {
    return sum(this.refundsOf(uuid).filter((r) => r.reference === reference && states.includes(r.state)));
  }

  /** Refunds on a reservation from its captures or its charges (`amountRefunded`). */
  sourceRefundedMinor(uuid: string, source: FpSource) {
    return sum(this.refundsOf(uuid).filter((r) => r.state === 'applied' && r.source === source));
  }

  /** Rolling 7-day refund volume of the merchant (frontpayment.md §10: window definition unknown). */
  weeklyCommittedMinor(now = Date.now()) {
    return sum(this.refunds.filter((r) => committed(r) && r.acceptedAt.getTime() > now - 7 * DAY_MS));
  }

  /** Status after a settled refund (§7): reservations keep theirs; orders go partial or refunded. */
  statusAfterRefund(order: FpOrder, partialStatus: string) {
    if (order.kind === 'reservation') return order.status;
    return this.refundedMinor(order.uuid) >= order.paidMinor ? 'REFUNDED' : partialStatus;
  }

  /** Sets a status the way the control API wants it: becoming PAID means the money came in. */
  setStatus(order: FpOrder, status: string) {
    order.status = status;
    if (!UNPAID.has(status) && order.kind !== 'reservation' && order.paidMinor === 0) order.paidMinor = this.grossMinor(order);
  }
}

/**
 * What a line charged, in øre. `quantity` may be fractional (frontpayment.md errata 5: e.g.
 * 1.5 kg), so rate × quantity is rounded to the øre.
 */
export function lineGrossMinor(line: Pick<FpLine, 'unitPriceMinor' | 'quantity'>) {
  return Math.round(line.unitPriceMinor * line.quantity);
}

const committed = (r: FpRefund) => r.state === 'pending' || r.state === 'applied';
const sum = (refunds: FpRefund[]) => refunds.reduce((total, r) => total + r.totalMinor, 0);
