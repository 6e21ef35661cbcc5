import type { Metadata } from 'next';
import { getLocale, getTranslations } from 'next-intl/server';
import { getDb } from '@/db';
import { listRefundLimits } from '@/db/queries/settings';
import { listUsers } from '@/db/queries/users';
import { ApprovalExpiryForm } from '@/components/admin/approval-expiry-form';
import { AddOverrideForm, LimitsRowForm } from '@/components/admin/limits-form';
import { Card, EmptyState, PageHeader } from '@/components/ui/card';
import { can } from '@/lib/auth/permissions';
import { requirePagePermission } from '@/lib/auth/session';
import { formatMoney, toDecimalString } from '@/lib/money';
import { approvalExpiryHours } from '@/db/queries/policy';
import { POLICY_CURRENCIES } from '@/lib/settings/schemas';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('admin.policy'))('title') };
}

/**
 * An amount as it is typed back: grouped the currency's own way ("1,000.00" for USD, "1 000,00"
 * for NOK), which lib/settings/schemas.ts reads back exactly (parseTypedAmount).
 */
function typed(amountMinor: number | null, currency: string) {
  if (amountMinor === null) return '';
  return new Intl.NumberFormat(currency === 'NOK' ? 'nb-NO' : 'en-US', {
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  }).format(toDecimalString(amountMinor, currency) as unknown as number);
}

export default async function PolicySettingsPage() {
  await requirePagePermission('settings.manage');
  const db = await getDb();
  const [limits, people, expiryHours] = await Promise.all([listRefundLimits(db), listUsers(db), approvalExpiryHours(db)]);
  const [t, status, locale] = await Promise.all([getTranslations('admin.policy'), getTranslations('status'), getLocale()]);
  const money = (amountMinor: number | null, currency: string) =>
    amountMinor === null ? '' : formatMoney(amountMinor, currency, locale);
  const defaults = new Map(limits.filter((l) => l.userId === null).map((l) => [l.currency, l]));
  const overrides = limits.filter((l) => l.userId !== null);
  const valuesOf = (row: (typeof limits)[number] | undefined, currency: string) => ({
    approvalThreshold: typed(row?.approvalThresholdMinor ?? null, currency),
    perRefund: typed(row?.perRefundMinor ?? null, currency),
    perDay: typed(row?.perDayMinor ?? null, currency),
  });
  const hintsOf = (row: (typeof limits)[number] | undefined, currency: string) => ({
    approvalThreshold: money(row?.approvalThresholdMinor ?? null, currency),
    perRefund: money(row?.perRefundMinor ?? null, currency),
    perDay: money(row?.perDayMinor ?? null, currency),
  });
  const requesters = people
    .filter((p) => p.active && can(p.role, 'refunds.create'))
    .map((p) => ({ id: p.id, label: t('requester', { name: p.name, role: status(`role.${p.role}`), email: p.email }) }));

  return (
    <>
      <PageHeader title={t('title')} description={t('description')} />
      <Card title={t('defaults')} className="mb-4">
        <div className="divide-y divide-slate-100">
          {POLICY_CURRENCIES.map((currency) => (
            <div key={currency} className="px-4 py-3">
              <h3 className="mb-2 text-sm font-medium text-slate-800">{currency}</h3>
              <LimitsRowForm
                idPrefix={`default-${currency}`}
                currency={currency}
                userId={null}
                values={valuesOf(defaults.get(currency), currency)}
                hints={hintsOf(defaults.get(currency), currency)}
              />
            </div>
          ))}
        </div>
      </Card>
      <Card title={t('overrides')} className="mb-4">
        {overrides.length === 0 ? (
          <EmptyState title={t('noOverrides')}>{t('noOverridesBody')}</EmptyState>
        ) : (
          <div className="divide-y divide-slate-100">
            {overrides.map((o) => (
              <div key={o.id} className="px-4 py-3">
                <h3 className="mb-2 text-sm font-medium text-slate-800">
                  {o.userName} <span className="font-normal text-slate-500">{o.userEmail}</span> · {o.currency}
                </h3>
                <LimitsRowForm
                  idPrefix={`override-${o.id}`}
                  currency={o.currency}
                  userId={o.userId}
                  values={valuesOf(o, o.currency)}
                  hints={hintsOf(defaults.get(o.currency), o.currency)}
                  inherits
                  onRemoveId={o.id}
                />
              </div>
            ))}
          </div>
        )}
        <div className="border-t border-slate-200">
          <AddOverrideForm requesters={requesters} currencies={POLICY_CURRENCIES} />
        </div>
      </Card>
      <Card title={t('approvals')}>
        <ApprovalExpiryForm hours={expiryHours} />
      </Card>
    </>
  );
}
