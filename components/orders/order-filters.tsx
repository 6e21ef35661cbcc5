import { orderStatusEnum, PROVIDERS } from '@/db/schema/enums';
import { Button, ButtonLink } from '@/components/ui/button';
import { Field, Input, Select } from '@/components/ui/input';
import { ORDER_STATUS_LABELS } from '@/lib/format';
import { PROVIDER_LABELS } from '@/lib/providers/labels';
import type { OrderSearchParams } from '@/lib/orders/schemas';

/** A plain GET form: the URL holds the filters, so a search can be bookmarked and shared. */
export function OrderFilters({ params }: { params: OrderSearchParams }) {
  return (
    <form method="get" action="/orders" role="search" className="grid grid-cols-2 gap-3 p-4 md:grid-cols-6">
      <Field label="Search" className="col-span-2">
        <Input name="q" type="search" placeholder="Order no., provider ref, customer name or email" defaultValue={params.q} />
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
      <Field label="Status">
        <Select name="status" defaultValue={params.status ?? ''}>
          <option value="">All statuses</option>
          {orderStatusEnum.enumValues.map((s) => (
            <option key={s} value={s}>
              {ORDER_STATUS_LABELS[s]}
            </option>
          ))}
        </Select>
      </Field>
      <Field label="Placed from">
        <Input name="from" type="date" defaultValue={params.from} />
      </Field>
      <Field label="Placed to">
        <Input name="to" type="date" defaultValue={params.to} />
      </Field>
      <div className="col-span-2 flex items-end gap-2 md:col-span-6">
        <Button type="submit">Search</Button>
        <ButtonLink href="/orders" variant="ghost">
          Clear
        </ButtonLink>
      </div>
    </form>
  );
}
