'use client';

import { useRouter } from 'next/navigation';
import { useTranslations } from 'next-intl';
import { lazy, Suspense, useEffect, useMemo, useRef, useState, useTransition } from 'react';
import type { RefundReason } from '@/db/schema/enums';
import { Button } from '@/components/ui/button';
import { Textarea } from '@/components/ui/input';
import { formatMoney } from '@/lib/money';
import { createRefundAction } from '@/lib/refunds/actions';
import type { RefundFormData } from '@/lib/refunds/types';
import { RefundFormToolbar, type RefundResult } from './refund-form-parts';
import {
  approvalChecks,
  buildPayload,
  emptyLine,
  lineKey,
  newRequestKey,
  mapServerErrors,
  resolveLines,
  selectedLine,
  tenderSplit,
  totalOf,
  validate,
  withQuantity,
  type FormErrors,
  type FormWords,
  type LineField,
  type LineState,
} from './refund-form-model';
import { FieldError, RefundLinesTable, type LineHandlers } from './refund-lines-table';
import { RefundSummary } from './refund-summary';
import { useRefundSchema } from './use-refund-schema';

// The confirmation is fetched after the page shows (and rendered only when asked for): it is not
// part of the order page's first load (npm run bench, first-load JS).
const loadConfirmDialog = () => import('./refund-confirm-dialog');
const RefundConfirmDialog = lazy(() => loadConfirmDialog().then((m) => ({ default: m.RefundConfirmDialog })));

const FIELD_ORDER: LineField[] = ['quantity', 'amountMinor', 'reason', 'reasonNote'];

const initialLines = (data: RefundFormData) => Object.fromEntries(data.lines.map((l) => [l.orderLineId, emptyLine()]));

/** The refund form itself; `onCreated` hears of each refund it creates (and `null` when a new one starts). */
/** The form's own checks in the reader's language (messages/<locale>/refunds.json, errors.json). */
function useFormWords(): FormWords {
  const t = useTranslations('refunds.checks');
  // Schema messages are keys of errors.field (or sentences shown as written): looked up by value.
  const te = useTranslations('errors.field') as unknown as { has: (key: string) => boolean } & ((key: string) => string);
  return useMemo(
    () => ({
      wholeNumber: t('wholeNumber'),
      noUnitsLeft: t('noUnitsLeft'),
      atMostUnits: (count) => t('atMostUnits', { count }),
      chooseUnits: t('chooseUnits'),
      enterAmount: (example) => t('enterAmount', { example }),
      atMostOnLine: (amount) => t('atMostOnLine', { amount }),
      adjustmentAlone: t('adjustmentAlone'),
      choosePayment: t('choosePayment'),
      atMostFromPayment: (amount, label) => t('atMostFromPayment', { amount, label }),
      overOrder: (amount) => t('overOrder', { amount }),
      approval: {
        no_limits_set: (v) => t('approval.noLimits', { currency: v.currency }),
        above_threshold: (v) => t('approval.aboveThreshold', { amount: v.threshold }),
        above_per_refund_limit: (v) => t('approval.abovePerRefund', { amount: v.perRefund }),
        above_daily_limit: (v) => t('approval.aboveDaily', { left: v.left, limit: v.perDay }),
      },
      schema: (message) => (te.has(message) ? te(message) : message),
    }),
    [t, te],
  );
}

