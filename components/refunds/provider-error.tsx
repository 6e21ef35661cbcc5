import type { Provider } from '@/db/schema/enums';
import { reasonWords } from './reason-words';

const CODE = /^[A-Za-z][\w.-]*$/;

/**
 * A provider error as a plain sentence in the reader's language with the raw code beside it. Some
 * providers send a sentence rather than a code (Forage's `last_processing_error`); that is shown as
 * it came.
 */
export async function ProviderError({ provider, error, className }: { provider: Provider; error: string; className?: string }) {
  if (!CODE.test(error)) return <span className={className}>{error}</span>;
  const said = await reasonWords();
  return (
    <span className={className}>
      {said.providerError(provider, error).message}{' '}
      <code className="rounded bg-slate-100 px-1 py-px font-mono text-[11px] break-all text-slate-700">{error}</code>
    </span>
  );
}
