import { asc, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '@/db';
import { refundLimits, users } from '@/db/schema';

/** Every limits row, defaults first, each override with its agent's name and email. */
export function listRefundLimits(db: DbOrTx) {
  return db
    .select({
      id: refundLimits.id,
      userId: refundLimits.userId,
      userName: users.name,
      userEmail: users.email,
      currency: refundLimits.currency,
      approvalThresholdMinor: refundLimits.approvalThresholdMinor,
      perRefundMinor: refundLimits.perRefundMinor,
      perDayMinor: refundLimits.perDayMinor,
      updatedAt: refundLimits.updatedAt,
    })
    .from(refundLimits)
    .leftJoin(users, eq(users.id, refundLimits.userId))
    .orderBy(sql`${refundLimits.userId} is not null`, asc(users.email), asc(refundLimits.currency));
}
