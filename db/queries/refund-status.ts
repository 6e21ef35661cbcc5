import { and, eq } from 'drizzle-orm';
import type { Tx } from '@/db';
import { refunds, type RefundStatus } from '@/db/schema';

/**
 * The only writes of `refunds.status`. Only lib/refunds/lifecycle.ts may import this file (ESLint's
 * no-restricted-imports says so, and lib/refunds/lifecycle.test.ts checks the source tree): every
 * status change goes through the lifecycle's table and leaves an audit event.
 */

export type StatusFields = Pick<typeof refunds.$inferInsert, 'status'> &
  Partial<Pick<typeof refunds.$inferInsert, 'statusReason' | 'providerErrorCode' | 'submittedAt' | 'completedAt'>>;

export type NewRefundRow = Omit<typeof refunds.$inferInsert, 'id' | 'status'>;

/** Writes the new status if the refund is still in `from`; false when another writer got there first. */
export async function writeRefundStatus(tx: Tx, refundId: string, from: RefundStatus, fields: StatusFields) {
  const [row] = await tx
    .update(refunds)
    .set(fields)
    .where(and(eq(refunds.id, refundId), eq(refunds.status, from)))
    .returning({ id: refunds.id });
  return Boolean(row);
}

export async function insertRefundRow(tx: Tx, values: NewRefundRow, status: RefundStatus) {
  const [row] = await tx
    .insert(refunds)
    .values({ ...values, status })
    .returning({ id: refunds.id });
  return row!.id;
}
