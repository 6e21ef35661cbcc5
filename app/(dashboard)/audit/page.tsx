import type { Metadata } from 'next';
import { getDb } from '@/db';
import { listAuditEvents } from '@/db/queries/audit';
import { VerifyChainButton } from '@/components/audit/verify-chain-button';
import { Badge } from '@/components/ui/badge';
import { Card, EmptyState, PageHeader } from '@/components/ui/card';
import { Table, Td, Th } from '@/components/ui/table';
import { recordAudit } from '@/lib/audit';
import { requirePagePermission } from '@/lib/auth/session';
import { formatDateTime } from '@/lib/format';
import { getRequestMeta } from '@/lib/request';

export const metadata: Metadata = { title: 'Audit log' };

export default async function AuditPage() {
  const user = await requirePagePermission('audit.read');
  const db = await getDb();
  const events = await listAuditEvents(db, { limit: 100 });
  // Reading the audit log is itself audited.
  await recordAudit(
    db,
    { actorId: user.id, actorRole: user.role, actorEmail: user.email, ...(await getRequestMeta()) },
    { action: 'audit.read', entityType: 'audit_log' },
  );
  return (
    <>
      <PageHeader
        title="Audit log"
        description="Every action by every user, hash-chained so that changes can be detected."
        actions={<VerifyChainButton />}
      />
      <Card>
        {events.length === 0 ? (
          <EmptyState title="No events yet" />
        ) : (
          <Table data-testid="audit-table">
            <thead>
              <tr>
                <Th numeric>#</Th>
                <Th>When</Th>
                <Th>Who</Th>
                <Th>Action</Th>
                <Th>Record</Th>
                <Th>From</Th>
                <Th>Outcome</Th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {events.map((e) => (
                <tr key={e.id}>
                  <Td numeric className="text-slate-500">
                    {e.seq}
                  </Td>
                  <Td className="whitespace-nowrap">{formatDateTime(e.occurredAt)}</Td>
                  <Td>
                    {e.actorEmail ?? 'system'}
                    {e.actorRole && <div className="text-xs text-slate-500">{e.actorRole}</div>}
                  </Td>
                  <Td className="font-mono text-xs">{e.action}</Td>
                  <Td className="font-mono text-xs">
                    {e.entityType}
                    {e.entityId && <div className="text-slate-500">{e.entityId}</div>}
                  </Td>
                  <Td className="text-xs text-slate-500">{e.ip ?? '—'}</Td>
                  <Td>{e.outcome === 'success' ? <Badge tone="green">success</Badge> : <Badge tone="red">failure</Badge>}</Td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </Card>
    </>
  );
}
