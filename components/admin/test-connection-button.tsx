'use client';

import { useState, useTransition } from 'react';
import type { Provider } from '@/db/schema/enums';
import { Button } from '@/components/ui/button';
import { testProviderConnectionAction } from '@/lib/providers/actions';

type Outcome = Awaited<ReturnType<typeof testProviderConnectionAction>>;

export function TestConnectionButton({ provider, label }: { provider: Provider; label: string }) {
  const [result, setResult] = useState<Outcome | null>(null);
  const [pending, startTransition] = useTransition();
  return (
    <div className="flex flex-wrap items-center gap-3">
      <Button
        variant="secondary"
        disabled={pending}
        aria-label={`Test connection to ${label}`}
        onClick={() => startTransition(async () => setResult(await testProviderConnectionAction({ provider })))}
      >
        {pending ? 'Testing…' : 'Test connection'}
      </Button>
      <p role="status" aria-live="polite" className="text-sm" data-testid={`connection-${provider}`}>
        {!pending && result && !result.ok && <span className="text-red-700">{result.error}</span>}
        {!pending && result?.ok && result.data.ok && (
          <span className="text-emerald-700">Connected: signed in and answered in {result.data.latencyMs} ms.</span>
        )}
        {!pending && result?.ok && !result.data.ok && <span className="text-red-700">Not connected: {result.data.detail}</span>}
      </p>
    </div>
  );
}
