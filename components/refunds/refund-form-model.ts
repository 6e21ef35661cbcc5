import type { RefundReason } from '@/db/schema/enums';
import type { Locale } from '@/i18n/locales';
import { formatMoney, parseTypedAmount, toDecimalString } from '@/lib/money';
import { approvalReasons, remainingDailyMinor, type ApprovalReason, type Limits } from '@/lib/refunds/approval-rules';
import type { createRefundInput, CreateRefundInput } from '@/lib/refunds/schemas';
import type { RefundFormData } from '@/lib/refunds/types';

/**
 * The refund form's state and rules, kept free of React so they can be tested on their own.
 * The form checks with the server's own schema (createRefundInput) and approval rules
 * (approval-rules.ts) so the agent sees a problem next to its field before anything is sent;
 * the server checks all of it again. The schema (and zod with it) is passed in, not imported:
 * the form loads it after the page has shown (./refund-schema.ts), so it is not part of the
 * order page's first load.
 */

/** The server's schema of a refund request, as the form runs it. */
export type RefundSchema = typeof createRefundInput;

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

/**
 * The sentences the form's own checks give, in the reader's language. The form builds them from
 * the catalogue (messages/<locale>/refunds.json); these English ones are the default, for tests.
 */
export interface FormWords {
  wholeNumber: string;
  noUnitsLeft: string;
  atMostUnits: (count: number) => string;
  chooseUnits: string;
  enterAmount: (example: string) => string;
  atMostOnLine: (amount: string) => string;
  adjustmentAlone: string;
  choosePayment: string;
  atMostFromPayment: (amount: string, label: string) => string;
  overOrder: (amount: string) => string;
  approval: Record<
    ApprovalReason,
    (v: { currency: string; threshold: string; perRefund: string; left: string; perDay: string }) => string
  >;
  /** A message from the server's schema: a key of errors.field, or a sentence shown as written. */
  schema: (message: string) => string;
}

export const ENGLISH_WORDS: FormWords = {
  wholeNumber: 'Enter a whole number of units.',
  noUnitsLeft: 'No whole units are left to refund.',
  atMostUnits: (count) => `At most ${count} can be refunded.`,
  chooseUnits: 'Choose how many units to refund.',
  enterAmount: (example) => `Enter an amount such as ${example}.`,
  atMostOnLine: (amount) => `At most ${amount} can be refunded on this line.`,
  adjustmentAlone: 'A price adjustment (quantity 0) is refunded on its own: select only that line.',
  choosePayment: 'Choose the capture or charge to refund from.',
  atMostFromPayment: (amount, label) => `At most ${amount} can come from ${label}.`,
  overOrder: (amount) => `The total is more than the ${amount} left to refund on this order.`,
  approval: {
    no_limits_set: (v) => `no refund limits are set for ${v.currency}, so a manager decides every refund`,
    above_threshold: (v) => `above the approval threshold of ${v.threshold}`,
    above_per_refund_limit: (v) => `above your limit of ${v.perRefund} per refund`,
    above_daily_limit: (v) => `beyond what is left of your daily limit (${v.left} of ${v.perDay})`,
  },
  // The key as written: the catalogue is not imported here, or its every message would ship to the
  // browser with the order page (npm run bench, first-load JS). The form passes its own words.
  schema: (message) => message,
};

/** An amount as the reader types it: "12,50" in Norwegian, "12.50" in English. */
export function amountText(amountMinor: number, currency: string, locale: Locale | undefined): string {
  const text = toDecimalString(amountMinor, currency);
  return locale === 'nb' ? text.replace('.', ',') : text;
}

/**
 * Reads a typed amount in the reader's language as well as the currency's: a Norwegian reader
 * may type "12,50" for dollars too. Whole minor units, or null when it cannot be read.
 */
