import { PROVIDERS, refundReasonEnum, refundStatusEnum, type Role } from '@/db/schema/enums';
import { Button, ButtonLink } from '@/components/ui/button';
import { Field, Input, Select } from '@/components/ui/input';
import { REFUND_STATUS_LABELS, ROLE_LABELS } from '@/lib/format';
import { PROVIDER_LABELS } from '@/lib/providers/labels';
import { HISTORY_CURRENCIES, type HistoryParams, type HistorySort } from '@/lib/refunds/history-schema';
import { REASON_LABELS } from '@/lib/refunds/constants';

export const SORT_LABELS: Record<HistorySort, string> = {
  created_desc: 'Newest first',
  created_asc: 'Oldest first',
  amount_desc: 'Largest amount first',
  amount_asc: 'Smallest amount first',
};

interface Person {
  id: string;
  name: string;
  role: Role;
  active: boolean;
}

/** A plain GET form: the URL holds the filters, so a history view can be bookmarked and shared. */
export function HistoryFilters({
  params,
  amounts,
  rangeError,
  people,
}: {
  params: HistoryParams;
  /** The amounts as the person typed them (kept even when the range is not applied). */
  amounts: { min?: string; max?: string };
  rangeError?: string;
  people: Person[];
}) {
  const statuses = new Set(params.status ?? []);
  const amountProps = (name: 'min' | 'max') => ({
    inputMode: 'decimal' as const,
    placeholder: '0.00',
    'aria-invalid': rangeError ? true : undefined,
    'aria-describedby': rangeError ? 'amount-range-error' : 'amount-hint',
    name,
  });
  return (
    <form method="get" action="/refunds" role="search" aria-label="Filter refunds" className="space-y-3 p-4">
      <div className="grid grid-cols-2 gap-3 md:grid-cols-6">
        <Field label="Requested from">
          <Input name="from" type="date" defaultValue={params.from} />
        </Field>
        <Field label="Requested to">
          <Input name="to" type="date" defaultValue={params.to} />
        </Field>
        <Field label="Provider">
          <Select name="provider" defaultValue={params.provider ?? ''}>
            <option value="">All providers</option>
            {PROVIDERS.map((p) => (
              <option key={p} value={p}>
                {PROVIDER_LABELS[p]}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Currency">
          <Select name="currency" defaultValue={params.currency ?? ''}>
            <option value="">All currencies</option>
            {HISTORY_CURRENCIES.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Requested by">
          <Select name="agent" defaultValue={params.agent ?? ''}>
            <option value="">Anyone</option>
            {people.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name} ({ROLE_LABELS[p.role]}
                {p.active ? '' : ', inactive'})
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Reason (any line)">
          <Select name="reason" defaultValue={params.reason ?? ''}>
            <option value="">Any reason</option>
            {refundReasonEnum.enumValues.map((r) => (
              <option key={r} value={r}>
                {REASON_LABELS[r]}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Amount from">
          <Input {...amountProps('min')} defaultValue={amounts.min} />
        </Field>
        <Field label="Amount to">
          <Input {...amountProps('max')} defaultValue={amounts.max} />
        </Field>
        <Field label="Order" className="col-span-2">
          <Input name="order" type="search" placeholder="Order no. or provider ref (or its start)" defaultValue={params.order} />
        </Field>
        <Field label="Sort" className="col-span-2">
          <Select name="sort" defaultValue={params.sort}>
            {Object.entries(SORT_LABELS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </Select>
        </Field>
      </div>
      <p id="amount-hint" className="text-xs text-slate-500">
        Amounts are compared as numbers whatever the currency: 10.00 matches $10.00 and 10,00 kr alike. Pick a currency to compare
        like with like.
      </p>
      <p id="amount-range-error" role="alert" className="text-sm text-red-700 empty:hidden">
        {rangeError}
      </p>
      <fieldset>
        <legend className="mb-1 text-xs font-medium text-slate-600">Status (none checked: all)</legend>
        <div className="flex flex-wrap gap-x-4 gap-y-1.5">
          {refundStatusEnum.enumValues.map((s) => (
            <label key={s} className="inline-flex items-center gap-1.5 text-sm text-slate-700">
              <input type="checkbox" name="status" value={s} defaultChecked={statuses.has(s)} className="size-4 rounded" />
              {REFUND_STATUS_LABELS[s]}
            </label>
          ))}
        </div>
      </fieldset>
      <div className="flex items-end gap-2">
        <Button type="submit">Apply filters</Button>
        <ButtonLink href="/refunds" variant="ghost">
          Clear
        </ButtonLink>
      </div>
    </form>
  );
}
