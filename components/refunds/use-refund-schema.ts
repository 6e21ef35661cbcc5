import { useEffect, useState } from 'react';
import type { RefundSchema } from './refund-form-model';

let loading: Promise<RefundSchema> | null = null;

/** Starts loading the schema once per page; a failed load is tried again by the next caller. */
export function loadRefundSchema(): Promise<RefundSchema> {
  loading ??= import('./refund-schema').then(
    (module) => module.createRefundInput,
    (error: unknown) => {
      loading = null;
      throw error;
    },
  );
  return loading;
}

/**
 * The server's refund schema for the form's checks: null until its chunk has loaded, which starts
 * as soon as the form is on screen (long before anyone has filled it in).
 */
export function useRefundSchema(): { schema: RefundSchema | null; failed: boolean; retry: () => void } {
  const [schema, setSchema] = useState<RefundSchema | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let live = true;
    loadRefundSchema().then(
      (loaded) => live && setSchema(() => loaded),
      () => live && setFailed(true),
    );
    return () => {
      live = false;
    };
  }, [attempt]);
  return {
    schema,
    failed: failed && !schema,
    retry: () => {
      setFailed(false);
      setAttempt((n) => n + 1);
    },
  };
}
