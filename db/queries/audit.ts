import { and, asc, count, desc, eq, gt, gte, lt, lte, sql, type SQL } from 'drizzle-orm';
import { queryRows, type DbOrTx } from '@/db';
import { auditEvents, type AuditEvent, type AuditOutcome } from '@/db/schema';
import { escapeLike, isUuid, utcDayRange } from './filters';

/**
 * The audit log (PRODUCT.md §2.7). The page and the CSV export share `buildAuditFilter`, so the
 * export holds exactly the events the page lists for the same filter. Pagination is keyset on the
 * gapless, unique `seq` (never OFFSET), so the thousandth page costs what the first does; the
 * (action, seq), (actor_id, seq) and (entity_type, entity_id) indexes serve the common filters.
 */

export const AUDIT_PAGE_SIZE_MAX = 200;
export const AUDIT_STREAM_PAGE_SIZE = 1000;

/** What narrows the log; lib/audit/filters-schema.ts parses the URL into this. */
export interface AuditFilter {
  /** A user id, or part of an email address (or of the role, for events without a person). */
  actor?: string;
  /** `refund.approved` exactly, or `refund.` / `refund.*` / `refund*` for a prefix. */
  action?: string;
  entityType?: string;
  entityId?: string;
  /** First UTC day, `YYYY-MM-DD`. */
  from?: string;
  /** Last UTC day, inclusive. */
  to?: string;
  outcome?: AuditOutcome;
}

/** `refund.` and `refund.*` → prefix `refund.`; `refund*` → prefix `refund`; otherwise an exact action. */
export function actionMatch(action: string): { exact: string } | { prefix: string } {
  if (action.endsWith('*')) return { prefix: action.slice(0, -1) };
  if (action.endsWith('.')) return { prefix: action };
  return { exact: action };
}

/** The filter as SQL conditions on `audit_events` — the one definition. */
export function buildAuditFilter(filter: AuditFilter): SQL | undefined {
  const conditions: SQL[] = [];
  const actor = filter.actor?.trim();
  if (actor) {
    if (isUuid(actor)) conditions.push(eq(auditEvents.actorId, actor.toLowerCase()));
    else {
      // Part of the email; events with no person (system, provider webhooks) match on their role.
      const pattern = `%${escapeLike(actor)}%`;
      conditions.push(sql`(coalesce(${auditEvents.actorEmail}, ${auditEvents.actorRole}) ilike ${pattern})`);
    }
  }
  if (filter.action) {
    const match = actionMatch(filter.action);
    if ('exact' in match) conditions.push(eq(auditEvents.action, match.exact));
    else conditions.push(sql`(${auditEvents.action} like ${`${escapeLike(match.prefix)}%`})`);
  }
  if (filter.entityType) conditions.push(eq(auditEvents.entityType, filter.entityType));
  if (filter.entityId) conditions.push(eq(auditEvents.entityId, filter.entityId));
  const { from, to } = utcDayRange(filter);
  // Column-typed comparisons, so drizzle serialises the Dates for every driver.
  if (from) conditions.push(gte(auditEvents.occurredAt, from));
  if (to) conditions.push(lt(auditEvents.occurredAt, to));
  if (filter.outcome) conditions.push(eq(auditEvents.outcome, filter.outcome));
  return conditions.length ? and(...conditions) : undefined;
}

export interface AuditPage {
  rows: AuditEvent[];
  /** Pass as `beforeSeq` for the next (older) page; null on the last page. */
  nextBeforeSeq: number | null;
}

/** Newest first, keyset-paginated on `seq`: the events older than `beforeSeq` that match the filter. */
export async function listAuditEvents(
  db: DbOrTx,
  options: AuditFilter & { beforeSeq?: number; limit?: number } = {},
): Promise<AuditPage> {
  const { beforeSeq, limit: wanted, ...filter } = options;
  const limit = Math.min(Math.max(wanted ?? 50, 1), AUDIT_PAGE_SIZE_MAX);
  const rows = await db
    .select()
    .from(auditEvents)
    .where(and(buildAuditFilter(filter), beforeSeq ? lt(auditEvents.seq, beforeSeq) : undefined))
    .orderBy(desc(auditEvents.seq))
    .limit(limit + 1);
  const hasMore = rows.length > limit;
  const page = hasMore ? rows.slice(0, limit) : rows;
  return { rows: page, nextBeforeSeq: hasMore ? page.at(-1)!.seq : null };
}

/** The newest event's `seq` (0 for an empty log): the end of an export's snapshot. */
export async function auditHeadSeq(db: DbOrTx): Promise<number> {
  const [head] = await db.select({ seq: auditEvents.seq }).from(auditEvents).orderBy(desc(auditEvents.seq)).limit(1);
  return head?.seq ?? 0;
}

/** One event's place in the chain, or undefined when there is no event with that `seq`. */
export async function auditChainLink(db: DbOrTx, seq: number) {
  const [row] = await db
    .select({ id: auditEvents.id, seq: auditEvents.seq, hash: auditEvents.hash, chainVersion: auditEvents.chainVersion })
    .from(auditEvents)
    .where(eq(auditEvents.seq, seq));
  return row;
}

/**
 * What the database role the app runs as may do to `audit_events`: with the two roles of the README
 * it holds INSERT and SELECT only; a superuser or the table's owner can disable its triggers.
 */
