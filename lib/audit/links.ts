import type { AuditEvent } from '@/db/schema';
import { isUuid } from '@/db/queries/filters';

export interface AuditRecordLink {
  href: string;
  label: string;
}

/** `refundId` (or `orderId`) carried in an event's after or before, when it is a real id. */
function carried(event: Pick<AuditEvent, 'before' | 'after'>, key: 'refundId' | 'orderId'): string | undefined {
  for (const side of [event.after, event.before]) {
    if (side && typeof side === 'object' && !Array.isArray(side)) {
      const value = (side as Record<string, unknown>)[key];
      if (typeof value === 'string' && isUuid(value)) return value;
    }
  }
  return undefined;
}

/**
 * Where an event's record lives in the app: a refund or an order page, the refund an approval
 * belongs to, the users screen. Null when the record has no page (a route, the audit log itself),
 * so the table shows it as plain text. Ids are checked to be uuids so a stored value can never
 * become an arbitrary link.
 */
export function auditRecordLink(event: Pick<AuditEvent, 'entityType' | 'entityId' | 'before' | 'after'>): AuditRecordLink | null {
  const id = event.entityId;
  switch (event.entityType) {
    case 'refund':
      return isUuid(id) ? { href: `/refunds/${id}`, label: 'Open refund' } : null;
    case 'order':
      return isUuid(id) ? { href: `/orders/${id}`, label: 'Open order' } : null;
    case 'user':
      return { href: '/admin', label: 'Users' };
    default: {
      // An approval, a provider refund, a webhook … belongs to a refund when it names one.
      const refundId = carried(event, 'refundId');
      if (refundId) return { href: `/refunds/${refundId}`, label: 'Open refund' };
      const orderId = carried(event, 'orderId');
      if (orderId) return { href: `/orders/${orderId}`, label: 'Open order' };
      return null;
    }
  }
}