export function parseAmountInput(text: string, currency: string, locale: Locale | undefined): number | null {
  if (locale === 'nb' && currency !== 'NOK') {
    const clean = text.replace(/[\s\u00a0\u202f]/g, '');
    if (clean.includes(',')) return parseTypedAmount(clean.replace(/\.(?=\d{3}(?:[.,]|$))/g, '').replace(',', '.'), currency);
  }
  return parseTypedAmount(text, currency);
}

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
  return { ...previous, selected: true, quantity: String(quantity), amount: amountText(amount, data.currency, data.locale) };
}

/** A new quantity resets the amount to what that quantity suggests (0 clears it for a price adjustment). */
export function withQuantity(data: RefundFormData, line: FormLine, state: LineState, quantityText: string): LineState {
  const quantity = parseQuantity(quantityText);
  if (quantity === null) return { ...state, quantity: quantityText };
  const amount = quantity > 0 ? amountText(suggestedAmount(data.rules, line, quantity), data.currency, data.locale) : '';
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
        : parseAmountInput(state.amount, data.currency, data.locale);
      return { line, state, quantity, amountMinor, derived };
    });
}

/**
 * The request exactly as the form will send it. Values the form could not read stay undefined,
 * so the server's schema refuses them too; the reason stays '' until one is chosen.
 */
export interface RefundPayload {
  orderId: string;
  requestKey: string;
  note: string | undefined;
  lines: {
    orderLineId: string;
    quantity: number | undefined;
    amountMinor: number | undefined;
    reason: RefundReason | '';
    reasonNote: string | undefined;
  }[];
  confirmedTotalMinor: number;
  paymentRef: string | undefined;
}

export function buildPayload(
  data: RefundFormData,
  resolved: ResolvedLine[],
  extra: { note: string; paymentRef: string; requestKey: string },
): RefundPayload {
  return {
    orderId: data.orderId,
    requestKey: extra.requestKey,
    note: extra.note.trim() || undefined,
    lines: resolved.map(({ line, state, quantity, amountMinor }) => ({
      orderLineId: line.orderLineId,
      quantity: quantity ?? undefined,
      amountMinor: amountMinor ?? undefined,
      reason: state.reason,
      reasonNote: state.reasonNote.trim() || undefined,
    })),
    confirmedTotalMinor: totalOf(resolved),
    paymentRef: data.paymentChoices.length > 0 ? extra.paymentRef : undefined,
  };
}

/**
 * The server's own schema (createRefundInput) run on the payload, its issues keyed the way the form
 * shows errors. `input` is what to send when nothing is wrong: the schema's output, as the server
 * will read it.
 */
export function schemaCheck(
  schema: RefundSchema,
  payload: RefundPayload,
  words: FormWords = ENGLISH_WORDS,
): { input: CreateRefundInput | null; errors: FormErrors } {
  const parsed = schema.safeParse(payload);
  if (parsed.success) return { input: parsed.data, errors: {} };
  // The total is the sum of the lines on screen: when it fails, a line already says why.
  const issues = parsed.error.issues.some((i) => i.path[0] !== 'confirmedTotalMinor')
    ? parsed.error.issues.filter((i) => i.path[0] !== 'confirmedTotalMinor')
    : parsed.error.issues;
  const byPath: Record<string, string[]> = {};
  for (const issue of issues)
    (byPath[issue.path.length ? issue.path.join('.') : '_form'] ??= []).push(words.schema(issue.message));
  return {
    input: null,
    errors: mapServerErrors(
      byPath,
      payload.lines.map((l) => l.orderLineId),
    ),
  };
}

/**
 * What only the form can check, because it knows the order's figures: whole units and amounts left
 * on each line, a price adjustment on its own, the chosen capture or charge, and the order's total.
 * Text it could not read at all gets its own message here, more helpful than the schema's.
 */
