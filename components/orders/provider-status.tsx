import { useTranslations } from 'next-intl';

/** Provider order statuses we know, by their code lower-cased with underscores ("PARTIAL REFUNDED"). */
const KNOWN = new Set([
  'paid',
  'partial_refunded',
  'refunded',
  'expired',
  'cancelled',
  'canceled',
  'invoiced',
  'charged',
  'captured',
  'reserved',
  'sent',
  'succeeded',
  'failed',
  'pending',
  'processing',
  'requires_confirmation',
]);

/** The provider's own status of the order in words, with its raw code small beside it. */
export function ProviderStatus({ code }: { code: string }) {
  const t = useTranslations('orders.providerStatus');
  const key = code
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
  return (
    <span className="flex flex-wrap items-baseline gap-x-2">
      <span className="text-base">{KNOWN.has(key) ? t(key as 'paid') : t('unknown')}</span>
      <code className="rounded bg-slate-100 px-1 py-px font-mono text-[11px] font-normal text-slate-600">{code}</code>
    </span>
  );
}
