import type { RefundStatus } from '@/db/schema/enum-values';
import { DEFAULT_LOCALE, type Locale } from '@/i18n/locales';

export const TIME_ZONE = process.env.NEXT_PUBLIC_APP_TIMEZONE || 'UTC';

/** Dates read the way each language writes them: "26 Nov 2026, 14:03" in en, "26. nov. 2026, 14:03" in nb. */
const DATE_LOCALE: Record<Locale, string> = { en: 'en-GB', nb: 'nb-NO' };

const dateStyles = {
  dateTime: { year: 'numeric', month: 'short', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' },
  dateTimeSeconds: {
    year: 'numeric',
    month: 'short',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  },
  date: { year: 'numeric', month: 'short', day: '2-digit' },
} satisfies Record<string, Intl.DateTimeFormatOptions>;

const dateFormatters = new Map<string, Intl.DateTimeFormat>();
function dateFormatter(style: keyof typeof dateStyles, locale: Locale) {
  const key = `${style}|${locale}`;
  let formatter = dateFormatters.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(DATE_LOCALE[locale], { timeZone: TIME_ZONE, ...dateStyles[style] });
    dateFormatters.set(key, formatter);
  }
  return formatter;
}

export function formatDateTime(value: Date | string | null | undefined, locale: Locale = DEFAULT_LOCALE) {
  if (!value) return '—';
  return `${dateFormatter('dateTime', locale).format(new Date(value))}${TIME_ZONE === 'UTC' ? ' UTC' : ''}`;
}

/** With seconds, for timelines where several things happen within a minute. */
export function formatDateTimeSeconds(value: Date | string | null | undefined, locale: Locale = DEFAULT_LOCALE) {
  if (!value) return '—';
  return `${dateFormatter('dateTimeSeconds', locale).format(new Date(value))}${TIME_ZONE === 'UTC' ? ' UTC' : ''}`;
}

export function formatDate(value: Date | string | null | undefined, locale: Locale = DEFAULT_LOCALE) {
  return value ? dateFormatter('date', locale).format(new Date(value)) : '—';
}

/** "in 3 days", "2 hours ago" (nb: "om 3 dager", "for 2 timer siden"). */
export function formatRelative(value: Date | string, now = new Date(), locale: Locale = DEFAULT_LOCALE) {
  const diffMs = new Date(value).getTime() - now.getTime();
  const rtf = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  const abs = Math.abs(diffMs);
  if (abs < 3_600_000) return rtf.format(Math.round(diffMs / 60_000), 'minute');
  if (abs < 86_400_000) return rtf.format(Math.round(diffMs / 3_600_000), 'hour');
  return rtf.format(Math.round(diffMs / 86_400_000), 'day');
}

// Status labels: what the badges, filters and the refund timeline call each status; the badges add their colours.

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

export const ROLE_LABELS = { agent: 'Agent', manager: 'Manager', auditor: 'Auditor', admin: 'Admin' } as const;
