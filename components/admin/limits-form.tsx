'use client';

import { useState, useTransition } from 'react';
import { Button } from '@/components/ui/button';
import { Field, Input, Select } from '@/components/ui/input';
import { removeLimitOverrideAction, updateLimitsAction } from '@/lib/settings/actions';

type FieldErrors = Record<string, string[]> | undefined;

interface LimitValues {
  approvalThreshold: string;
  perRefund: string;
  perDay: string;
}

const FIELDS = [
  { name: 'approvalThreshold', label: 'Approval above' },
  { name: 'perRefund', label: 'Per refund' },
  { name: 'perDay', label: 'Per day' },
] as const;

function useSave() {
  const [pending, startTransition] = useTransition();
  const [errors, setErrors] = useState<FieldErrors>();
  const [message, setMessage] = useState<{ tone: 'ok' | 'error'; text: string } | null>(null);
  const run = (fn: () => ReturnType<typeof updateLimitsAction>, success: string, after?: () => void) =>
    startTransition(async () => {
      const result = await fn();
      setErrors(result.ok ? undefined : result.fieldErrors);
      setMessage(result.ok ? { tone: 'ok', text: success } : result.fieldErrors ? null : { tone: 'error', text: result.error });
      if (result.ok) after?.();
    });
  return { pending, errors, message, run };
}

function Message({ message }: { message: { tone: 'ok' | 'error'; text: string } | null }) {
  return (
    <p role="status" aria-live="polite" className={message?.tone === 'ok' ? 'text-xs text-emerald-700' : 'text-xs text-red-700'}>
      {message?.text}
    </p>
  );
}

/**
 * One row of limits (the defaults of a currency, or one agent's override), edited in place.
 * Amounts are typed in major units; the server turns them into minor units.
 */
export function LimitsRowForm({
  idPrefix,
  currency,
  userId,
  values,
  inheritHint,
  onRemoveId,
}: {
  idPrefix: string;
  currency: string;
  userId: string | null;
  values: LimitValues;
  /** For overrides: what an empty field falls back to. */
  inheritHint?: LimitValues;
  onRemoveId?: string;
}) {
  const { pending, errors, message, run } = useSave();
  return (
    <form
      className="flex flex-wrap items-start gap-3"
      data-testid={`limits-${idPrefix}`}
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        const form = new FormData(event.currentTarget);
        run(() => updateLimitsAction(form), `Saved ${currency} limits.`);
      }}
    >
      <input type="hidden" name="currency" value={currency} />
      <input type="hidden" name="userId" value={userId ?? ''} />
      {FIELDS.map((field) => (
        <Field
          key={field.name}
          label={`${field.label} (${currency})`}
          error={errors?.[field.name]}
          hint={inheritHint ? `Empty: default ${inheritHint[field.name]}` : undefined}
        >
          <Input
            name={field.name}
            inputMode="decimal"
            defaultValue={values[field.name]}
            className="w-36 text-right tabular-nums"
          />
        </Field>
      ))}
      <div className="flex items-center gap-2 pt-5">
        <Button type="submit" variant="secondary" disabled={pending}>
          {pending ? 'Saving…' : 'Save'}
        </Button>
        {onRemoveId && (
          <Button
            type="button"
            variant="ghost"
            disabled={pending}
            onClick={() => {
              if (!window.confirm('Remove this override? The agent falls back to the defaults.')) return;
              run(() => removeLimitOverrideAction({ limitId: onRemoveId }), 'Removed.');
            }}
          >
            Remove
          </Button>
        )}
        <Message message={message} />
      </div>
    </form>
  );
}

/** Adds a limits override for one agent in one currency. */
export function AddOverrideForm({
  requesters,
  currencies,
}: {
  requesters: { id: string; label: string }[];
  currencies: readonly string[];
}) {
  const { pending, errors, message, run } = useSave();
  return (
    <form
      className="flex flex-wrap items-start gap-3 p-4"
      data-testid="add-override"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        const form = new FormData(event.currentTarget);
        const element = event.currentTarget;
        run(
          () => updateLimitsAction(form),
          'Override saved.',
          () => element.reset(),
        );
      }}
    >
      <Field label="Agent" error={errors?.userId}>
        <Select name="userId" className="w-56" required defaultValue="">
          <option value="" disabled>
            Choose…
          </option>
          {requesters.map((r) => (
            <option key={r.id} value={r.id}>
              {r.label}
            </option>
          ))}
        </Select>
      </Field>
      <Field label="Currency" error={errors?.currency}>
        <Select name="currency" className="w-24">
          {currencies.map((c) => (
            <option key={c}>{c}</option>
          ))}
        </Select>
      </Field>
      {FIELDS.map((field) => (
        <Field key={field.name} label={field.label} error={errors?.[field.name]}>
          <Input name={field.name} inputMode="decimal" className="w-32 text-right tabular-nums" placeholder="default" />
        </Field>
      ))}
      <div className="flex items-center gap-2 pt-5">
        <Button type="submit" variant="secondary" disabled={pending}>
          {pending ? 'Saving…' : 'Add override'}
        </Button>
        <Message message={message} />
      </div>
    </form>
  );
}
