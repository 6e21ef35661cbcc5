import type { Db } from '@/db';
import {
  getOrderByProviderRefForUpdate,
  heldRefundsMinor,
  insertOrder,
  insertOrderLines,
  listOrderLines,
  listOrderPayments,
  ourProviderRefundRefs,
  setPaymentExternallyRefunded,
  setOrderLineProviderId,
  setOrderLinePaid,
  updateOrder,
  upsertOrderPayment,
} from '@/db/queries/orders';
import { appendAudit, type AuditContext } from '@/lib/audit';
import type { ProviderOrder } from '@/lib/providers/types';
import { providerProfile } from '@/lib/providers/registry';
import { normalizeOrderStatus } from './status';

/** Provider statuses in which the money has been collected. */
const UNCOLLECTED = new Set(['SENT', 'EXPIRED', 'CANCELLED', 'CANCELED', 'INVOICED', 'RESERVED', 'DRAFT', 'FAILED']);

export interface SyncResult {
  orderId: string;
  created: boolean;
  changes: string[];
}

/**
 * Writes the provider's view of an order into the local mirror, in one transaction under a lock on
 * the order row: new lines and payments are added, amounts and statuses updated, and money refunded
 * at the provider outside Refund Desk is recorded so it is no longer offered for refund.
 */
export async function syncProviderOrder(
  db: Db,
  audit: AuditContext,
  remote: ProviderOrder,
  options: { orderNumber?: string } = {},
): Promise<SyncResult> {
  return db.transaction(async (tx) => {
    const existing = await getOrderByProviderRefForUpdate(tx, remote.provider, remote.providerRef);
    const collected = remote.payments.length > 0 && !UNCOLLECTED.has(remote.providerStatus.trim().toUpperCase());
    const total = remote.lines.reduce((sum, l) => sum + l.unitPriceMinor * l.quantity, 0);
    const changes: string[] = [];

    let orderId: string;
    if (existing) {
      orderId = existing.id;
    } else {
      orderId = await insertOrder(tx, {
        provider: remote.provider,
        providerRef: remote.providerRef,
        orderNumber: options.orderNumber ?? `${providerProfile(remote.provider).orderNumberPrefix}-${remote.providerRef}`,
        kind: remote.kind,
        status: 'open',
        providerStatus: remote.providerStatus,
        currency: remote.currency,
        totalMinor: total,
        customerName: remote.customer.name ?? 'Unknown customer',
        customerEmail: remote.customer.email ?? '',
        customerPhone: remote.customer.phone,
        providerCustomerId: remote.customer.providerCustomerId,
        placedAt: remote.placedAt ?? new Date(),
      });
      changes.push('order imported');
    }

    const localLines = await listOrderLines(tx, orderId);
    const byLineId = new Map(localLines.map((l) => [l.providerLineId, l]));
    // Lines numbered on import because the provider listed no ids take its ids, by position, once
    // it lists them: the same lines, not new ones.
    const renumber = existing && !existing.lineIdsKnown && (remote.lineIdsKnown ?? true);
    for (const [position, line] of remote.lines.entries()) {
      const paid = collected ? line.unitPriceMinor * line.quantity : 0;
      let local = byLineId.get(line.providerLineId);
      const numbered = renumber && !local ? localLines.find((l) => l.position === position) : undefined;
      if (numbered) {
        await setOrderLineProviderId(tx, numbered.id, line.providerLineId);
        changes.push(`line ${numbered.providerLineId} is ${line.providerLineId} at the provider`);
        local = numbered;
      }
      if (!local) {
        await insertOrderLines(tx, [
          {
            orderId,
            position,
            providerLineId: line.providerLineId,
            productId: line.productId,
            name: line.name,
            unitPriceMinor: line.unitPriceMinor,
            quantity: line.quantity,
            paidMinor: paid,
            taxRateBp: line.taxRateBp,
            eligibility: line.eligibility,
          },
        ]);
        if (existing) changes.push(`line ${line.providerLineId} added`);
      } else if (local.paidMinor !== paid) {
        await setOrderLinePaid(tx, local.id, paid);
        changes.push(`line ${line.providerLineId} paid ${local.paidMinor} → ${paid}`);
      }
    }

    for (const payment of remote.payments) {
      await upsertOrderPayment(tx, {
        orderId,
        providerPaymentRef: payment.ref,
        tender: payment.tender,
        amountMinor: payment.amountMinor,
      });
    }

    // Refund objects the provider lists that Refund Desk did not make went back to a named payment:
    // that payment has that much less to give back (the form caps lines paid from it).
    if (remote.providerRefunds) {
      const ours = await ourProviderRefundRefs(tx, orderId);
      const localPayments = existing ? await listOrderPayments(tx, orderId) : [];
      for (const payment of remote.payments) {
        const external = remote.providerRefunds
          .filter((r) => r.paymentRef === payment.ref && r.status !== 'failed' && !ours.has(r.ref))
          .reduce((sum, r) => sum + r.amountMinor, 0);
        const before = localPayments.find((p) => p.providerPaymentRef === payment.ref)?.externallyRefundedMinor ?? 0;
        if (external === before) continue;
        await setPaymentExternallyRefunded(tx, orderId, payment.ref, Math.min(external, payment.amountMinor));
        changes.push(`payment ${payment.ref} refunded outside Refund Desk ${before} → ${external}`);
      }
    }

    // What the provider has refunded beyond every refund we hold money for is someone else's doing.
    const held = await heldRefundsMinor(tx, orderId);
    const paidTotal = collected ? total : 0;
    const external = Math.min(paidTotal, Math.max(0, remote.refundedMinor - held));
    const status = normalizeOrderStatus(remote.provider, remote.providerStatus, {
      paidMinor: paidTotal,
      refundedMinor: remote.refundedMinor,
    });
    const before = existing
      ? {
          status: existing.status,
          providerStatus: existing.providerStatus,
          externallyRefundedMinor: existing.externallyRefundedMinor,
          lineIdsKnown: existing.lineIdsKnown,
        }
      : null;
    const after = {
      status,
      providerStatus: remote.providerStatus,
      externallyRefundedMinor: external,
      lineIdsKnown: remote.lineIdsKnown ?? true,
    };
    if (
      existing &&
      (before!.status !== status ||
        before!.providerStatus !== remote.providerStatus ||
        before!.externallyRefundedMinor !== external ||
        before!.lineIdsKnown !== after.lineIdsKnown)
    ) {
      changes.push('status or refunded amount changed');
    }
    await updateOrder(tx, orderId, { ...after, totalMinor: total, syncedAt: new Date() });
    if (changes.length) {
      await appendAudit(tx, audit, {
        action: existing ? 'order.refreshed' : 'order.imported',
        entityType: 'order',
        entityId: orderId,
        before,
        after: { ...after, changes },
      });
    }
    return { orderId, created: !existing, changes };
  });
}
