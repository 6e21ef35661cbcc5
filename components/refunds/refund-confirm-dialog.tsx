'use client';

import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { formatMoney } from '@/lib/money';
import { REASON_LABELS } from '@/lib/refunds/constants';
import type { RefundFormData } from '@/lib/refunds/types';
import type { ApprovalCheck, ResolvedLine } from './refund-form-model';

/** "Refund $12.47 to Maria Lopez (EBT SNAP $8.98, Card $3.49)?" */
export function confirmationSentence(
  data: Pick<RefundFormData, 'currency' | 'customerName'>,
  totalMinor: number,
  split: { label: string; amountMinor: number }[],
) {
  const money = (minor: number) => formatMoney(minor, data.currency);
  const parts = split.map((p) => `${p.label} ${money(p.amountMinor)}`).join(', ');
  return `Refund ${money(totalMinor)} to ${data.customerName}${parts ? ` (${parts})` : ''}?`;
}

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
  const money = (minor: number) => formatMoney(minor, data.currency);
  const provider = data.providerLabel;
  return (
    <Dialog
      open={open}
      onClose={onCancel}
      dismissible={!pending}
      testId="refund-confirm-dialog"
      title={`Confirm refund on order ${data.orderNumber}`}
      description={<p className="text-base font-medium text-slate-900">{confirmationSentence(data, totalMinor, split)}</p>}
      footer={
        <>
          <Button type="button" variant="secondary" onClick={onCancel} disabled={pending} data-autofocus>
            Cancel
          </Button>
          <Button type="button" onClick={onConfirm} disabled={pending} data-testid="refund-confirm">
            {pending ? 'Sending…' : approval.length > 0 ? 'Request refund' : `Refund ${money(totalMinor)}`}
          </Button>
        </>
      }
    >
      <ul className="divide-y divide-slate-100 rounded border border-slate-200">
        {lines.map(({ line, state, quantity, amountMinor }) => (
          <li key={line.orderLineId} className="flex justify-between gap-3 px-3 py-1.5">
            <span>
              {line.name}
              <span className="text-slate-500">
                {' '}
                · {quantity ? `${quantity} × ` : 'price adjustment · '}
                {state.reason ? REASON_LABELS[state.reason] : ''}
              </span>
            </span>
            <span className="tabular-nums">{money(amountMinor ?? 0)}</span>
          </li>
        ))}
      </ul>
      {approval.length > 0 ? (
        <p className="rounded border border-amber-200 bg-amber-50 px-3 py-2 text-amber-900" data-testid="refund-confirm-approval">
          This refund will <strong>wait for a manager&apos;s approval</strong> ({approval.map((a) => a.text).join('; ')}). No
          money moves until it is approved.
        </p>
      ) : (
        <p className="text-slate-700" data-testid="refund-confirm-approval">
          No approval is needed: it is sent to {provider} as soon as you confirm, and the money goes back to the customer.
        </p>
      )}
    </Dialog>
  );
}
