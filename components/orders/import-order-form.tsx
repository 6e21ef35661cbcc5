'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { PROVIDERS } from '@/db/schema/enums';
import { Button } from '@/components/ui/button';
import { Field, Input, Select } from '@/components/ui/input';
import { PROVIDER_LABELS } from '@/lib/format';
import { importOrderAction } from '@/lib/orders/actions';

/** Imports an order that is not known locally yet, by its provider reference. */
export function ImportOrderForm() {
  const router = useRouter();
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
      <Field label="Provider" error={errors?.provider}>
        <Select name="provider" defaultValue={PROVIDERS[0]} className="w-40">
          {PROVIDERS.map((p) => (
            <option key={p} value={p}>
              {PROVIDER_LABELS[p]}
            </option>
          ))}
        </Select>
      </Field>
      <Field label="Provider reference" error={errors?.providerRef}>
        <Input name="providerRef" placeholder="e.g. fg7a1b2c3d or ODR1700000003" className="w-72" required />
      </Field>
      <Button type="submit" variant="secondary" disabled={pending}>
        {pending ? 'Importing…' : 'Import order'}
      </Button>
      <p role="status" aria-live="polite" className="w-full text-sm text-red-700">
        {message}
      </p>
    </form>
  );
}
