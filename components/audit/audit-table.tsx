import Link from 'next/link';
import type { AuditEvent } from '@/db/schema';
import { Badge } from '@/components/ui/badge';
import { Table, Td, Th } from '@/components/ui/table';
import { auditRecordLink } from '@/lib/audit/links';
import { formatDateTimeSeconds } from '@/lib/format';
import { AuditChange } from './audit-change';

/**
 * One row per event, newest first, with a link to the record it touched. Its before/after are not
 * in the page: they are fetched when the row's "Before" or "After" is opened (./audit-change.tsx).
 */
export function AuditTable({ events }: { events: AuditEvent[] }) {
  return (
    <Table data-testid="audit-table">
      <thead>
        <tr>
          <Th numeric>#</Th>
          <Th>When</Th>
          <Th>Who</Th>
          <Th>Action</Th>
          <Th>Record</Th>
          <Th>Change</Th>
          <Th>From</Th>
          <Th>Outcome</Th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {events.map((e) => {
          const link = auditRecordLink(e);
          const sides = (['before', 'after'] as const).filter((side) => e[side] !== null);
          return (
            <tr key={e.id} data-testid="audit-row" data-seq={e.seq}>
              <Td numeric className="text-slate-500">
                {e.seq}
              </Td>
              <Td className="whitespace-nowrap">
                <time dateTime={e.occurredAt.toISOString()}>{formatDateTimeSeconds(e.occurredAt)}</time>
              </Td>
              <Td>
                {e.actorEmail ?? e.actorRole ?? 'system'}
                {e.actorEmail && e.actorRole && <div className="text-xs text-slate-500">{e.actorRole}</div>}
              </Td>
              <Td className="font-mono text-xs break-all">{e.action}</Td>
              <Td className="font-mono text-xs">
                {e.entityType}
                {e.entityId && (
                  // Long ids (uuids) shortened on screen; the full id is in the title, the filter and the export.
                  <div className="whitespace-nowrap text-slate-500" title={e.entityId}>
                    {e.entityId.length > 13 ? `${e.entityId.slice(0, 8)}…` : e.entityId}
                  </div>
                )}
                {link && (
                  <Link href={link.href} className="font-sans text-brand-700 underline" data-testid="audit-record-link">
                    {link.label}
                  </Link>
                )}
              </Td>
              <Td className="min-w-48">
                {sides.length > 0 ? <AuditChange seq={e.seq} sides={sides} /> : <span className="text-xs text-slate-400">—</span>}
              </Td>
              <Td className="text-xs text-slate-500" title={e.userAgent ?? undefined}>
                {e.ip ?? '—'}
                {e.requestId && (
                  <div className="font-mono whitespace-nowrap" title={`Request id ${e.requestId}`}>
                    req {e.requestId.slice(0, 8)}
                  </div>
                )}
              </Td>
              <Td>{e.outcome === 'success' ? <Badge tone="green">success</Badge> : <Badge tone="red">failure</Badge>}</Td>
            </tr>
          );
        })}
      </tbody>
    </Table>
  );
}
