'use client';

import { useTranslations } from 'next-intl';
import type { ReactNode } from 'react';
import type { RefundReason } from '@/db/schema/enums';
import { Badge } from '@/components/ui/badge';
import { Input, Select } from '@/components/ui/input';
import { Table, Td, Th } from '@/components/ui/table';
import { cn } from '@/lib/cn';
import { formatMoney } from '@/lib/money';
import { REFUND_REASONS } from '@/lib/refunds/constants';
import type { RefundFormData } from '@/lib/refunds/types';
import {
  amountIsDerived,
  amountText,
  lineKey,
  suggestedAmount,
  type FormErrors,
  type LineField,
  type LineState,
} from './refund-form-model';

export interface LineHandlers {
  toggle: (orderLineId: string) => void;
  setQuantity: (orderLineId: string, text: string) => void;
  patch: (orderLineId: string, patch: Partial<LineState>, field: LineField) => void;
  touch: (key: string) => void;
}

/**
 * The order's products, once: what was bought and paid, what is refunded and still refundable,
 * and a checkbox, quantity, amount and reason each to refund them. It is also the order page's
 * product table (`order-lines`, rows by `data-line-id`).
 */
export function RefundLinesTable({
  data,
  states,
  errors,
  handlers,
}: {
  data: RefundFormData;
  states: Record<string, LineState>;
  errors: FormErrors;
  handlers: LineHandlers;
}) {
  const t = useTranslations('refunds.lines');
  const ts = useTranslations('status');
  const money = (minor: number) => formatMoney(minor, data.currency, data.locale);
  // On a phone each line stacks (product, what is left, then its fields with their names shown), so
  // nothing of the form sits off screen; from 640 px it is a table.
  return (
    <div data-testid="order-lines">
      <Table data-testid="refund-lines" aria-label={t('label')} className="max-sm:block max-sm:divide-y-0">
        <thead className="max-sm:sr-only">
          <tr>
            <Th className="w-8">
              <span className="sr-only">{t('select')}</span>
            </Th>
            <Th>{t('product')}</Th>
            <Th numeric>{t('left')}</Th>
            <Th>{t('quantity')}</Th>
            <Th>{t('amount', { currency: data.currency })}</Th>
            <Th>{t('reason')}</Th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 max-sm:block">
          {data.lines.map((line) => {
            const state = states[line.orderLineId]!;
            const id = (field: string) => `refund-${field}-${line.orderLineId}`;
            const error = (field: LineField) => errors[lineKey(line.orderLineId, field)];
            const described = (field: LineField, extra?: string) =>
              [error(field) ? `${id(field)}-error` : null, extra].filter(Boolean).join(' ') || undefined;
            const quantity = /^\d+$/.test(state.quantity) ? Number(state.quantity) : null;
            const derived = amountIsDerived(data.rules, quantity);
            const nothingLeft = line.refundableMinor === 0;
            const disabled = !state.selected;
            return (
              <tr
                key={line.orderLineId}
                data-testid={`refund-line-${line.providerLineId}`}
                data-line-id={line.providerLineId}
                data-selected={state.selected || undefined}
                className={cn(
                  'max-sm:grid max-sm:grid-cols-[auto_auto_minmax(0,1fr)] max-sm:gap-x-2 max-sm:gap-y-1.5 max-sm:px-1 max-sm:py-2.5',
                  state.selected && 'bg-brand-50/60',
                  nothingLeft && 'text-slate-400',
                )}
              >
                <Td className="pt-2.5 max-sm:row-span-4 max-sm:block max-sm:px-2 max-sm:py-0.5">
                  <input
                    id={id('select')}
                    type="checkbox"
                    className="size-4 accent-brand-600"
                    checked={state.selected}
                    disabled={nothingLeft}
                    onChange={() => handlers.toggle(line.orderLineId)}
                    onKeyDown={(event) => {
                      // Enter toggles too, instead of submitting the form.
                      if (event.key === 'Enter') {
                        event.preventDefault();
                        handlers.toggle(line.orderLineId);
                      }
                    }}
                    aria-describedby={nothingLeft ? id('none-left') : undefined}
                  />
                </Td>
                <Td className="min-w-40 max-sm:col-span-2 max-sm:col-start-2 max-sm:block max-sm:min-w-0 max-sm:p-0 max-sm:pr-2">
                  <label htmlFor={id('select')} className={cn('font-medium', !nothingLeft && 'cursor-pointer')}>
                    {line.name}
                  </label>
                  <div className="mt-0.5 flex flex-wrap items-center gap-1.5 text-xs text-slate-500">
                    <span className="font-mono">{line.providerLineId}</span>
                    <Badge tone={line.tender === 'credit_tpp' ? 'gray' : 'violet'}>{line.tenderLabel}</Badge>
                    {line.eligibility && !line.tender && <Badge tone="gray">{ts(`eligibility.${line.eligibility}`)}</Badge>}
                  </div>
                  <div className="mt-0.5 text-xs text-slate-600" data-testid="line-bought">
                    {t('bought', { quantity: line.quantity, price: money(line.unitPriceMinor), paid: money(line.paidMinor) })}
                  </div>
                </Td>
                <Td
                  numeric
                  className="pt-2.5 max-sm:col-span-2 max-sm:col-start-2 max-sm:block max-sm:p-0 max-sm:pr-2 max-sm:text-left"
                  data-testid="refund-line-refundable"
                >
                  <span className="font-medium whitespace-nowrap" data-testid="line-refundable">
                    {money(line.refundableMinor)}
                  </span>
                  <div className="text-xs text-slate-500">
                    {nothingLeft ? (
                      <span id={id('none-left')}>{t('nothingLeft')}</span>
                    ) : data.rules.wholeUnitsOnly ? (
                      t('unitsLeft', { left: line.refundableQuantity, count: line.quantity })
                    ) : null}
                  </div>
                  {(line.refundedMinor ?? 0) > 0 && (
                    <div className="text-xs whitespace-nowrap text-slate-500">
                      {t.rich('refunded', {
                        amount: money(line.refundedMinor ?? 0),
                        figure: (chunks) => <span data-testid="line-refunded">{chunks}</span>,
                      })}
                    </div>
                  )}
                  {(line.reservedMinor ?? 0) > 0 && (
                    <div className="text-xs whitespace-nowrap text-amber-800">
                      {t('held', { amount: money(line.reservedMinor ?? 0) })}
                    </div>
                  )}
                </Td>
                <Td className={FIELD_CELL}>
                  <label htmlFor={id('quantity')} className="sr-only">
                    {t('quantityOf', { name: line.name })}
                  </label>
                  <Caption>{t('quantity')}</Caption>
                  <div className="flex items-center gap-1">
                    <StepButton
                      label="−"
                      disabled={disabled || quantity === null || quantity <= 0}
                      onClick={() => handlers.setQuantity(line.orderLineId, String((quantity ?? 0) - 1))}
                    />
                    <div className="w-12">
                      <Input
                        id={id('quantity')}
                        type="number"
                        inputMode="numeric"
                        min={0}
                        max={line.refundableQuantity}
                        step={1}
                        className="[appearance:textfield] px-1.5 text-right tabular-nums [&::-webkit-inner-spin-button]:appearance-none [&::-webkit-outer-spin-button]:appearance-none"
                        value={disabled ? '' : state.quantity}
                        disabled={disabled}
                        onChange={(event) => handlers.setQuantity(line.orderLineId, event.target.value)}
                        onBlur={() => handlers.touch(lineKey(line.orderLineId, 'quantity'))}
                        aria-invalid={Boolean(error('quantity'))}
                        aria-describedby={described('quantity')}
                      />
                    </div>
                    <StepButton
                      label="+"
                      disabled={disabled || (quantity ?? 0) >= line.refundableQuantity}
                      onClick={() => handlers.setQuantity(line.orderLineId, String((quantity ?? 0) + 1))}
                    />
                  </div>
                  <FieldError id={`${id('quantity')}-error`} message={error('quantity')} />
                </Td>
                <Td className={cn(FIELD_CELL, 'max-sm:col-start-3')}>
                  <label htmlFor={id('amountMinor')} className="sr-only">
                    {t('amountOn', { name: line.name })}
                  </label>
                  <Caption>{t('amount', { currency: data.currency })}</Caption>
                  <div className="w-24">
                    <Input
                      id={id('amountMinor')}
                      inputMode="decimal"
                      autoComplete="off"
                      className="text-right tabular-nums read-only:bg-slate-50 read-only:text-slate-600"
                      value={
                        disabled
                          ? ''
                          : derived && quantity !== null
                            ? amountText(suggestedAmount(data.rules, line, quantity), data.currency, data.locale)
                            : state.amount
                      }
                      readOnly={derived}
                      disabled={disabled}
                      placeholder={disabled ? '' : amountText(0, data.currency, data.locale)}
                      onChange={(event) => handlers.patch(line.orderLineId, { amount: event.target.value }, 'amountMinor')}
                      onBlur={() => handlers.touch(lineKey(line.orderLineId, 'amountMinor'))}
                      aria-invalid={Boolean(error('amountMinor'))}
                      aria-describedby={described('amountMinor', derived && !disabled ? id('amount-derived') : undefined)}
                    />
                  </div>
                  {derived && !disabled && (
                    <span id={id('amount-derived')} className="sr-only">
                      {t('derived')}
                    </span>
                  )}
                  <FieldError id={`${id('amountMinor')}-error`} message={error('amountMinor')} />
                </Td>
                <Td className={cn(FIELD_CELL, 'max-sm:col-span-2 max-sm:col-start-2 max-sm:pr-2')}>
                  <label htmlFor={id('reason')} className="sr-only">
                    {t('reasonFor', { name: line.name })}
                  </label>
                  <Caption>{t('reason')}</Caption>
                  <div className="w-40 max-sm:w-full">
                    <Select
                      id={id('reason')}
                      value={disabled ? '' : state.reason}
                      disabled={disabled}
                      onChange={(event) =>
                        handlers.patch(line.orderLineId, { reason: event.target.value as RefundReason | '' }, 'reason')
                      }
                      aria-invalid={Boolean(error('reason'))}
                      aria-describedby={described('reason')}
                    >
                      <option value="">{t('reasonPlaceholder')}</option>
                      {REFUND_REASONS.map((reason) => (
                        <option key={reason} value={reason}>
                          {ts(`reason.${reason}`)}
                        </option>
                      ))}
                    </Select>
                  </div>
                  <FieldError id={`${id('reason')}-error`} message={error('reason')} />
                  {state.selected && (state.reason === 'other' || state.reasonNote || error('reasonNote')) && (
                    <div className="mt-1.5 w-40 max-sm:w-full">
                      <label htmlFor={id('reasonNote')} className="block text-xs font-medium text-slate-600">
                        {state.reason === 'other' ? t('explain') : t('reasonNote')}
                      </label>
                      <Input
                        id={id('reasonNote')}
                        value={state.reasonNote}
                        maxLength={500}
                        onChange={(event) => handlers.patch(line.orderLineId, { reasonNote: event.target.value }, 'reasonNote')}
                        onBlur={() => handlers.touch(lineKey(line.orderLineId, 'reasonNote'))}
                        aria-invalid={Boolean(error('reasonNote'))}
                        aria-describedby={described('reasonNote')}
                        aria-required={state.reason === 'other'}
                      />
                      <FieldError id={`${id('reasonNote')}-error`} message={error('reasonNote')} />
                    </div>
                  )}
                </Td>
              </tr>
            );
          })}
        </tbody>
      </Table>
    </div>
  );
}

/** The field cells: a row of their own under the product on a phone. */
const FIELD_CELL = 'max-sm:col-start-2 max-sm:block max-sm:p-0 max-sm:pr-3';

/** A field's name over it on a phone, where the table's column headings are not shown (the label stays the accessible name). */
function Caption({ children }: { children: ReactNode }) {
  return (
    <span aria-hidden="true" className="mb-0.5 hidden text-xs font-medium text-slate-600 max-sm:block">
      {children}
    </span>
  );
}

/** The − and + buttons: mouse helpers only. Keyboard users type or use the arrow keys in the field. */
function StepButton({ label, disabled, onClick }: { label: string; disabled: boolean; onClick: () => void }) {
  return (
    <button
      type="button"
      tabIndex={-1}
      aria-hidden="true"
      disabled={disabled}
      onClick={onClick}
      className="flex size-6 shrink-0 items-center justify-center rounded border border-slate-300 bg-white text-sm text-slate-700 hover:bg-slate-50 disabled:cursor-not-allowed disabled:text-slate-300"
    >
      {label}
    </button>
  );
}

export function FieldError({ id, message }: { id: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <p id={id} className="mt-0.5 text-xs text-red-700">
      {message}
    </p>
  );
}
