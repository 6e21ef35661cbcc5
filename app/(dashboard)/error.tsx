'use client';

import { Button } from '@/components/ui/button';

export default function DashboardError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div role="alert" className="mx-auto max-w-lg rounded-lg border border-red-200 bg-white p-6">
      <h1 className="text-base font-semibold text-red-800">This page could not be loaded</h1>
      <p className="mt-1 text-sm text-slate-600">
        Something went wrong on our side. Nothing was changed. Try again, and if it keeps happening, give this reference to
        support: <code className="font-mono">{error.digest ?? 'n/a'}</code>
      </p>
      <Button className="mt-4" variant="secondary" onClick={reset}>
        Try again
      </Button>
    </div>
  );
}
