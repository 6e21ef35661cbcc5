import { QueryClient, QueryClientProvider, useQuery } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useTranslations } from 'next-intl';
import { useEffect, useRef, useState } from 'react';
import type { RefundStatus } from '@/db/schema/enums';
import type { RefundStatusView } from '@/lib/refunds/types';
import { RefundStatusDisplay } from './refund-status-display';
import type { RefundStatusLiveProps } from './refund-status-live';

const POLL_MS = 1_500;
/** How long a refund may sit approved or sending before the agent is told why it waits. */
const SLOW_MS = 20_000;
const WAITING: RefundStatus[] = ['approved', 'submitting'];

async function fetchStatus(refundId: string, signal: AbortSignal): Promise<RefundStatusView> {
  const response = await fetch(`/api/refunds/${refundId}/status`, {
    signal,
    cache: 'no-store',
    headers: { accept: 'application/json' },
  });
  if (!response.ok) throw new Error(`status ${response.status}`);
  return (await response.json()) as RefundStatusView;
}

let browserClient: QueryClient | undefined;

/**
 * One client for every live status on the page (two showing the same refund share one poll), kept
 * across client-side navigations as a layout's would be. The server renders with a fresh one each
 * time: nothing may leak from one request into another.
 */
function queryClient() {
  const make = () => new QueryClient({ defaultOptions: { queries: { staleTime: 5_000, retry: 1 } } });
  if (typeof window === 'undefined') return make();
  return (browserClient ??= make());
}

/**
 * TanStack Query and the polling itself: loaded by ./refund-status-live.tsx only for a refund that
 * is not final, so pages that show only settled refunds do not ship it.
 */
export default function RefundStatusPoller(props: RefundStatusLiveProps) {
  return (
    <QueryClientProvider client={queryClient()}>
      <Poller {...props} />
    </QueryClientProvider>
  );
}

/**
 * A refund's status that keeps itself current: polls the status endpoint every 1.5 s until the
 * refund is final, then stops. `refresh` re-renders the server page when the refund settles
 * (`final`, once: the order's figures change) or on every status change (the refund page's timeline).
 */
function Poller({ refundId, initial, refresh = 'final', layout, showReason = true, testId }: RefundStatusLiveProps) {
  const router = useRouter();
  const t = useTranslations('refunds.live');
  const initiallyFinal = initial.final;
  const query = useQuery({
    queryKey: ['refund-status', refundId],
    queryFn: ({ signal }) => fetchStatus(refundId, signal),
    enabled: !initiallyFinal,
    staleTime: 0,
    refetchInterval: (q) => (q.state.data?.final ? false : POLL_MS),
  });
  const view = query.data;

  const refreshedFinal = useRef(false);
  const refreshedFor = useRef<RefundStatus>(initial.status);
  useEffect(() => {
    if (!view || refresh === 'never') return;
    if (view.final && !initiallyFinal && !refreshedFinal.current) {
      refreshedFinal.current = true;
      router.refresh();
    } else if (refresh === 'change' && !view.final && view.status !== initial.status && view.status !== refreshedFor.current) {
      refreshedFor.current = view.status;
      router.refresh();
    }
  }, [view, refresh, initiallyFinal, initial.status, router]);

  // Once the server renders a final status (after an action and a refresh), the query stops and
  // its last answer is older than the page: the page wins.
  const shown = initiallyFinal ? initial : (view ?? initial);

  return (
    <span
      className="inline-flex flex-col items-start gap-0.5"
      data-refund-id={refundId}
      data-polling={query.isFetching || undefined}
    >
      <RefundStatusDisplay
        status={shown.status}
        statusReason={shown.statusReason}
        providerErrorCode={shown.providerErrorCode}
        layout={layout}
        showReason={showReason}
        testId={testId}
      />
      {WAITING.includes(shown.status) && <SlowHint key={shown.status} text={t('slow')} />}
      {query.isError && !view?.final && <span className="text-xs text-slate-500">{t('unavailable')}</span>}
    </span>
  );
}

/**
 * A refund that stays approved or sending (the provider slow to answer, a read failing and being
 * retried) says so after a while instead of looking stuck. Keyed by status: the clock restarts
 * when the status moves.
 */
function SlowHint({ text }: { text: string }) {
  const [slow, setSlow] = useState(false);
  useEffect(() => {
    const timer = setTimeout(() => setSlow(true), SLOW_MS);
    return () => clearTimeout(timer);
  }, []);
  if (!slow) return null;
  return (
    <span role="status" className="max-w-sm text-xs text-slate-600" data-testid="refund-slow-hint">
      {text}
    </span>
  );
}
