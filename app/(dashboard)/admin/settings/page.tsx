import type { Metadata } from 'next';
import { getDb } from '@/db';
import { listRefundLimits } from '@/db/queries/settings';
import { listUsers } from '@/db/queries/users';
import { ApprovalExpiryForm } from '@/components/admin/approval-expiry-form';
import { AddOverrideForm, LimitsRowForm } from '@/components/admin/limits-form';
import { Card, EmptyState, PageHeader } from '@/components/ui/card';
import { can } from '@/lib/auth/permissions';
import { requirePagePermission } from '@/lib/auth/session';
import { ROLE_LABELS } from '@/lib/format';
import { toDecimalString } from '@/lib/money';
import { approvalExpiryHours } from '@/db/queries/policy';
import { POLICY_CURRENCIES } from '@/lib/settings/schemas';

export const metadata: Metadata = { title: 'Refund policy' };

function decimal(amountMinor: number | null, currency: string) {
  return amountMinor === null ? '' : toDecimalString(amountMinor, currency);
}

export default async function PolicySettingsPage() {
  await requirePagePermission('settings.manage');
  const db = await getDb();
  const [limits, people, expiryHours] = await Promise.all([listRefundLimits(db), listUsers(db), approvalExpiryHours(db)]);
  const defaults = new Map(limits.filter((l) => l.userId === null).map((l) => [l.currency, l]));
  const overrides = limits.filter((l) => l.userId !== null);
  const valuesOf = (row: (typeof limits)[number] | undefined, currency: string) => ({
    approvalThreshold: decimal(row?.approvalThresholdMinor ?? null, currency),
    perRefund: decimal(row?.perRefundMinor ?? null, currency),
    perDay: decimal(row?.perDayMinor ?? null, currency),
  });
  const requesters = people
    .filter((p) => p.active && can(p.role, 'refunds.create'))
    .map((p) => ({ id: p.id, label: `${p.name} (${ROLE_LABELS[p.role]}, ${p.email})` }));

  return (
    <>
      <PageHeader
        title="Refund policy"
        description="A request above the approval threshold, above the requester's limit for one refund, or beyond what remains of their daily limit waits for a manager. Every change is recorded in the audit log with its values before and after."
      />
      <Card title="Defaults for everyone" className="mb-4">
        <div className="divide-y divide-slate-100">
          {POLICY_CURRENCIES.map((currency) => (
            <div key={currency} className="px-4 py-3">
              <h3 className="mb-2 text-sm font-medium text-slate-800">{currency}</h3>
              <LimitsRowForm
                idPrefix={`default-${currency}`}
                currency={currency}
                userId={null}
                values={valuesOf(defaults.get(currency), currency)}
              />
            </div>
          ))}
        </div>
      </Card>
      <Card title="Limits for one agent" className="mb-4">
        {overrides.length === 0 ? (
          <EmptyState title="No overrides">Everyone uses the defaults above.</EmptyState>
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
                  inheritHint={valuesOf(defaults.get(o.currency), o.currency)}
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
      <Card title="Approvals">
        <ApprovalExpiryForm hours={expiryHours} />
      </Card>
    </>
  );
}
