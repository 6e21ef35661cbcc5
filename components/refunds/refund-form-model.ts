import type { RefundReason } from '@/db/schema/enums';
import type { RefundFormData, RefundLineDraft } from '@/lib/refunds/types';
import { formatMoney, parseTypedAmount, toDecimalString } from '@/lib/money';

/**
 * The refund form's state and rules, kept free of React so they can be tested on their own.
 * The server checks all of this again (createRefundInput and the refund service); the form
 * checks it first so the agent sees the problem next to the field before anything is sent.
 */

/**
 * A fresh idempotency key for one refund request. `crypto.randomUUID` exists only in secure
 * contexts, so plain-http deployments fall back to a v4 UUID from `getRandomValues`.
 */
export function newRequestKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export type FormLine = RefundFormData['lines'][number];

export interface LineState {
  selected: boolean;
  /** As typed, so a half-typed value is kept rather than corrected under the agent's fingers. */
  quantity: string;
  amount: string;
  reason: RefundReason | '';
  reasonNote: string;
}

export type LineField = 'quantity' | 'amountMinor' | 'reason' | 'reasonNote';
/** Field errors keyed `lines.<orderLineId>.<field>`, `note`, `paymentRef` or `_form`. */
export type FormErrors = Record<string, string>;

export const lineKey = (orderLineId: string, field: LineField) => `lines.${orderLineId}.${field}`;

export function emptyLine(): LineState {
  return { selected: false, quantity: '0', amount: '', reason: '', reasonNote: '' };
}

function parseQuantity(text: string): number | null {
  return /^\s*\d{1,6}\s*$/.test(text) ? Number(text) : null;
}

/**
 * Whether the amount follows from the quantity. Forage refunds whole units by product, so the
 * amount is unit price × quantity; a quantity of 0 there is a price adjustment with an amount.
 */
export function amountIsDerived(rules: RefundFormData['rules'], quantity: number | null): boolean {
  if (rules.wholeUnitsOnly) return quantity !== 0;
  return !rules.amountPerLine;
}

/** The amount a quantity suggests: unit price × quantity, capped at what is left (except whole units). */
export function suggestedAmount(rules: RefundFormData['rules'], line: FormLine, quantity: number): number {
  const full = line.unitPriceMinor * quantity;
  return rules.wholeUnitsOnly ? full : Math.min(full, line.refundableMinor);
}

/** The line as the agent just ticked it: everything that is left on it. */
export function selectedLine(data: RefundFormData, line: FormLine, previous: LineState): LineState {
  const quantity = line.refundableQuantity;
  const amount =
    quantity > 0 && amountIsDerived(data.rules, quantity) ? suggestedAmount(data.rules, line, quantity) : line.refundableMinor;
  return { ...previous, selected: true, quantity: String(quantity), amount: toDecimalString(amount, data.currency) };
}

/** A new quantity resets the amount to what that quantity suggests (0 clears it for a price adjustment). */
export function withQuantity(data: RefundFormData, line: FormLine, state: LineState, quantityText: string): LineState {
  const quantity = parseQuantity(quantityText);
  if (quantity === null) return { ...state, quantity: quantityText };
  const amount = quantity > 0 ? toDecimalString(suggestedAmount(data.rules, line, quantity), data.currency) : '';
  return { ...state, quantity: quantityText, amount };
}

export interface ResolvedLine {
  line: FormLine;
  state: LineState;
  quantity: number | null;
  amountMinor: number | null;
  derived: boolean;
}

export function resolveLines(data: RefundFormData, states: Record<string, LineState>): ResolvedLine[] {
  return data.lines
    .filter((line) => states[line.orderLineId]?.selected)
    .map((line) => {
      const state = states[line.orderLineId]!;
      const quantity = parseQuantity(state.quantity);
      const derived = amountIsDerived(data.rules, quantity);
      const amountMinor = derived
        ? quantity === null
          ? null
          : suggestedAmount(data.rules, line, quantity)
        : parseTypedAmount(state.amount, data.currency);
      return { line, state, quantity, amountMinor, derived };
    });
}

