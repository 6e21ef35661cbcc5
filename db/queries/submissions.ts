import { and, asc, desc, eq } from 'drizzle-orm';
import type { DbOrTx } from '@/db';
import { providerChecks, submissions } from '@/db/schema';

/**
 * Attempts and what was learned after them. An attempt's request is written before it is sent and
 * never changes; its answer is written once (a trigger refuses a second write); checks are
 * appended, never changed (migration 0009).
 */

export type NewSubmission = Pick<
  typeof submissions.$inferInsert,
  'refundId' | 'attempt' | 'idempotencyKey' | 'requestBody' | 'baselineRefundedMinor'
>;

export async function insertSubmission(db: DbOrTx, values: NewSubmission) {
  const [row] = await db.insert(submissions).values(values).returning();
  return row!;
}

export type SubmissionAnswer = Pick<typeof submissions.$inferInsert, 'outcome' | 'responseStatus' | 'responseBody' | 'errorCode'>;

/** Writes the provider's answer to an attempt that has none yet; false if it already had one. */
export async function recordSubmissionAnswer(db: DbOrTx, submissionId: string, answer: SubmissionAnswer) {
  const [row] = await db
    .update(submissions)
    .set({ ...answer, completedAt: new Date() })
    .where(and(eq(submissions.id, submissionId), eq(submissions.outcome, 'pending')))
    .returning({ id: submissions.id });
  return Boolean(row);
}

export async function latestSubmission(db: DbOrTx, refundId: string) {
  const [row] = await db
    .select()
    .from(submissions)
    .where(eq(submissions.refundId, refundId))
    .orderBy(desc(submissions.attempt))
    .limit(1);
  return row ?? null;
}

/** The first attempt that used this key: a key's lifetime runs from its first use. */
export async function firstSubmissionWithKey(db: DbOrTx, refundId: string, idempotencyKey: string) {
  const [row] = await db
    .select()
    .from(submissions)
    .where(and(eq(submissions.refundId, refundId), eq(submissions.idempotencyKey, idempotencyKey)))
    .orderBy(asc(submissions.attempt))
    .limit(1);
  return row ?? null;
}

/** An attempt of the refund that has no answer recorded (the app stopped while it was out). */
export async function unansweredSubmission(db: DbOrTx, refundId: string) {
  const [row] = await db
    .select()
    .from(submissions)
    .where(and(eq(submissions.refundId, refundId), eq(submissions.outcome, 'pending')))
    .limit(1);
  return row ?? null;
}

export type NewProviderCheck = Omit<typeof providerChecks.$inferInsert, 'id' | 'createdAt'>;

export async function insertProviderCheck(db: DbOrTx, values: NewProviderCheck) {
  const [row] = await db.insert(providerChecks).values(values).returning({ id: providerChecks.id });
  return row!.id;
}

export function listProviderChecks(db: DbOrTx, refundId: string) {
  return db
    .select()
    .from(providerChecks)
    .where(eq(providerChecks.refundId, refundId))
    .orderBy(asc(providerChecks.createdAt), asc(providerChecks.kind), asc(providerChecks.id));
}

/** The newest check about an attempt. */
export async function lastCheckOf(db: DbOrTx, submissionId: string) {
  const [row] = await db
    .select()
    .from(providerChecks)
    .where(eq(providerChecks.submissionId, submissionId))
    .orderBy(desc(providerChecks.createdAt), desc(providerChecks.kind))
    .limit(1);
  return row ?? null;
}
