import type { AuditEvent } from '@/db/schema';
import { isUuid } from '@/db/queries/filters';

export interface AuditRecordLink {
  href: string;
  /** What the link opens (messages audit.link.<kind>). */
  kind: 'refund' | 'order' | 'users';
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
 * or no page the reader may open (the users screen for anyone who cannot manage users: an auditor
 * reading sign-ins), so the table shows it as plain text. Ids are checked to be uuids so a stored
 * value can never become an arbitrary link.
 */
export function auditRecordLink(
  event: Pick<AuditEvent, 'entityType' | 'entityId' | 'before' | 'after'>,
  reader: { canOpenUsers: boolean } = { canOpenUsers: false },
): AuditRecordLink | null {
  const id = event.entityId;
  switch (event.entityType) {
    case 'refund':
      return isUuid(id) ? { href: `/refunds/${id}`, kind: 'refund' } : null;
    case 'order':
      return isUuid(id) ? { href: `/orders/${id}`, kind: 'order' } : null;
    case 'user':
      return reader.canOpenUsers ? { href: '/admin', kind: 'users' } : null;
    default: {
      // An approval, a provider refund, a webhook … belongs to a refund when it names one.
      const refundId = carried(event, 'refundId');
      if (refundId) return { href: `/refunds/${refundId}`, kind: 'refund' };
      const orderId = carried(event, 'orderId');
      if (orderId) return { href: `/orders/${orderId}`, kind: 'order' };
      return null;
    }
  }
}
