import Link from 'next/link';
import { refundStatusEnum, type RefundStatus } from '@/db/schema/enums';
import { RefundStatusBadge } from '@/components/refunds/refund-status-badge';

/** Every refund by its current status, in lifecycle order, each a link to the filtered history. */
export function StatusCounts({ counts }: { counts: Record<RefundStatus, number> }) {
  return (
    <ul
      className="grid grid-cols-1 gap-x-4 min-[480px]:grid-cols-2 md:grid-cols-3 lg:grid-cols-4"
      data-testid="overview-status-counts"
    >
      {refundStatusEnum.enumValues.map((status) => (
        <li key={status} data-status={status} className="border-b border-slate-100">
          <Link
            href={`/refunds?status=${status}`}
            className="flex items-center justify-between gap-2 px-4 py-2 hover:bg-slate-50"
          >
            <RefundStatusBadge status={status} />
            <span className={counts[status] === 0 ? 'tabular-nums text-slate-400' : 'font-semibold tabular-nums text-slate-900'}>
              {counts[status]}
            </span>
          </Link>
        </li>
      ))}
    </ul>
  );
}
