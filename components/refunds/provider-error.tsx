import type { Provider } from '@/db/schema/enums';
import { providerProfile } from '@/lib/providers/registry';

export function describeProviderError(provider: Provider, code: string) {
  return providerProfile(provider).describeError(code);
}

const CODE = /^[A-Za-z][\w.-]*$/;

/**
 * A provider error as a plain sentence with the raw code beside it. Some providers send a
 * sentence rather than a code (Forage's `last_processing_error`); that is shown as it came.
 */
export function ProviderError({ provider, error, className }: { provider: Provider; error: string; className?: string }) {
  if (!CODE.test(error)) return <span className={className}>{error}</span>;
  return (
    <span className={className}>
      {describeProviderError(provider, error).message}{' '}
      <code className="rounded bg-slate-100 px-1 py-px font-mono text-[11px] text-slate-700">{error}</code>
    </span>
  );
}
