import { z } from 'zod';
import { getDb } from '@/db';
import { getAuditEventChange } from '@/db/queries/audit';
import { actorContext, recordAudit } from '@/lib/audit';
import { authorizeRoute, internalError, jsonResponse } from '@/lib/http/route';
import { jsonText } from '@/lib/json-text';

export const dynamic = 'force-dynamic';

// Digits only, as the page writes them: z.coerce would let Number() read "0x1", "1e0", " 1" or
// "01" as some event's number.
const eventParams = z.object({
  seq: z
    .string()
    .regex(/^[1-9]\d{0,14}$/)
    .transform(Number),
});

/** The body the audit page shows when a row is opened: the event's before and after as text. */
export interface AuditChangeBody {
  seq: number;
  before: string | null;
  after: string | null;
}

/**
 * One audit event's before/after, fetched by the audit page when a row is opened (the page lists
 * events without them). The same permission as the page; each read is audited as the page's are.
 */
export async function GET(request: Request, { params }: { params: Promise<{ seq: string }> }) {
  const auth = await authorizeRoute(request, 'audit.event', ['audit.read']);
  if (!auth.ok) return auth.response;
  const { user, meta } = auth;
  const parsed = eventParams.safeParse(await params);
  if (!parsed.success) return jsonResponse(400, { error: 'That is not an audit event number.', code: 'invalid_input' });
  const { seq } = parsed.data;
  try {
    const db = await getDb();
    const event = await getAuditEventChange(db, seq);
    if (!event) return jsonResponse(404, { error: 'No audit event has that number.', code: 'not_found' });
    // Reading the audit log is itself audited (PCI DSS 10.2.1.3), as the page's reads are.
    await recordAudit(db, actorContext(user, meta), {
      action: 'audit.read',
      entityType: 'audit_event',
      entityId: String(seq),
      after: { seq, opened: 'change' },
    });
    const body: AuditChangeBody = { seq, before: jsonText(event.before), after: jsonText(event.after) };
    return jsonResponse(200, { ...body });
  } catch (error) {
    return internalError(meta, error, 'audit event change failed');
  }
}
