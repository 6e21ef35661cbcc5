'use client';

import { useState, useTransition } from 'react';
import { Button } from '@/components/ui/button';
import { verifyAuditChainAction } from '@/lib/audit/actions';
import { cn } from '@/lib/cn';

type Outcome = Awaited<ReturnType<typeof verifyAuditChainAction>>;

const TONE = { ok: 'text-emerald-700', problem: 'text-red-700', caution: 'text-amber-700' } as const;
const MARK = { ok: '✓', problem: '✗', caution: '!' } as const;

/** The chain's report (headline, findings), said by the action in the reader's language (lib/audit/said.ts). */
export function VerifyChainButton({ label, pendingLabel }: { label: string; pendingLabel: string }) {
  const [result, setResult] = useState<Outcome | null>(null);
  const [pending, startTransition] = useTransition();
  const report = !pending && result?.ok ? result.data : null;
  return (
    <div className="flex flex-col items-end gap-2 max-sm:order-last max-sm:w-full max-sm:items-start">
      <div className="flex items-center gap-3">
        <div role="status" aria-live="polite" className="text-sm" data-testid="verify-result">
          {pending && pendingLabel}
          {!pending && result && !result.ok && <span className="text-red-700">{result.error}</span>}
          {report && <span className={report.ok ? TONE.ok : TONE.problem}>{report.headline}</span>}
        </div>
        <Button
          variant="secondary"
          disabled={pending}
          onClick={() => startTransition(async () => setResult(await verifyAuditChainAction({})))}
        >
          {label}
        </Button>
      </div>
      {report && report.findings.length > 0 && (
        <ul className="max-w-2xl space-y-1 text-sm" data-testid="verify-findings">
          {report.findings.map((finding, index) => (
            <li key={index} className={cn('flex gap-2', TONE[finding.tone])} data-tone={finding.tone}>
              <span aria-hidden="true">{MARK[finding.tone]}</span>
              <span>{finding.text}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
