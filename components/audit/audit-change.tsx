'use client';

import { useRef, useState, type SyntheticEvent } from 'react';
import type { AuditChangeBody } from '@/app/api/audit/events/[seq]/route';
import { JsonPre } from '@/components/ui/json-details';

type Side = 'before' | 'after';
type Load = { state: 'idle' | 'loading' } | { state: 'loaded'; body: AuditChangeBody } | { state: 'failed'; message: string };

/** The words, translated by the (server-rendered) table. */
export interface AuditChangeLabels {
  before: string;
  after: string;
  nothing: string;
  failed: string;
  unreachable: string;
  retry: string;
  loading: string;
}

const ENGLISH: AuditChangeLabels = {
  before: 'Before',
  after: 'After',
  nothing: 'Nothing recorded.',
  failed: 'Could not load this change.',
  unreachable: 'The server could not be reached.',
  retry: 'Try again',
  loading: 'Loading…',
};

/**
 * An event's before and after, as the audit table showed them (a "Before" and an "After" to open),
 * fetched when one is first opened: the page itself does not carry them. One request per row,
 * shared by both; an error can be retried.
 */
export function AuditChange({ seq, sides, labels = ENGLISH }: { seq: number; sides: Side[]; labels?: AuditChangeLabels }) {
  const [load, setLoad] = useState<Load>({ state: 'idle' });
  const inFlight = useRef(false);

  const fetchChange = async () => {
    if (inFlight.current) return;
    inFlight.current = true;
    setLoad({ state: 'loading' });
    try {
      const response = await fetch(`/api/audit/events/${seq}`, { headers: { accept: 'application/json' }, cache: 'no-store' });
      const body = (await response.json().catch(() => null)) as (AuditChangeBody & { error?: string }) | null;
      if (response.ok && body) setLoad({ state: 'loaded', body });
      else setLoad({ state: 'failed', message: body?.error ?? `The server answered ${response.status}.` });
    } catch {
      setLoad({ state: 'failed', message: labels.unreachable });
    } finally {
      inFlight.current = false;
    }
  };

  const onToggle = (event: SyntheticEvent<HTMLDetailsElement>) => {
    if (event.currentTarget.open && load.state === 'idle') void fetchChange();
  };

  return sides.map((side) => (
    <details key={side} className="group mt-1 text-xs" onToggle={onToggle} data-side={side}>
      <summary className="cursor-pointer select-none text-brand-700 hover:underline">{labels[side]}</summary>
      {load.state === 'loaded' ? (
        load.body[side] === null ? (
          <p className="mt-1 text-slate-500">{labels.nothing}</p>
        ) : (
          <JsonPre text={load.body[side]} />
        )
      ) : load.state === 'failed' ? (
        <div role="alert" className="mt-1 rounded border border-red-200 bg-red-50 p-2 text-red-800">
          <p>
            {labels.failed} {load.message}
          </p>
          <button type="button" className="mt-1 font-medium text-brand-700 underline" onClick={() => void fetchChange()}>
            {labels.retry}
          </button>
        </div>
      ) : (
        <p role="status" aria-live="polite" className="mt-1 text-slate-500">
          {labels.loading}
        </p>
      )}
    </details>
  ));
}
