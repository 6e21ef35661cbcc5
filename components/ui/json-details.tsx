import type { ReactNode } from 'react';

// Secrets are never stored with provider exchanges; this is a second guard for what is shown.
const SECRET_KEY = /^(authorization|access_token|refresh_token|token|client_secret|secret|password|api[-_]?key|checksum)$/i;

function redact(value: unknown, depth = 0): unknown {
  if (depth > 20 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([k, v]) => [
      k,
      SECRET_KEY.test(k) ? '[redacted]' : redact(v, depth + 1),
    ]),
  );
}

/** A collapsed, pretty-printed JSON body: open it to read it, never dumped into the page. */
export function JsonDetails({ summary, value }: { summary: ReactNode; value: unknown }) {
  if (value === null || value === undefined) return null;
  const text = typeof value === 'string' ? value : JSON.stringify(redact(value), null, 2);
  return (
    <details className="group mt-1 text-xs">
      <summary className="cursor-pointer select-none text-brand-700 hover:underline">{summary}</summary>
      <pre className="mt-1 max-h-80 overflow-auto rounded border border-slate-200 bg-slate-50 p-2 font-mono text-[11px] leading-relaxed text-slate-800">
        {text}
      </pre>
    </details>
  );
}
