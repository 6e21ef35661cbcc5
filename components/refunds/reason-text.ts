import { APPROVAL_REASON_TEXT, type ApprovalReason } from '@/lib/refunds/approval-rules';
import { knownProviderError, type ProviderErrorsT } from '@/lib/providers/error-words';

/** A translator for the `refunds.reasons` namespace (next-intl's, from the hook or the server). */
type Translate = (key: string, values?: Record<string, string | number>) => string;

const UNKNOWN = ['timeout', 'network', 'server_error'];
const APPROVAL_BY_TEXT = new Map(Object.entries(APPROVAL_REASON_TEXT).map(([reason, text]) => [text, reason as ApprovalReason]));

/**
 * A refund's status reason in the reader's language. The reason is stored as an English sentence
 * (the audit trail keeps it as written); the sentences Refund Desk itself writes are recognised
 * here and said again from the catalogue, as is a provider's refusal, by its code (the stored
 * sentence is the English catalogue's for that code). Anything else (a provider's own words) is
 * shown as it came, with its code beside it. `tp` translates the `providerErrors` namespace.
 */
export function reasonText(t: Translate, tp: ProviderErrorsT, statusReason: string | null, code: string | null): string | null {
  if (code && UNKNOWN.includes(code)) return t(`unknown.${code}`);
  const refusal = code ? knownProviderError(tp, null, code) : null;
  if (refusal) return refusal.message;
  if (!statusReason) return statusReason;
  const approval = /^Needs a manager's approval: (.+)\.$/.exec(statusReason);
  if (approval) {
    const parts = approval[1]!.split(', ').map((part) => APPROVAL_BY_TEXT.get(part));
    if (parts.every(Boolean)) return t('approval', { reasons: parts.map((p) => t(`approvalReason.${p}`)).join(', ') });
  }
  if (statusReason === 'Canceled before it was sent.') return t('canceledBeforeSent');
  if (statusReason === 'No manager decided in time; the request expired.') return t('expiredUndecided');
  if (statusReason === 'The app stopped while sending this refund. Checking with the provider.') return t('appStopped');
  const rejected = /^Rejected by a manager(?:: ([\s\S]*)|\.)$/.exec(statusReason);
  if (rejected) return rejected[1] ? t('rejectedWith', { comment: rejected[1] }) : t('rejected');
  const forApproval = /^Sent to (.+) for approval\. Waiting for it to decide\.$/.exec(statusReason);
  if (forApproval) return t('sentForApproval', { provider: forApproval[1]! });
  const noRecord = /^(.+) has no record of this refund, so no money moved\. Create a new refund if it is still owed\.$/.exec(
    statusReason,
  );
  if (noRecord) return t('noRecord', { provider: noRecord[1]! });
  const settled = /^Settled by hand: the provider did not apply it, so no money moved\. ([\s\S]*)$/.exec(statusReason);
  if (settled) return t('settledNotApplied', { note: settled[1]! });
  return statusReason;
}