export function RefundForm({ data, onCreated }: { data: RefundFormData; onCreated: (result: RefundResult | null) => void }) {
  const router = useRouter();
  const t = useTranslations('refunds.form');
  const words = useFormWords();
  // Set when the server said the request no longer fits: the figures are reloaded, and the agent can reload them again.
  const [stale, setStale] = useState(false);
  const [lines, setLines] = useState<Record<string, LineState>>(() => initialLines(data));
  const [note, setNote] = useState('');
  const [paymentRef, setPaymentRef] = useState(() => data.paymentChoices.find((c) => c.refundableMinor > 0)?.ref ?? '');
  const [touched, setTouched] = useState<Set<string>>(() => new Set());
  const [attempted, setAttempted] = useState(false);
  const [serverErrors, setServerErrors] = useState<FormErrors>({});
  const [message, setMessage] = useState<string | null>(null);
  useEffect(() => void loadConfirmDialog(), []);
  const [confirming, setConfirming] = useState(false);
  const [pending, startTransition] = useTransition();
  // One key per refund: made when the form mounts, kept across double clicks and retries after an
  // error, and replaced only after a success. The server returns the same refund for the same key.
  const [requestKey, setRequestKey] = useState(newRequestKey);
  const inFlight = useRef(false);
  const alertRef = useRef<HTMLDivElement>(null);
  const refundSchema = useRefundSchema();

  // Lines the server no longer offers (after a refresh) are dropped from the state.
  const states = useMemo(() => {
    const out: Record<string, LineState> = {};
    for (const l of data.lines)
      out[l.orderLineId] = l.refundableMinor === 0 ? emptyLine() : (lines[l.orderLineId] ?? emptyLine());
    return out;
  }, [data.lines, lines]);
  const resolved = useMemo(() => resolveLines(data, states), [data, states]);
  // The request as it would be sent now, checked by the server's own schema as well as the form.
  const schema = refundSchema.schema;
  const checked = useMemo(
    () => validate(data, resolved, buildPayload(data, resolved, { note, paymentRef, requestKey }), schema, words),
    [data, resolved, note, paymentRef, requestKey, schema, words],
  );
  const clientErrors = checked.errors;
  const totalMinor = totalOf(resolved);
  const split = tenderSplit(data, resolved, paymentRef);
  const approval = approvalChecks(data, totalMinor, words);

  // What the agent sees: the server's word on a field until they change it, then the form's own
  // check once they have touched the field or tried to submit.
  const errors: FormErrors = { ...serverErrors };
  for (const [key, value] of Object.entries(clientErrors)) {
    if (errors[key]) continue;
    if (attempted || (key !== '_form' && touched.has(key))) errors[key] = value;
  }

  const forget = (...keys: string[]) =>
    setServerErrors((current) => {
      if (!keys.some((k) => k in current)) return current;
      const next = { ...current };
      for (const k of keys) delete next[k];
      return next;
    });
  const touch = (key: string) => setTouched((current) => (current.has(key) ? current : new Set(current).add(key)));
  const lineById = (id: string) => data.lines.find((l) => l.orderLineId === id)!;
  const update = (id: string, next: (state: LineState) => LineState) =>
    setLines((current) => ({ ...current, [id]: next(current[id] ?? emptyLine()) }));

  const handlers: LineHandlers = {
    toggle: (id) => {
      update(id, (state) => (state.selected ? { ...state, selected: false } : selectedLine(data, lineById(id), state)));
      forget('_form', ...FIELD_ORDER.map((f) => lineKey(id, f)));
    },
    setQuantity: (id, text) => {
      update(id, (state) => withQuantity(data, lineById(id), state, text));
      touch(lineKey(id, 'quantity'));
      forget(lineKey(id, 'quantity'), lineKey(id, 'amountMinor'));
    },
    patch: (id, patch, field) => {
      update(id, (state) => ({ ...state, ...patch }));
      if (field !== 'reasonNote') touch(lineKey(id, field));
      forget(lineKey(id, field), ...(field === 'reason' ? [lineKey(id, 'reasonNote')] : []));
    },
    touch,
  };

  const refundEverything = () => {
    setLines((current) => {
      const next = { ...current };
      for (const line of data.lines) {
        if (line.refundableMinor > 0) next[line.orderLineId] = selectedLine(data, line, current[line.orderLineId] ?? emptyLine());
      }
      return next;
    });
    setServerErrors({});
  };

  const reasonForAll = (reason: RefundReason) => {
    setLines((current) => {
      const next = { ...current };
      for (const [id, state] of Object.entries(current)) if (state.selected) next[id] = { ...state, reason };
      return next;
    });
    setServerErrors({});
  };

  const focusFirstError = (list: FormErrors) => {
    for (const r of resolved) {
      for (const field of FIELD_ORDER) {
        if (list[lineKey(r.line.orderLineId, field)])
          return document.getElementById(`refund-${field}-${r.line.orderLineId}`)?.focus();
      }
    }
    if (list.paymentRef) return document.getElementById('refund-payment-ref')?.focus();
    if (list.note) return document.getElementById('refund-note')?.focus();
    alertRef.current?.focus();
  };

  // Says what is wrong, not only that something is: the first problem by its line, and how many more.
  const blockingSummary = (list: FormErrors) => {
    const entries = Object.entries(list).filter(([key]) => key !== '_form');
    if (entries.length === 0) return null;
    const [key, first] = entries[0]!;
    const lineId = /^lines\.([^.]+)\./.exec(key)?.[1];
    const name = lineId ? data.lines.find((l) => l.orderLineId === lineId)?.name : undefined;
    return t('fixFirst', { count: entries.length, line: name ?? 'none', problem: first });
  };

  const review = () => {
    setAttempted(true);
    onCreated(null);
    // A server error on a field stands until that field changes; one about the whole request
    // does not stop a second look.
    const { _form: _serverForm, ...serverFieldErrors } = serverErrors;
    forget('_form');
    const blocking = { ...clientErrors, ...serverFieldErrors };
    if (Object.keys(blocking).length === 0 && !schema) {
      // Its chunk starts loading with the form, so this is a lost connection rather than a fast hand.
      if (refundSchema.failed) refundSchema.retry();
      setMessage(refundSchema.failed ? t('checksFailed') : t('checksLoading'));
      requestAnimationFrame(() => alertRef.current?.focus());
      return;
    }
    if (Object.keys(blocking).length > 0) {
      setMessage(blockingSummary(blocking));
      // After React has rendered the messages, so aria-describedby points at something.
      requestAnimationFrame(() => focusFirstError(blocking));
      return;
    }
    setMessage(null);
    setConfirming(true);
  };

  const confirm = () => {
    if (inFlight.current) return;
    // Review opens the dialog only once the checks pass, and the modal keeps the form still; if
    // they fail after all, go back to the form and show why.
    const input = checked.input;
    if (!input) {
      setConfirming(false);
      review();
      return;
    }
    inFlight.current = true;
    const sentIds = input.lines.map((l) => l.orderLineId);
    startTransition(async () => {
      try {
        const response = await createRefundAction(input);
        setConfirming(false);
        if (response.ok) {
          onCreated({ ...response.data, totalMinor: input.confirmedTotalMinor });
          setLines(initialLines(data));
          setNote('');
          setTouched(new Set());
          setAttempted(false);
          setServerErrors({});
          setMessage(null);
          setStale(false);
          setRequestKey(newRequestKey());
          router.refresh();
        } else {
          setServerErrors(mapServerErrors(response.fieldErrors, sentIds));
          setMessage(response.error);
          setStale(response.code === 'over_refund' || response.code === 'total_changed');
          requestAnimationFrame(() => alertRef.current?.focus());
          // The figures may have moved (another refund, a provider sync): show them, keep the input.
          if (response.code !== 'invalid_input') router.refresh();
        }
      } catch {
        setConfirming(false);
        setMessage(t('unreachable'));
        requestAnimationFrame(() => alertRef.current?.focus());
      } finally {
        inFlight.current = false;
      }
    });
  };

  const selectedCount = resolved.length;
  return (
    <form
      noValidate
      data-testid="refund-form"
      aria-labelledby="refund-form-title"
      className="rounded-lg border border-slate-200 bg-white shadow-xs"
      onSubmit={(event) => {
        event.preventDefault();
        if (!pending) review();
      }}
    >
      <RefundFormToolbar
        note={data.rules.note}
        selectedCount={selectedCount}
        onReasonForAll={reasonForAll}
        onEverything={refundEverything}
        onClear={() => setLines(initialLines(data))}
      />

      <div
        ref={alertRef}
        tabIndex={-1}
        role="alert"
        className={
          message || errors._form ? 'mx-4 mt-3 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800' : ''
        }
      >
        {message && <p data-testid="refund-form-message">{message}</p>}
        {errors._form && <p data-testid="refund-form-error">{errors._form}</p>}
        {stale && (
          <p className="mt-1 flex flex-wrap items-center gap-x-2">
            <span>{t('leftNow', { amount: formatMoney(data.orderRefundableMinor, data.currency, data.locale) })}</span>
            <button
              type="button"
              className="font-medium text-red-900 underline"
              data-testid="refund-reload"
              onClick={() => router.refresh()}
            >
              {t('reloadFigures')}
            </button>
          </p>
        )}
      </div>

      <div className="grid gap-4 p-4 xl:grid-cols-[minmax(0,1fr)_16rem]">
        <div className="min-w-0 space-y-3">
          <div className="rounded-md border border-slate-200">
            <RefundLinesTable data={data} states={states} errors={errors} handlers={handlers} />
          </div>
          <div className="space-y-1">
            <label htmlFor="refund-note" className="block text-xs font-medium text-slate-600">
              {t('note')} <span className="font-normal text-slate-500">{t('noteHint')}</span>
            </label>
            <Textarea
              id="refund-note"
              rows={2}
              maxLength={1000}
              value={note}
              onChange={(event) => {
                setNote(event.target.value);
                forget('note');
              }}
              aria-invalid={Boolean(errors.note)}
              aria-describedby={errors.note ? 'refund-note-error' : undefined}
            />
            <FieldError id="refund-note-error" message={errors.note} />
          </div>
        </div>
        <RefundSummary
          data={data}
          totalMinor={totalMinor}
          lineCount={selectedCount}
          split={split}
          approval={approval}
          paymentRef={paymentRef}
          onPaymentRef={(ref) => {
            setPaymentRef(ref);
            forget('paymentRef');
          }}
          paymentError={errors.paymentRef}
        >
          <Button type="submit" className="w-full" disabled={pending} data-testid="refund-submit">
            {pending ? t('sending') : t('review')}
          </Button>
        </RefundSummary>
      </div>

      {confirming && (
        <Suspense fallback={null}>
          <RefundConfirmDialog
            open
            pending={pending}
            data={data}
            totalMinor={totalMinor}
            split={split}
            approval={approval}
            lines={resolved}
            onConfirm={confirm}
            onCancel={() => setConfirming(false)}
          />
        </Suspense>
      )}
    </form>
  );
}
