import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import type { RefundReason } from '@/db/schema/enums';
import { EmptyState } from '@/components/ui/card';

/**
 * The most frequent reasons as horizontal bars with the count printed beside each: the length is
 * a reading aid, the number is the figure. Each links to the history filtered the same way.
 */
export async function TopReasons({
  reasons,
  from,
  to,
  days,
}: {
  reasons: { reason: RefundReason; refunds: number }[];
  from: string;
  to: string;
  days: number;
}) {
  const [t, status] = await Promise.all([getTranslations('overview'), getTranslations('status')]);
  if (reasons.length === 0) return <EmptyState title={t('topReasonsEmpty', { days })} />;
  const max = Math.max(...reasons.map((r) => r.refunds));
  return (
    <ol className="space-y-2.5 px-4 py-3">
      {reasons.map((r) => (
        <li key={r.reason} data-reason={r.reason}>
          <div className="flex items-baseline justify-between gap-2 text-sm">
            <Link
              href={`/refunds?${new URLSearchParams({ reason: r.reason, from, to })}`}
              className="min-w-0 break-words text-slate-800 hover:text-brand-700 hover:underline"
            >
              {status(`reason.${r.reason}`)}
            </Link>
            <span className="font-semibold tabular-nums text-slate-900">{r.refunds}</span>
          </div>
          <div className="mt-1 h-2 rounded-sm bg-slate-100" aria-hidden="true">
            <div className="h-2 rounded-sm bg-brand-600" style={{ width: `${Math.max(2, (r.refunds / max) * 100)}%` }} />
          </div>
        </li>
      ))}
    </ol>
  );
}
