import { getLocale, getTranslations } from 'next-intl/server';
import type { ReactNode } from 'react';
import { getDb } from '@/db';
import type { Role } from '@/db/schema/enums';
import { can } from '@/lib/auth/permissions';
import { getRefundFormData } from '@/lib/refunds/form-data';
import type { RefundFormData } from '@/lib/refunds/types';
import { RefundArea } from './refund-area';

/**
 * The refund form for one order, or the reason no refund can be made right now. Only for roles
 * that may create refunds; the action checks the permission again on the server. The form's
 * table is the order's product table; `linesTable` (read only) is shown instead when no refund
 * can be made, so the products are listed once either way.
 */
export async function RefundPanel({
  orderId,
  user,
  linesTable,
}: {
  orderId: string;
  user: { id: string; role: Role };
  linesTable: ReactNode;
}) {
  if (!can(user.role, 'refunds.create')) return linesTable;
  const data = await getRefundFormData(await getDb(), orderId, user);
  if (!data) return linesTable;
  return <RefundArea data={await localized(data)} linesTable={linesTable} />;
}

/** The form's sentences that come from the server (why it is blocked, tenders, the provider's rule) in the reader's language. */
async function localized(data: RefundFormData): Promise<RefundFormData> {
  const [te, ts, tr, locale] = await Promise.all([
    getTranslations('errors'),
    getTranslations('status'),
    getTranslations('refunds.form'),
    getLocale(),
  ]);
  const tender = (value: RefundFormData['lines'][number]['tender']) => (value ? ts(`tender.${value}`) : tr('chosenPayment'));
  return {
    ...data,
    locale,
    blocker: data.block ? te('code.order_not_refundable', data.block) : data.blocker,
    lines: data.lines.map((line) => ({ ...line, tenderLabel: tender(line.tender) })),
    paymentChoices: data.paymentChoices.map((choice) => ({ ...choice, label: `${ts(`tender.${choice.tender}`)} ${choice.ref}` })),
    rules: {
      ...data.rules,
      note: data.rules.wholeUnitsOnly
        ? tr('rules.wholeUnits', { provider: data.providerLabel })
        : data.rules.amountPerLine
          ? tr('rules.amountPerLine', { provider: data.providerLabel })
          : data.rules.note,
    },
  };
}

export function RefundPanelSkeleton({ label }: { label: string }) {
  return (
    <div aria-busy="true" className="mb-4 h-56 animate-pulse rounded-lg border border-slate-200 bg-white">
      <span className="sr-only">{label}</span>
    </div>
  );
}