function figureChecks(data: RefundFormData, resolved: ResolvedLine[], paymentRef: string, words: FormWords): FormErrors {
  const errors: FormErrors = {};
  const money = (minor: number) => formatMoney(minor, data.currency, data.locale);
  for (const { line, quantity, amountMinor, derived } of resolved) {
    const key = (field: LineField) => lineKey(line.orderLineId, field);
    if (quantity === null) errors[key('quantity')] = words.wholeNumber;
    else if (quantity > line.refundableQuantity)
      errors[key('quantity')] = line.refundableQuantity === 0 ? words.noUnitsLeft : words.atMostUnits(line.refundableQuantity);
    else if (derived && quantity === 0) errors[key('quantity')] = words.chooseUnits;

    if (derived && errors[key('quantity')]) {
      // The amount follows from the quantity: one message, on the quantity.
    } else if (amountMinor === null) errors[key('amountMinor')] = words.enterAmount(amountText(1250, data.currency, data.locale));
    else if (amountMinor > line.refundableMinor) errors[key('amountMinor')] = words.atMostOnLine(money(line.refundableMinor));
  }
  if (data.rules.wholeUnitsOnly && resolved.length > 1 && resolved.some((r) => r.quantity === 0)) {
    errors._form = words.adjustmentAlone;
  }
  const total = totalOf(resolved);
  if (data.paymentChoices.length > 0) {
    const choice = data.paymentChoices.find((c) => c.ref === paymentRef);
    if (!choice) errors.paymentRef = words.choosePayment;
    else if (total > choice.refundableMinor)
      errors.paymentRef = words.atMostFromPayment(money(choice.refundableMinor), choice.label);
  }
  if (total > data.orderRefundableMinor) {
    errors._form = errors._form ?? words.overOrder(money(data.orderRefundableMinor));
  }
  return errors;
}

/**
 * Every check before sending: the form's own figure checks first, then the server's schema for
 * everything else (a reason, the "Other" note, note lengths, at least one line, amounts above zero).
 * `input` is set only when nothing is wrong; never while the schema is still loading (`null`),
 * when only the figure checks have run.
 */
export function validate(
  data: RefundFormData,
  resolved: ResolvedLine[],
  payload: RefundPayload,
  refundSchema: RefundSchema | null,
  words: FormWords = ENGLISH_WORDS,
): { errors: FormErrors; input: CreateRefundInput | null } {
  const errors = figureChecks(data, resolved, payload.paymentRef ?? '', words);
  if (!refundSchema) return { errors, input: null };
  const schema = schemaCheck(refundSchema, payload, words);
  const amountFollowsQuantity = new Set(
    resolved
      .filter((r) => r.derived && errors[lineKey(r.line.orderLineId, 'quantity')])
      .map((r) => lineKey(r.line.orderLineId, 'amountMinor')),
  );
  for (const [key, message] of Object.entries(schema.errors)) {
    if (!(key in errors) && !amountFollowsQuantity.has(key)) errors[key] = message;
  }
  return { errors, input: Object.keys(errors).length === 0 ? schema.input : null };
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

export type ApprovalCheck = { reason: ApprovalReason; text: string };

/** The form's policy figures in the shape the shared approval rules take. */
export function limitsOf(policy: RefundFormData['policy']): Limits {
  return {
    approvalThresholdMinor: policy.approvalThresholdMinor,
    perRefundMinor: policy.perRefundLimitMinor,
    perDayMinor: policy.perDayLimitMinor,
    configured: policy.limitsConfigured,
  };
}

/**
 * Which limits make the request wait for a manager, told to the agent beforehand. The server
 * decides with the same `approvalReasons` on its own figures; only the sentences are the form's.
 */
export function approvalChecks(data: RefundFormData, totalMinor: number, words: FormWords = ENGLISH_WORDS): ApprovalCheck[] {
  if (totalMinor <= 0) return [];
  const limits = limitsOf(data.policy);
  const used = data.policy.usedTodayMinor;
  const money = (minor: number | null) => formatMoney(minor ?? 0, data.currency, data.locale);
  // A reason is only ever given for a limit that is set, so none of these reads null.
  const values = {
    currency: data.currency,
    threshold: money(limits.approvalThresholdMinor),
    perRefund: money(limits.perRefundMinor),
    left: money(remainingDailyMinor(limits.perDayMinor, used)),
    perDay: money(limits.perDayMinor),
  };
  return approvalReasons(totalMinor, limits, used).map((reason) => ({ reason, text: words.approval[reason](values) }));
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
