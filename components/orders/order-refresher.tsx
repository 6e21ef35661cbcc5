'use client';

import { useRouter } from 'next/navigation';
import { useLocale, useTranslations } from 'next-intl';
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
  const t = useTranslations('orders.sync');
  const locale = useLocale();
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
      {state.kind === 'loading' && t('checking', { provider: providerLabel })}
      {state.kind === 'done' &&
        t(state.changed ? 'updated' : 'upToDate', { provider: providerLabel, at: formatDateTime(state.at, locale) })}
      {state.kind === 'error' && (
        <span className="text-amber-800">
          {t('failed', { provider: providerLabel, message: state.message, at: formatDateTime(syncedAt, locale) })}
        </span>
      )}
    </p>
  );
}
