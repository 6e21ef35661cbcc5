'use client';

import { useState, useTransition } from 'react';
import { Button } from '@/components/ui/button';
import { verifyAuditChainAction } from '@/lib/audit/actions';

type Outcome = Awaited<ReturnType<typeof verifyAuditChainAction>>;

export function VerifyChainButton() {
  const [result, setResult] = useState<Outcome | null>(null);
  const [pending, startTransition] = useTransition();
  return (
    <div className="flex items-center gap-3">
      <div role="status" aria-live="polite" className="text-sm" data-testid="verify-result">
        {pending && 'Verifying every event…'}
        {!pending && result && !result.ok && <span className="text-red-700">{result.error}</span>}
        {!pending && result?.ok && result.data.ok && (
          <span className="text-emerald-700">Chain intact: {result.data.verified.toLocaleString('en-US')} events verified.</span>
        )}
        {!pending && result?.ok && !result.data.ok && (
          <span className="text-red-700">
            Broken at event #{result.data.firstBreak.seq} ({result.data.firstBreak.id}): {result.data.firstBreak.message}
          </span>
        )}
      </div>
      <Button
        variant="secondary"
        disabled={pending}
        onClick={() => startTransition(async () => setResult(await verifyAuditChainAction({})))}
      >
        Verify chain
      </Button>
    </div>
  );
}
