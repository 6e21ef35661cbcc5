'use client';

import { useTranslations } from 'next-intl';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { formatMoney } from '@/lib/money';
import type { RefundFormData } from '@/lib/refunds/types';
import type { ApprovalCheck, ResolvedLine } from './refund-form-model';

/** The last step before money moves: names the amount, the customer, the tenders and any approval. */
export function RefundConfirmDialog({
  open,
  pending,
  data,
  totalMinor,
  split,
  approval,
  lines,
  onConfirm,
  onCancel,
}: {
  open: boolean;
  pending: boolean;
  data: RefundFormData;
  totalMinor: number;
  split: { label: string; amountMinor: number }[];
  approval: ApprovalCheck[];
  lines: ResolvedLine[];
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const t = useTranslations('refunds.confirm');
  const ts = useTranslations('status');
  const money = (minor: number) => formatMoney(minor, data.currency, data.locale);
  const provider = data.providerLabel;
  // "Refund $12.47 to Maria Lopez (EBT SNAP $8.98, Card $3.49)?"
  const parts = split.map((p) => `${p.label} ${money(p.amountMinor)}`).join(', ');
  const sentence = t('sentence', { amount: money(totalMinor), customer: data.customerName, parts: parts || 'none' });
  return (
    <Dialog
      open={open}
      onClose={onCancel}
      dismissible={!pending}
      testId="refund-confirm-dialog"
      title={t('title', { number: data.orderNumber })}
      description={<p className="text-base font-medium text-slate-900">{sentence}</p>}
      footer={
        <>
          {/* Focus starts on Cancel: Enter on an opened dialog must not move money. */}
          <Button type="button" variant="secondary" onClick={onCancel} disabled={pending} data-autofocus>
            {t('cancel')}
          </Button>
          <Button type="button" onClick={onConfirm} disabled={pending} data-testid="refund-confirm">
            {pending ? t('sending') : approval.length > 0 ? t('request') : t('refund', { amount: money(totalMinor) })}
          </Button>
        </>
      }
    >
      <ul className="divide-y divide-slate-100 rounded border border-slate-200">
        {lines.map(({ line, state, quantity, amountMinor }) => (
          <li key={line.orderLineId} className="flex justify-between gap-3 px-3 py-1.5">
            <span className="min-w-0">
              {line.name}
              <span className="text-slate-500">
                {' '}
                · {quantity ? t('units', { count: quantity }) : t('priceAdjustment')}
                {state.reason ? ` · ${ts(`reason.${state.reason}`)}` : ''}
              </span>
            </span>
            <span className="tabular-nums whitespace-nowrap">{money(amountMinor ?? 0)}</span>
          </li>
        ))}
      </ul>
      {approval.length > 0 ? (
        <p className="rounded border border-amber-200 bg-amber-50 px-3 py-2 text-amber-900" data-testid="refund-confirm-approval">
          {t.rich('waits', { reasons: approval.map((a) => a.text).join('; '), strong: (chunks) => <strong>{chunks}</strong> })}
        </p>
      ) : (
        <p className="text-slate-700" data-testid="refund-confirm-approval">
          {t('noApproval', { provider })}
        </p>
      )}
    </Dialog>
  );
}
