'use client';

import { useTranslations } from 'next-intl';
import { useRef, useState, type ReactNode } from 'react';
import type { RefundFormData } from '@/lib/refunds/types';
import { RefundForm } from './refund-form';
import { RefundResultNotice, type RefundResult } from './refund-form-parts';

/**
 * The refund form, or why no refund can be made now, with the last refund's result above it. The
 * result lives here rather than in the form: after a success the page refreshes, and a
 * Frontpayment order then blocks new refunds while that one is in flight, which replaces the form.
 * The form's table lists the order's products; when there is no form, `linesTable` does.
 */
export function RefundArea({ data, linesTable }: { data: RefundFormData; linesTable?: ReactNode }) {
  const t = useTranslations('refunds.form');
  const [result, setResult] = useState<RefundResult | null>(null);
  const resultRef = useRef<HTMLDivElement>(null);
  return (
    <div className="mb-4">
      {result && <RefundResultNotice ref={resultRef} result={result} data={data} />}
      {data.blocker ? (
        <>
          <section
            aria-labelledby="refund-blocked-title"
            data-testid="refund-blocker"
            className="mb-4 rounded-lg border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-900"
          >
            <h2 id="refund-blocked-title" className="font-semibold">
              {t('blockedTitle')}
            </h2>
            <p className="mt-0.5">{data.blocker}</p>
          </section>
          {linesTable}
        </>
      ) : (
        <RefundForm
          data={data}
          onCreated={(created) => {
            setResult(created);
            if (created) requestAnimationFrame(() => resultRef.current?.focus());
          }}
        />
      )}
    </div>
  );
}
