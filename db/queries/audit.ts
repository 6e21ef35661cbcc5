import { desc, lt } from 'drizzle-orm';
import type { DbOrTx } from '@/db';
import { auditEvents } from '@/db/schema';

/** Newest first, keyset-paginated on the gapless `seq`. */
export function listAuditEvents(db: DbOrTx, options: { beforeSeq?: number; limit?: number } = {}) {
  const limit = Math.min(Math.max(options.limit ?? 50, 1), 200);
  return db
    .select()
    .from(auditEvents)
    .where(options.beforeSeq ? lt(auditEvents.seq, options.beforeSeq) : undefined)
    .orderBy(desc(auditEvents.seq))
    .limit(limit);
}
