import type { ComponentProps } from 'react';
import { cn } from '@/lib/cn';
import { ScrollRegion } from './scroll-region';

export function Table({ className, ...props }: ComponentProps<'table'>) {
  return (
    <ScrollRegion label={props['aria-label']} labelledBy={props['aria-labelledby']}>
      <table className={cn('min-w-full divide-y divide-slate-200 text-sm', className)} {...props} />
    </ScrollRegion>
  );
}

export function Th({ className, numeric, ...props }: ComponentProps<'th'> & { numeric?: boolean }) {
  return (
    <th
      scope="col"
      className={cn(
        'bg-slate-50 px-3 py-2 text-left text-xs font-semibold uppercase tracking-wide text-slate-600',
        numeric && 'text-right',
        className,
      )}
      {...props}
    />
  );
}

export function Td({ className, numeric, ...props }: ComponentProps<'td'> & { numeric?: boolean }) {
  return <td className={cn('px-3 py-2 align-top text-slate-800', numeric && 'text-right tabular-nums', className)} {...props} />;
}