export async function auditTablePrivileges(db: DbOrTx) {
  const [row] = await queryRows<{
    role: string;
    superuser: boolean;
    owner: boolean;
    update: boolean;
    delete: boolean;
    truncate: boolean;
    trigger: boolean;
  }>(
    db,
    sql`select current_user::text as role,
          coalesce((select rolsuper from pg_roles where rolname = current_user), false) as superuser,
          pg_has_role(current_user, c.relowner, 'USAGE') as owner,
          has_table_privilege(current_user, c.oid, 'UPDATE') as update,
          has_table_privilege(current_user, c.oid, 'DELETE') as delete,
          has_table_privilege(current_user, c.oid, 'TRUNCATE') as truncate,
          has_table_privilege(current_user, c.oid, 'TRIGGER') as trigger
        from pg_class c where c.oid = 'audit_events'::regclass`,
  );
  return row!;
}

/** How many events up to `throughSeq` match the filter. */
export async function countAuditEvents(db: DbOrTx, filter: AuditFilter, throughSeq: number): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(auditEvents)
    .where(and(buildAuditFilter(filter), lte(auditEvents.seq, throughSeq)));
  return Number(row?.n ?? 0);
}

/**
 * One keyset page of the log in chain order: the events after `afterSeq`, oldest first. The export
 * walks it with a filter and a snapshot end; the chain check walks all of it.
 */
export function listAuditEventsAfter(
  db: DbOrTx,
  afterSeq: number,
  options: { limit: number; where?: SQL; throughSeq?: number },
): Promise<AuditEvent[]> {
  return db
    .select()
    .from(auditEvents)
    .where(
      and(
        options.where,
        gt(auditEvents.seq, afterSeq),
        options.throughSeq === undefined ? undefined : lte(auditEvents.seq, options.throughSeq),
      ),
    )
    .orderBy(asc(auditEvents.seq))
    .limit(options.limit);
}

/**
 * Every event up to `throughSeq` that matches the filter, oldest first, fetched in keyset pages so
 * memory stays flat however long the log is. The log is append-only, so the events up to a fixed
 * `seq` are a stable snapshot: events written while the export runs are not part of it.
 */
export async function* streamAuditEvents(
  db: DbOrTx,
  filter: AuditFilter,
  options: { throughSeq: number; pageSize?: number },
): AsyncGenerator<AuditEvent> {
  const pageSize = options.pageSize ?? AUDIT_STREAM_PAGE_SIZE;
  const where = buildAuditFilter(filter);
  let afterSeq = 0;
  for (;;) {
    const rows = await listAuditEventsAfter(db, afterSeq, { limit: pageSize, where, throughSeq: options.throughSeq });
    yield* rows;
    if (rows.length < pageSize) return;
    afterSeq = rows.at(-1)!.seq;
  }
}

/**
 * The distinct actions and record types, for the filter form. A loose index scan (one index probe
 * per distinct value, on the (action, seq) and (entity_type, entity_id) indexes) rather than
 * `select distinct`, which would read the whole table.
 */
export async function listAuditFacets(db: DbOrTx): Promise<{ actions: string[]; entityTypes: string[] }> {
  const [actions, entityTypes] = await Promise.all([distinctValues(db, 'action'), distinctValues(db, 'entity_type')]);
  return { actions, entityTypes };
}

/** The distinct values of one indexed column of `audit_events`, by a loose index scan. */
async function distinctValues(db: DbOrTx, column: 'action' | 'entity_type'): Promise<string[]> {
  const c = sql.identifier(column);
  const rows = await queryRows<{ value: string }>(
    db,
    sql`with recursive t(value) as (
          (select ${c} from ${auditEvents} order by 1 limit 1)
          union all
          select (select e.${c} from ${auditEvents} e where e.${c} > t.value order by 1 limit 1)
          from t where t.value is not null)
        select value from t where value is not null`,
  );
  return rows.map((r) => r.value);
}

/**
 * Of these events, the `seq`s whose stored payload is not the JSON the verifier hashed: jsonb keeps
 * numbers JavaScript cannot (1e400 reads as Infinity, hashed as null; 100.000000000000000001 reads
 * as 100), so the hash of the parsed row alone would vouch for a payload rewritten that way.
 */
/**
 * An event stored outside the chain's numbering (`seq` below 1), which a walk from #1 never meets:
 * the newest event renumbered that way would otherwise look like a chain that simply ends earlier.
 */
export async function auditEventOutsideChain(db: DbOrTx): Promise<{ id: string; seq: number } | null> {
  const [row] = await db
    .select({ id: auditEvents.id, seq: auditEvents.seq })
    .from(auditEvents)
    .where(sql`${auditEvents.seq} < 1`)
    .orderBy(auditEvents.seq)
    .limit(1);
  return row ? { id: row.id, seq: Number(row.seq) } : null;
}

export async function auditPayloadsDiffering(
  db: DbOrTx,
  rows: { seq: number; before: string | null; after: string | null }[],
): Promise<Set<number>> {
  if (rows.length === 0) return new Set();
  const found = await queryRows<{ seq: number }>(
    db,
    sql`select t.seq from ${auditEvents} t
          join jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as v(seq bigint, before text, after text) on t.seq = v.seq
         where t.before is distinct from v.before::jsonb or t.after is distinct from v.after::jsonb`,
  );
  return new Set(found.map((row) => Number(row.seq)));
}

/**
 * One event's recorded change, read when its row is opened on the audit page: the page itself
 * lists events without sending their before/after (they can be large, and most are never opened).
 */
export async function getAuditEventChange(db: DbOrTx, seq: number) {
  const [row] = await db
    .select({ seq: auditEvents.seq, before: auditEvents.before, after: auditEvents.after })
    .from(auditEvents)
    .where(eq(auditEvents.seq, seq));
  return row;
}
