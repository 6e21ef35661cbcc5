import { cn } from '@/lib/cn';

/** What a page shows while its data loads: a title bar and grey blocks of the given heights. */
export function PageSkeleton({ label, blocks = ['h-64'] }: { label: string; blocks?: string[] }) {
  return (
    <div aria-busy="true" aria-live="polite" className="space-y-3">
      <span className="sr-only">{label}</span>
      <div className="h-7 w-48 animate-pulse rounded bg-slate-200" />
      {blocks.map((height, i) => (
        <div key={i} className={cn('animate-pulse rounded-lg bg-slate-100', height)} />
      ))}
    </div>
  );
}
