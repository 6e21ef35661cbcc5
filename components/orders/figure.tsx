import type { ReactNode } from 'react';
import { cn } from '@/lib/cn';

/**
 * A labelled figure (amount, name, date). Unlike the card's Stat it never truncates: an amount cut
 * to "1 858,6…" on a phone is a wrong amount, so long values wrap instead.
 */
export function Figure({
  label,
  value,
  hint,
  testId,
  className,
}: {
  label: ReactNode;
  value: ReactNode;
  hint?: ReactNode;
  testId?: string;
  className?: string;
}) {
  return (
    <div className={cn('min-w-0', className)}>
      <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</dt>
      <dd className="mt-0.5 text-lg font-semibold tabular-nums break-words text-slate-900" data-testid={testId}>
        {value}
      </dd>
      {hint && <dd className="text-xs break-words text-slate-500">{hint}</dd>}
    </div>
  );
}
