import { Children, cloneElement, useId, type AriaAttributes, type ComponentProps, type ReactElement } from 'react';
import { cn } from '@/lib/cn';

const control =
  'block w-full rounded-md border border-slate-300 bg-white px-2.5 py-1.5 text-sm shadow-xs placeholder:text-slate-400 focus:border-brand-600 aria-[invalid=true]:border-red-500';

export function Input({ className, ...props }: ComponentProps<'input'>) {
  return <input className={cn(control, className)} {...props} />;
}

export function Select({ className, ...props }: ComponentProps<'select'>) {
  return <select className={cn(control, 'pr-8', className)} {...props} />;
}

export function Textarea({ className, ...props }: ComponentProps<'textarea'>) {
  return <textarea className={cn(control, 'min-h-16', className)} {...props} />;
}

type ControlProps = Pick<AriaAttributes, 'aria-describedby' | 'aria-invalid'> & { id?: string };

/**
 * A label, one control, and its hint or error. Field gives the control its id (for the label) and
 * points `aria-describedby` at the hint or error shown, with `aria-invalid` while there is an error.
 * A control's own `aria-describedby` (say, a note shared by several fields) is kept and added to.
 */
export function Field({
  label,
  error,
  hint,
  children,
  className,
}: {
  label: string;
  error?: string[] | string;
  hint?: string;
  /** Exactly one control: Input, Select, Textarea or a native one. */
  children: ReactElement<ControlProps>;
  className?: string;
}) {
  const id = useId();
  const message = Array.isArray(error) ? error[0] : error;
  const control = Children.only(children);
  const describedBy = message ? `${id}-error` : hint ? `${id}-hint` : undefined;
  return (
    <div className={cn('space-y-1', className)}>
      <label htmlFor={id} className="block text-xs font-medium text-slate-600">
        {label}
      </label>
      {cloneElement(control, {
        id,
        'aria-describedby': [control.props['aria-describedby'], describedBy].filter(Boolean).join(' ') || undefined,
        'aria-invalid': message ? true : control.props['aria-invalid'],
      })}
      {hint && !message && (
        <p id={`${id}-hint`} className="text-xs text-slate-500">
          {hint}
        </p>
      )}
      {message && (
        <p id={`${id}-error`} className="text-xs text-red-700">
          {message}
        </p>
      )}
    </div>
  );
}
