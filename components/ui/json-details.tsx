import type { ReactNode } from 'react';
import { jsonText } from '@/lib/json-text';

/** A collapsed, pretty-printed JSON body: open it to read it, never dumped into the page. */
export function JsonDetails({ summary, value }: { summary: ReactNode; value: unknown }) {
  const text = jsonText(value);
  if (text === null) return null;
  return (
    <details className="group mt-1 text-xs">
      <summary className="cursor-pointer select-none text-brand-700 hover:underline">{summary}</summary>
      <JsonPre text={text} />
    </details>
  );
}

export function JsonPre({ text }: { text: string }) {
  return (
    <pre className="mt-1 max-h-80 overflow-auto rounded border border-slate-200 bg-slate-50 p-2 font-mono text-[11px] leading-relaxed text-slate-800">
      {text}
    </pre>
  );
}
