import type { Metadata } from 'next';
import { getLocale, getTranslations } from 'next-intl/server';
import { getDb } from '@/db';
import { listRefusals } from '@/db/queries/security-counts';
import { ButtonLink } from '@/components/ui/button';
import { Card, EmptyState, PageHeader } from '@/components/ui/card';
import { Table, Td, Th } from '@/components/ui/table';
import { requirePagePermission } from '@/lib/auth/session';
import { INTL_LOCALE } from '@/i18n/locales';
import { formatDateTime } from '@/lib/format';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('audit.refused'))('title') };
}

const DAYS = 7;

/** What each counted kind means, in the words an auditor would use (messages audit.refused.kind). */
const KINDS = [
  'webhook.rejected',
  'auth.unknown_account',
  'auth.unknown_account_throttled',
  'auth.throttled',
  'auth.rate_limited',
  'auth.busy',
] as const;
const isKnownKind = (kind: string): kind is (typeof KINDS)[number] => (KINDS as readonly string[]).includes(kind);

/**
 * Requests refused before they could do anything, counted per hour instead of written to the
 * audit trail one by one (a flood must not bury the trail): rejected provider notifications,
 * sign-ins for unknown accounts and sign-ins refused by a limit.
 */
export default async function RefusalsPage() {
  await requirePagePermission('audit.read');
  const [rows, t, locale] = await Promise.all([listRefusals(await getDb(), DAYS), getTranslations('audit.refused'), getLocale()]);
  const count = new Intl.NumberFormat(INTL_LOCALE[locale]);
  return (
    <>
      <PageHeader
        title={t('title')}
        description={t('description', { days: DAYS })}
        actions={<ButtonLink href="/audit">{t('back')}</ButtonLink>}
      />
      <Card>
        {rows.length === 0 ? (
          <EmptyState title={t('empty', { days: DAYS })} />
        ) : (
          <Table data-testid="refusals">
            <thead>
              <tr>
                <Th>{t('columns.hour')}</Th>
                <Th>{t('columns.what')}</Th>
                <Th>{t('columns.details')}</Th>
                <Th numeric>{t('columns.count')}</Th>
                <Th>{t('columns.lastSeen')}</Th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {rows.map((row) => (
                <tr key={`${row.kind}|${row.subject}|${row.hour.toISOString()}`}>
                  <Td className="whitespace-nowrap">{formatDateTime(row.hour, locale)}</Td>
                  <Td>
                    {isKnownKind(row.kind) ? t(`kind.${row.kind.replace('.', '_') as 'webhook_rejected'}`) : row.kind}
                    <div className="font-mono text-xs text-slate-500">{row.kind}</div>
                  </Td>
                  <Td className="font-mono text-xs">{row.subject.replace(/\bunknown$/, t('addressUnknown'))}</Td>
                  <Td numeric>{count.format(row.count)}</Td>
                  <Td className="whitespace-nowrap">{formatDateTime(row.lastAt, locale)}</Td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </Card>
    </>
  );
}
