'use client';

import { lazy, Suspense } from 'react';
import type { RefundStatus } from '@/db/schema/enum-values';
import { RefundStatusDisplay } from './refund-status-display';

export interface RefundStatusLiveProps {
  refundId: string;
  /** `final` comes from the lifecycle on the server (lib/refunds/lifecycle.ts `isFinal`). */
  initial: { status: RefundStatus; final: boolean; statusReason: string | null; providerErrorCode: string | null };
  refresh?: 'final' | 'change' | 'never';
  layout?: 'stacked' | 'inline';
  showReason?: boolean;
  testId?: string;
}

// TanStack Query and the polling load only when a status must stay live: most refunds on screen
// are final, and their pages need neither.
const RefundStatusPoller = lazy(() => import('./refund-status-poller'));

/**
 * A refund's status, kept current while it is not final (./refund-status-poller.tsx polls it and
 * refreshes the page as it moves). Until the poller's chunk has loaded, the status as the server
 * rendered it is shown, in the same place and words.
 */
export function RefundStatusLive(props: RefundStatusLiveProps) {
  const { refundId, initial, layout, showReason = true, testId } = props;
  const still = (
    <span className="inline-flex flex-col items-start gap-0.5" data-refund-id={refundId}>
      <RefundStatusDisplay
        status={initial.status}
        statusReason={initial.statusReason}
        providerErrorCode={initial.providerErrorCode}
        layout={layout}
        showReason={showReason}
        testId={testId}
      />
    </span>
  );
  if (initial.final) return still;
  return (
    <Suspense fallback={still}>
      <RefundStatusPoller {...props} />
    </Suspense>
  );
}
