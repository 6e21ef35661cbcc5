import { getTranslations } from 'next-intl/server';
import { orderStatusEnum, PROVIDERS } from '@/db/schema/enums';
import { Button, ButtonLink } from '@/components/ui/button';
import { Field, Input, Select } from '@/components/ui/input';
import { PROVIDER_LABELS } from '@/lib/providers/labels';
import type { OrderSearchParams } from '@/lib/orders/schemas';

/** A plain GET form: the URL holds the filters, so a search can be bookmarked and shared. */
export async function OrderFilters({ params }: { params: OrderSearchParams }) {
  const [t, ts] = await Promise.all([getTranslations('orders.filters'), getTranslations('status')]);
  return (
    <form method="get" action="/orders" role="search" className="grid grid-cols-2 gap-3 p-4 md:grid-cols-6">
      <Field label={t('search')} className="col-span-2">
        <Input name="q" type="search" placeholder={t('searchPlaceholder')} defaultValue={params.q} />
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
      <Field label={t('status')}>
        <Select name="status" defaultValue={params.status ?? ''}>
          <option value="">{t('allStatuses')}</option>
          {orderStatusEnum.enumValues.map((s) => (
            <option key={s} value={s}>
              {ts(`order.${s}`)}
            </option>
          ))}
        </Select>
      </Field>
      <Field label={t('from')}>
        <Input name="from" type="date" defaultValue={params.from} />
      </Field>
      <Field label={t('to')}>
        <Input name="to" type="date" defaultValue={params.to} />
      </Field>
      <div className="col-span-2 flex items-end gap-2 md:col-span-6">
        <Button type="submit">{t('submit')}</Button>
        <ButtonLink href="/orders" variant="ghost">
          {t('clear')}
        </ButtonLink>
      </div>
    </form>
  );
}
