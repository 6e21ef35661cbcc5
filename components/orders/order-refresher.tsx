'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import { refreshOrderAction } from '@/lib/orders/actions';
import { formatDateTime } from '@/lib/format';

type State = { kind: 'loading' } | { kind: 'done'; changed: boolean; at: string } | { kind: 'error'; message: string };

/** Refreshes the order from its provider when the page opens, so refunds made elsewhere show up. */
export function OrderRefresher({
  orderId,
  providerLabel,
  syncedAt,
}: {
  orderId: string;
  providerLabel: string;
  syncedAt: string;
}) {
  const router = useRouter();
  const [state, setState] = useState<State>({ kind: 'loading' });
  useEffect(() => {
    let cancelled = false;
    void refreshOrderAction({ orderId }).then((result) => {
      if (cancelled) return;
      if (!result.ok) return setState({ kind: 'error', message: result.error });
      setState({ kind: 'done', changed: result.data.changes.length > 0, at: result.data.syncedAt });
      if (result.data.changes.length > 0) router.refresh();
    });
    return () => {
      cancelled = true;
    };
  }, [orderId, router]);
  return (
    <p role="status" aria-live="polite" className="text-xs text-slate-500" data-testid="order-sync">
      {state.kind === 'loading' && `Checking ${providerLabel} for changes…`}
      {state.kind === 'done' &&
        `${state.changed ? 'Updated from' : 'Up to date with'} ${providerLabel} · ${formatDateTime(state.at)}`}
      {state.kind === 'error' && (
        <span className="text-amber-800">
          Could not reach {providerLabel}: {state.message} Showing what we had at {formatDateTime(syncedAt)}.
        </span>
      )}
    </p>
  );
}
