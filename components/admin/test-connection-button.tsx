'use client';

import { useState, useTransition } from 'react';
import type { Provider } from '@/db/schema/enums';
import { Button } from '@/components/ui/button';
import { testProviderConnectionAction } from '@/lib/providers/actions';

type Outcome = Awaited<ReturnType<typeof testProviderConnectionAction>>;

/** The words, translated on the server; `connected` holds "{ms}" and `notConnected` "{detail}" to fill in. */
export interface TestConnectionWords {
  test: string;
  testing: string;
  testTo: string;
  connected: string;
  notConnected: string;
}

export function TestConnectionButton({ provider, words }: { provider: Provider; words: TestConnectionWords }) {
  const [result, setResult] = useState<Outcome | null>(null);
  const [pending, startTransition] = useTransition();
  return (
    <div className="flex flex-wrap items-center gap-3">
      <Button
        variant="secondary"
        disabled={pending}
        aria-label={words.testTo}
        onClick={() => startTransition(async () => setResult(await testProviderConnectionAction({ provider })))}
      >
        {pending ? words.testing : words.test}
      </Button>
      <p role="status" aria-live="polite" className="text-sm" data-testid={`connection-${provider}`}>
        {!pending && result && !result.ok && <span className="text-red-700">{result.error}</span>}
        {!pending && result?.ok && result.data.ok && (
          <span className="text-emerald-700">{words.connected.replace('{ms}', String(result.data.latencyMs))}</span>
        )}
        {!pending && result?.ok && !result.data.ok && (
          <span className="text-red-700">{words.notConnected.replace('{detail}', result.data.detail)}</span>
        )}
      </p>
    </div>
  );
}