export function validate(
  data: RefundFormData,
  resolved: ResolvedLine[],
  extra: { note: string; paymentRef: string },
): FormErrors {
  const errors: FormErrors = {};
  const money = (minor: number) => formatMoney(minor, data.currency);
  if (resolved.length === 0) errors._form = 'Choose at least one line to refund.';
  for (const { line, state, quantity, amountMinor, derived } of resolved) {
    const key = (field: LineField) => lineKey(line.orderLineId, field);
    if (quantity === null) errors[key('quantity')] = 'Enter a whole number of units.';
    else if (quantity > line.refundableQuantity)
      errors[key('quantity')] =
        line.refundableQuantity === 0
          ? 'No whole units are left to refund.'
          : `At most ${line.refundableQuantity} can be refunded.`;
    else if (derived && quantity === 0) errors[key('quantity')] = 'Choose how many units to refund.';

    if (derived && errors[key('quantity')]) {
      // The amount follows from the quantity: one message, on the quantity.
    } else if (amountMinor === null) errors[key('amountMinor')] = 'Enter an amount such as 12.50.';
    else if (amountMinor <= 0) errors[key('amountMinor')] = 'Enter an amount above zero.';
    else if (amountMinor > line.refundableMinor)
      errors[key('amountMinor')] = `At most ${money(line.refundableMinor)} can be refunded on this line.`;

    if (!state.reason) errors[key('reason')] = 'Choose a reason.';
    else if (state.reason === 'other' && !state.reasonNote.trim())
      errors[key('reasonNote')] = 'Explain the reason when you choose "Other".';
    if (state.reasonNote.trim().length > 500) errors[key('reasonNote')] = 'Keep the note under 500 characters.';
  }
  if (data.rules.wholeUnitsOnly && resolved.length > 1 && resolved.some((r) => r.quantity === 0)) {
    errors._form = 'A price adjustment (quantity 0) is refunded on its own: select only that line.';
  }
  if (extra.note.trim().length > 1000) errors.note = 'Keep the note under 1000 characters.';
  const total = totalOf(resolved);
  if (data.paymentChoices.length > 0) {
    const choice = data.paymentChoices.find((c) => c.ref === extra.paymentRef);
    if (!choice) errors.paymentRef = 'Choose the capture or charge to refund from.';
    else if (total > choice.refundableMinor)
      errors.paymentRef = `At most ${money(choice.refundableMinor)} can come from ${choice.label}.`;
  }
  if (!errors._form && total > data.orderRefundableMinor) {
    errors._form = `The total is more than the ${money(data.orderRefundableMinor)} left to refund on this order.`;
  }
  return errors;
}

export function totalOf(resolved: ResolvedLine[]): number {
  return resolved.reduce((sum, r) => sum + (r.amountMinor !== null && r.amountMinor > 0 ? r.amountMinor : 0), 0);
}

/** Where the money goes back to: by the line's tender, or the chosen capture/charge for a reservation. */
export function tenderSplit(data: RefundFormData, resolved: ResolvedLine[], paymentRef: string) {
  const choice = data.paymentChoices.find((c) => c.ref === paymentRef);
  const parts = new Map<string, number>();
  for (const r of resolved) {
    if (r.amountMinor === null || r.amountMinor <= 0) continue;
    const label = choice ? choice.label : r.line.tenderLabel;
    parts.set(label, (parts.get(label) ?? 0) + r.amountMinor);
  }
  return [...parts].map(([label, amountMinor]) => ({ label, amountMinor }));
}

export type ApprovalCheck = { kind: 'threshold' | 'per_refund' | 'per_day'; text: string };

/** Mirrors lib/refunds/policy.ts `approvalReasons`; the server decides, this tells the agent beforehand. */
export function approvalChecks(data: RefundFormData, totalMinor: number): ApprovalCheck[] {
  const { approvalThresholdMinor, perRefundLimitMinor, perDayLimitMinor, usedTodayMinor } = data.policy;
  const money = (minor: number) => formatMoney(minor, data.currency);
  const checks: ApprovalCheck[] = [];
  if (totalMinor <= 0) return checks;
  if (approvalThresholdMinor !== null && totalMinor > approvalThresholdMinor)
    checks.push({ kind: 'threshold', text: `above the approval threshold of ${money(approvalThresholdMinor)}` });
  if (perRefundLimitMinor !== null && totalMinor > perRefundLimitMinor)
    checks.push({ kind: 'per_refund', text: `above your limit of ${money(perRefundLimitMinor)} per refund` });
  if (perDayLimitMinor !== null && usedTodayMinor + totalMinor > perDayLimitMinor)
    checks.push({
      kind: 'per_day',
      text: `beyond what is left of your daily limit (${money(Math.max(0, perDayLimitMinor - usedTodayMinor))} of ${money(perDayLimitMinor)})`,
    });
  return checks;
}

export function toDrafts(resolved: ResolvedLine[]): RefundLineDraft[] {
  return resolved.map(({ line, state, quantity, amountMinor }) => ({
    orderLineId: line.orderLineId,
    quantity: quantity ?? 0,
    amountMinor: amountMinor ?? 0,
    reason: state.reason as RefundReason,
    reasonNote: state.reasonNote.trim() || undefined,
  }));
}

/**
 * The server answers `lines.<index>.<field>` for the lines it was sent; the form shows errors by
 * order line, so the index is mapped back through the order the lines were sent in.
 */
export function mapServerErrors(fieldErrors: Record<string, string[]> | undefined, sentLineIds: string[]): FormErrors {
  const out: FormErrors = {};
  for (const [key, messages] of Object.entries(fieldErrors ?? {})) {
    const message = messages[0];
    if (!message) continue;
    const match = /^lines\.(\d+)\.(\w+)/.exec(key);
    const lineId = match ? sentLineIds[Number(match[1])] : undefined;
    if (match && lineId && ['quantity', 'amountMinor', 'reason', 'reasonNote'].includes(match[2]!)) {
      out[lineKey(lineId, match[2] as LineField)] = message;
    } else if (key === 'note' || key === 'paymentRef') {
      out[key] = message;
    } else {
      out._form = out._form ? `${out._form} ${message}` : message;
    }
  }
  return out;
}
