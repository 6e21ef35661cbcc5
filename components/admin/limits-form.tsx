'use client';

import { useTranslations } from 'next-intl';
import { useState, useTransition } from 'react';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { Field, Input, Select } from '@/components/ui/input';
import { removeLimitOverrideAction, updateLimitsAction } from '@/lib/settings/actions';

type FieldErrors = Record<string, string[]> | undefined;

interface LimitValues {
  approvalThreshold: string;
  perRefund: string;
  perDay: string;
}

const FIELDS = ['approvalThreshold', 'perRefund', 'perDay'] as const;

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
  hints,
  inherits = false,
  onRemoveId,
}: {
  idPrefix: string;
  currency: string;
  userId: string | null;
  values: LimitValues;
  /** Each figure in the reader's way with its currency ("$1,000.00", "1 000,00 kr"); for overrides, the default an empty field falls back to. */
  hints: LimitValues;
  inherits?: boolean;
  onRemoveId?: string;
}) {
  const t = useTranslations('admin.policy');
  const { pending, errors, message, run } = useSave();
  const [confirmingRemove, setConfirmingRemove] = useState(false);
  return (
    <form
      className="flex flex-wrap items-start gap-3"
      data-testid={`limits-${idPrefix}`}
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        const form = new FormData(event.currentTarget);
        run(() => updateLimitsAction(form), t('saved', { currency }));
      }}
    >
      <input type="hidden" name="currency" value={currency} />
      <input type="hidden" name="userId" value={userId ?? ''} />
      {FIELDS.map((field) => (
        <Field
          key={field}
          label={t('withCurrency', { label: t(field), currency })}
          error={errors?.[field]}
          hint={inherits ? t('inherit', { amount: hints[field] }) : hints[field] ? t('now', { amount: hints[field] }) : undefined}
          className="w-full min-[420px]:w-40"
        >
          <Input name={field} inputMode="decimal" defaultValue={values[field]} className="text-right tabular-nums" />
        </Field>
      ))}
      <div className="flex flex-wrap items-center gap-2 sm:pt-5">
        <Button type="submit" variant="secondary" disabled={pending}>
          {pending ? t('saving') : t('save')}
        </Button>
        {onRemoveId && (
          <Button type="button" variant="ghost" disabled={pending} onClick={() => setConfirmingRemove(true)}>
            {t('remove')}
          </Button>
        )}
        {onRemoveId && confirmingRemove && (
          <ConfirmDialog
            open
            onClose={() => setConfirmingRemove(false)}
            title={t('removeTitle')}
            description={t('removeConfirm')}
            confirmLabel={t('remove')}
            pending={pending}
            danger
            testId="remove-override-dialog"
            onConfirm={() => {
              setConfirmingRemove(false);
              run(() => removeLimitOverrideAction({ limitId: onRemoveId }), t('removed'));
            }}
          />
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
  const t = useTranslations('admin.policy');
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
          t('overrideSaved'),
          () => element.reset(),
        );
      }}
    >
      <Field label={t('agent')} error={errors?.userId} className="w-full sm:w-auto">
        <Select name="userId" className="sm:w-56" required defaultValue="">
          <option value="" disabled>
            {t('choose')}
          </option>
          {requesters.map((r) => (
            <option key={r.id} value={r.id}>
              {r.label}
            </option>
          ))}
        </Select>
      </Field>
      <Field label={t('currency')} error={errors?.currency}>
        <Select name="currency" className="w-24">
          {currencies.map((c) => (
            <option key={c}>{c}</option>
          ))}
        </Select>
      </Field>
      {FIELDS.map((field) => (
        <Field key={field} label={t(field)} error={errors?.[field]} className="w-full min-[420px]:w-32">
          <Input name={field} inputMode="decimal" className="text-right tabular-nums" placeholder={t('defaultPlaceholder')} />
        </Field>
      ))}
      <div className="flex flex-wrap items-center gap-2 sm:pt-5">
        <Button type="submit" variant="secondary" disabled={pending}>
          {pending ? t('saving') : t('addOverride')}
        </Button>
        <Message message={message} />
      </div>
    </form>
  );
}
