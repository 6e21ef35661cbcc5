import type { OrderStatus, RefundStatus } from '@/db/schema/enum-values';

const TIME_ZONE = process.env.NEXT_PUBLIC_APP_TIMEZONE || 'UTC';

const dateTime = new Intl.DateTimeFormat('en-GB', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: 'short',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});
const dateTimeSeconds = new Intl.DateTimeFormat('en-GB', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: 'short',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});
const dateOnly = new Intl.DateTimeFormat('en-GB', { timeZone: TIME_ZONE, year: 'numeric', month: 'short', day: '2-digit' });

export function formatDateTime(value: Date | string | null | undefined) {
  if (!value) return '—';
  return `${dateTime.format(new Date(value))}${TIME_ZONE === 'UTC' ? ' UTC' : ''}`;
}

/** With seconds, for timelines where several things happen within a minute. */
export function formatDateTimeSeconds(value: Date | string | null | undefined) {
  if (!value) return '—';
  return `${dateTimeSeconds.format(new Date(value))}${TIME_ZONE === 'UTC' ? ' UTC' : ''}`;
}

export function formatDate(value: Date | string | null | undefined) {
  return value ? dateOnly.format(new Date(value)) : '—';
}

/** "in 3 days", "2 hours ago". */
export function formatRelative(value: Date | string, now = new Date()) {
  const diffMs = new Date(value).getTime() - now.getTime();
  const rtf = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
  const abs = Math.abs(diffMs);
  if (abs < 3_600_000) return rtf.format(Math.round(diffMs / 60_000), 'minute');
  if (abs < 86_400_000) return rtf.format(Math.round(diffMs / 3_600_000), 'hour');
  return rtf.format(Math.round(diffMs / 86_400_000), 'day');
}

// Status labels: what the badges, filters and the refund timeline call each status; the badges add their colours.
export const ORDER_STATUS_LABELS: Record<OrderStatus, string> = {
  open: 'Awaiting payment',
  reserved: 'Reserved',
  invoiced: 'Invoiced',
  paid: 'Paid',
  partially_refunded: 'Partly refunded',
  refunded: 'Refunded',
  cancelled: 'Cancelled',
  expired: 'Expired',
};

export const REFUND_STATUS_LABELS: Record<RefundStatus, string> = {
  requested: 'Requested',
  pending_approval: 'Awaiting approval',
  approved: 'Approved',
  submitting: 'Sending',
  processing: 'Processing',
  succeeded: 'Refunded',
  partially_succeeded: 'Partly refunded',
  failed: 'Failed',
  outcome_unknown: 'Outcome unknown',
  rejected: 'Rejected',
  expired: 'Expired',
  canceled: 'Canceled',
};

export const TENDER_LABELS = {
  ebt_snap: 'EBT SNAP',
  ebt_cash: 'EBT Cash',
  credit_tpp: 'Card',
  benefit: 'Benefit',
  regular: 'Card / Vipps',
  invoiced: 'Invoice',
  captured: 'Reservation capture',
  charged: 'Reservation charge',
} as const;

export const ELIGIBILITY_LABELS = { snap: 'SNAP', ebt_cash: 'EBT Cash', non_ebt: 'Not EBT' } as const;

export const KIND_LABELS = { forage: 'EBT order', regular: 'Regular', invoiced: 'Invoiced', reservation: 'Reservation' } as const;

export const ROLE_LABELS = { agent: 'Agent', manager: 'Manager', auditor: 'Auditor', admin: 'Admin' } as const;
