'use client';

import { useRouter } from 'next/navigation';
import { useTranslations } from 'next-intl';
import { useState, useTransition } from 'react';
import type { Provider } from '@/db/schema/enum-values';
import { Button } from '@/components/ui/button';
import { Field, Input, Select } from '@/components/ui/input';
import { importOrderAction } from '@/lib/orders/actions';

/**
 * Imports an order that is not known locally yet, by its provider reference. The providers come
 * with their names from the page: the registry they are read from stays on the server.
 */
export function ImportOrderForm({ providers }: { providers: { id: Provider; label: string }[] }) {
  const router = useRouter();
  const t = useTranslations('orders.import');
  const [pending, startTransition] = useTransition();
  const [errors, setErrors] = useState<Record<string, string[]> | undefined>();
  const [message, setMessage] = useState<string | null>(null);
  return (
    <form
      className="flex flex-wrap items-end gap-3 p-4"
      onSubmit={(event) => {
        event.preventDefault();
        const form = new FormData(event.currentTarget);
        startTransition(async () => {
          const result = await importOrderAction(form);
          if (result.ok) {
            router.push(`/orders/${result.data.orderId}`);
            return;
          }
          setErrors(result.fieldErrors);
          setMessage(result.fieldErrors ? null : result.error);
        });
      }}
    >
      <Field label={t('provider')} error={errors?.provider}>
        <Select name="provider" defaultValue={providers[0]?.id} className="w-40">
          {providers.map((p) => (
            <option key={p.id} value={p.id}>
              {p.label}
            </option>
          ))}
        </Select>
      </Field>
      <Field label={t('reference')} className="min-w-0 flex-1 sm:flex-none" error={errors?.providerRef}>
        <Input name="providerRef" placeholder={t('referencePlaceholder')} className="w-full max-w-72 sm:w-72" required />
      </Field>
      <Button type="submit" variant="secondary" disabled={pending}>
        {pending ? t('importing') : t('submit')}
      </Button>
      <p role="status" aria-live="polite" className="w-full text-sm text-red-700">
        {message}
      </p>
    </form>
  );
}
