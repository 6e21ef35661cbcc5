import { getLocale, getTranslations } from 'next-intl/server';
import { PROVIDERS, refundReasonEnum, refundStatusEnum, type Role } from '@/db/schema/enums';
import { Button, ButtonLink } from '@/components/ui/button';
import { CleanGetForm } from '@/components/ui/clean-get-form';
import { Field, Input, Select } from '@/components/ui/input';
import { formatDate } from '@/lib/format';
import { PROVIDER_LABELS } from '@/lib/providers/labels';
import { DEFAULT_HISTORY_SORT, HISTORY_CURRENCIES, HISTORY_SORTS, type HistoryParams } from '@/lib/refunds/history-schema';

interface Person {
  id: string;
  name: string;
  role: Role;
  active: boolean;
}

/**
 * The history's filters. The URL holds them (a view can be bookmarked and shared) and only the
 * set ones (components/ui/clean-get-form.tsx). The twelve statuses sit in a disclosure so the
 * form stays a few rows high, on a phone too.
 */
export async function HistoryFilters({
  params,
  amounts,
  rangeError,
  people,
}: {
  params: HistoryParams;
  /** The amounts as the person typed them (kept even when the range is not applied). */
  amounts: { min?: string; max?: string };
  rangeError?: boolean;
  people: Person[];
}) {
  const [t, status, locale] = await Promise.all([getTranslations('history.filters'), getTranslations('status'), getLocale()]);
  const sortWords = await getTranslations('history.sort');
  const statuses = new Set(params.status ?? []);
  const amountProps = (name: 'min' | 'max') => ({
    inputMode: 'decimal' as const,
    placeholder: locale === 'nb' ? '0,00' : '0.00',
    'aria-invalid': rangeError ? true : undefined,
    'aria-describedby': rangeError ? 'amount-range-error' : 'amount-hint',
    name,
  });
  // A native date input shows the browser's own format; the chosen day is repeated in the page's.
  const dateHint = (value?: string) =>
    value ? t('chosenDate', { date: formatDate(`${value}T12:00:00Z`, locale) }) : t('dateHint');
  return (
    <CleanGetForm
      action="/refunds"
      defaults={{ sort: DEFAULT_HISTORY_SORT }}
      role="search"
      aria-label={t('label')}
      className="space-y-3 p-4"
    >
      <div className="grid grid-cols-2 gap-3 md:grid-cols-3 lg:grid-cols-4 2xl:grid-cols-6">
        <Field label={t('from')} hint={dateHint(params.from)}>
          <Input name="from" type="date" defaultValue={params.from} />
        </Field>
        <Field label={t('to')} hint={dateHint(params.to)}>
          <Input name="to" type="date" defaultValue={params.to} />
        </Field>
        <Field label={t('provider')}>
          <Select name="provider" defaultValue={params.provider ?? ''}>
            <option value="">{t('allProviders')}</option>
            {PROVIDERS.map((p) => (
              <option key={p} value={p}>
                {PROVIDER_LABELS[p]}
              </option>
            ))}
          </Select>
        </Field>
        <Field label={t('currency')}>
          <Select name="currency" defaultValue={params.currency ?? ''}>
            <option value="">{t('allCurrencies')}</option>
            {HISTORY_CURRENCIES.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </Select>
        </Field>
        <Field label={t('agent')}>
          <Select name="agent" defaultValue={params.agent ?? ''}>
            <option value="">{t('anyone')}</option>
            {people.map((p) => (
              <option key={p.id} value={p.id}>
                {t(p.active ? 'person' : 'personInactive', { name: p.name, role: status(`role.${p.role}`) })}
              </option>
            ))}
          </Select>
        </Field>
        <Field label={t('reason')}>
          <Select name="reason" defaultValue={params.reason ?? ''}>
            <option value="">{t('anyReason')}</option>
            {refundReasonEnum.enumValues.map((r) => (
              <option key={r} value={r}>
                {status(`reason.${r}`)}
              </option>
            ))}
          </Select>
        </Field>
        <Field label={t('min')}>
          <Input {...amountProps('min')} defaultValue={amounts.min} />
        </Field>
        <Field label={t('max')}>
          <Input {...amountProps('max')} defaultValue={amounts.max} />
        </Field>
        <Field label={t('order')} hint={t('orderHint')} className="col-span-2">
          <Input name="order" type="search" placeholder={t('orderPlaceholder')} defaultValue={params.order} />
        </Field>
        <Field label={t('sort')} className="col-span-2">
          <Select name="sort" defaultValue={params.sort}>
            {HISTORY_SORTS.map((value) => (
              <option key={value} value={value}>
                {sortWords(value)}
              </option>
            ))}
          </Select>
        </Field>
      </div>
      <p id="amount-hint" className="text-xs text-slate-500">
        {t('amountHint')}
      </p>
      <p id="amount-range-error" role="alert" className="text-sm text-red-700 empty:hidden">
        {rangeError ? t('rangeError') : null}
      </p>
      <details className="group rounded-md border border-slate-200" data-testid="history-status-filter" open={statuses.size > 0}>
        <summary className="flex min-h-10 cursor-pointer items-center justify-between gap-2 px-3 py-2 text-sm text-slate-800">
          <span>
            <span className="font-medium">{t('status')}</span>
            {': '}
            {statuses.size === 0 ? t('statusAll') : t('statusChosen', { count: statuses.size })}
          </span>
          <span aria-hidden="true" className="text-slate-500 group-open:rotate-180">
            ▾
          </span>
        </summary>
        <fieldset className="border-t border-slate-200 px-3 py-2">
          <legend className="sr-only">
            {t('status')} ({t('statusHint')})
          </legend>
          <div className="flex flex-wrap gap-2">
            {refundStatusEnum.enumValues.map((s) => (
              <label
                key={s}
                className="inline-flex min-h-9 cursor-pointer items-center gap-1.5 rounded-full border border-slate-300 px-3 py-1 text-sm text-slate-700 has-checked:border-brand-600 has-checked:bg-brand-50 has-checked:text-brand-900"
              >
                <input type="checkbox" name="status" value={s} defaultChecked={statuses.has(s)} className="size-4 rounded" />
                {status(`refund.${s}`)}
              </label>
            ))}
          </div>
          <p className="mt-1.5 text-xs text-slate-500">{t('statusHint')}</p>
        </fieldset>
      </details>
      <div className="flex flex-wrap items-end gap-2">
        <Button type="submit">{t('apply')}</Button>
        <ButtonLink href="/refunds" variant="ghost">
          {t('clear')}
        </ButtonLink>
      </div>
    </CleanGetForm>
  );
}
