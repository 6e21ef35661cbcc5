import type { Metadata } from 'next';
import { getDb } from '@/db';
import { listRefusals } from '@/db/queries/security-counts';
import { ButtonLink } from '@/components/ui/button';
import { Card, EmptyState, PageHeader } from '@/components/ui/card';
import { Table, Td, Th } from '@/components/ui/table';
import { requirePagePermission } from '@/lib/auth/session';
import { formatDateTime } from '@/lib/format';

export const metadata: Metadata = { title: 'Refused requests' };

const DAYS = 7;

/** What each counted kind means, in the words an auditor would use. */
const KIND_LABELS: Record<string, string> = {
  'webhook.rejected': 'Provider notification rejected',
  'auth.unknown_account': 'Sign-in to an account that does not exist',
  'auth.unknown_account_throttled': 'Sign-in to an unknown account, refused by the limit',
  'auth.throttled': 'Sign-in refused by the failed-attempt limit',
  'auth.rate_limited': 'Sign-in refused by the burst limit',
  'auth.busy': 'Sign-in refused: too many password checks at once',
};

/**
 * Requests refused before they could do anything, counted per hour instead of written to the
 * audit trail one by one (a flood must not bury the trail): rejected provider notifications,
 * sign-ins for unknown accounts and sign-ins refused by a limit.
 */
export default async function RefusalsPage() {
  await requirePagePermission('audit.read');
  const rows = await listRefusals(await getDb(), DAYS);
  return (
    <>
      <PageHeader
        title="Refused requests"
        description={`Requests refused before they reached anyone's data, counted per hour for the last ${DAYS} days. A sudden rise is worth a look: a misconfigured provider secret, or someone guessing passwords.`}
        actions={<ButtonLink href="/audit">Back to the audit log</ButtonLink>}
      />
      <Card>
        {rows.length === 0 ? (
          <EmptyState title="Nothing refused in the last 7 days" />
        ) : (
          <Table data-testid="refusals">
            <thead>
              <tr>
                <Th>Hour</Th>
                <Th>What</Th>
                <Th>Details</Th>
                <Th numeric>Count</Th>
                <Th>Last seen</Th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {rows.map((row) => (
                <tr key={`${row.kind}|${row.subject}|${row.hour.toISOString()}`}>
                  <Td className="whitespace-nowrap">{formatDateTime(row.hour)}</Td>
                  <Td>{KIND_LABELS[row.kind] ?? row.kind}</Td>
                  <Td className="font-mono text-xs">{row.subject.replace(/\bunknown$/, 'address not known')}</Td>
                  <Td numeric>{row.count.toLocaleString('en-US')}</Td>
                  <Td className="whitespace-nowrap">{formatDateTime(row.lastAt)}</Td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </Card>
    </>
  );
}
