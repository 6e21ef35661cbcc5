import type { Locale } from '@/i18n/locales';
import enAdmin from './en/admin.json';
import enApprovals from './en/approvals.json';
import enAudit from './en/audit.json';
import enAuth from './en/auth.json';
import enCommon from './en/common.json';
import enErrors from './en/errors.json';
import enHistory from './en/history.json';
import enOrders from './en/orders.json';
import enOverview from './en/overview.json';
import enProviderErrors from './en/providerErrors.json';
import enRefunds from './en/refunds.json';
import enStatus from './en/status.json';
import nbAdmin from './nb/admin.json';
import nbApprovals from './nb/approvals.json';
import nbAudit from './nb/audit.json';
import nbAuth from './nb/auth.json';
import nbCommon from './nb/common.json';
import nbErrors from './nb/errors.json';
import nbHistory from './nb/history.json';
import nbOrders from './nb/orders.json';
import nbOverview from './nb/overview.json';
import nbProviderErrors from './nb/providerErrors.json';
import nbRefunds from './nb/refunds.json';
import nbStatus from './nb/status.json';

/**
 * Every string the app shows people, per language, one file per area (messages/<locale>/<area>.json)
 * so that areas can be translated side by side. English is the reference: the type of the messages
 * is the English catalogue's (so `t('…')` with an unknown key fails type checking), and
 * messages/messages.test.ts fails when a key or a placeholder exists in one language only.
 * ICU message syntax (next-intl): `{count, plural, one {# refund} other {# refunds}}`.
 */
const en = {
  admin: enAdmin,
  approvals: enApprovals,
  audit: enAudit,
  auth: enAuth,
  common: enCommon,
  errors: enErrors,
  history: enHistory,
  orders: enOrders,
  overview: enOverview,
  providerErrors: enProviderErrors,
  refunds: enRefunds,
  status: enStatus,
};

export type Messages = typeof en;

const nb: Messages = {
  admin: nbAdmin,
  approvals: nbApprovals,
  audit: nbAudit,
  auth: nbAuth,
  common: nbCommon,
  errors: nbErrors,
  history: nbHistory,
  orders: nbOrders,
  overview: nbOverview,
  providerErrors: nbProviderErrors,
  refunds: nbRefunds,
  status: nbStatus,
};

export const MESSAGES: Record<Locale, Messages> = { en, nb };
