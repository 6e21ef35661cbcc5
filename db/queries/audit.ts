import { and, asc, count, desc, eq, gte, isNull, lt, lte, sql, type SQL } from 'drizzle-orm';
import { queryRows, type Db, type DbOrTx } from '@/db';
import { cursorBatches, cursorDate } from '@/db/cursor';
import { auditEvents, users, type AuditEvent, type AuditOutcome, type Role } from '@/db/schema';
import { escapeLike, isUuid, NO_ACCOUNT_ACTOR, utcDayRange } from './filters';

/**
 * The audit log (PRODUCT.md §2.7). The page and the CSV export share `buildAuditFilter`, so the
 * export holds exactly the events the page lists for the same filter. Pagination is keyset on the
 * gapless, unique `seq` (never OFFSET), so the thousandth page costs what the first does; the
 * (action, seq), (actor_id, seq), (actor_role, seq) for events of no person, (entity_id, seq) and
 * (entity_type, entity_id) indexes serve the filters.
 */

export const AUDIT_PAGE_SIZE_MAX = 200;
export const AUDIT_STREAM_PAGE_SIZE = 1000;

/** What narrows the log; lib/audit/filters-schema.ts parses the URL into this. */
export interface AuditFilter {
  /** Who: a user's id, or an actor that is no person (`system`, `provider:forage`, NO_ACCOUNT_ACTOR). */
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
    // A person on audit_events_actor_idx (actor_id, seq); anyone else on audit_events_non_person_idx
    // (actor_role, seq) where actor_id is null. Either way the newest events come first off an index.
    if (isUuid(actor)) conditions.push(eq(auditEvents.actorId, actor.toLowerCase()));
    else if (actor === NO_ACCOUNT_ACTOR) conditions.push(and(isNull(auditEvents.actorId), isNull(auditEvents.actorRole))!);
    else conditions.push(and(isNull(auditEvents.actorId), eq(auditEvents.actorRole, actor))!);
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

// An event's columns in the order auditEventOf reads them. Plain columns: an expression per row
// (extract, to_char) cost the database more than the whole scan.
const eventColumns = sql`${auditEvents.id}, ${auditEvents.seq}, ${auditEvents.occurredAt},
  ${auditEvents.actorId}, ${auditEvents.actorRole}, ${auditEvents.actorEmail}, ${auditEvents.action}, ${auditEvents.entityType},
  ${auditEvents.entityId}, ${auditEvents.before}::text, ${auditEvents.after}::text, ${auditEvents.ip}, ${auditEvents.userAgent},
  ${auditEvents.requestId}, ${auditEvents.outcome}, ${auditEvents.prevHash}, ${auditEvents.hash}, ${auditEvents.chainVersion}`;

/**
 * An event as the export writes it: `before`/`after` as the database's own JSON text. Parsed into
 * objects only to be written as JSON again, they were most of the Node side's time per event.
 */
export type AuditExportEvent = Omit<AuditEvent, 'before' | 'after'> & { before: string | null; after: string | null };

/** One row of `eventColumns`. */
function auditEventOf(v: unknown[]): AuditExportEvent {
  return {
    id: v[0] as string,
    seq: Number(v[1]),
    occurredAt: cursorDate(v[2]),
    actorId: v[3] as string | null,
    actorRole: v[4] as string | null,
    actorEmail: v[5] as string | null,
    action: v[6] as string,
    entityType: v[7] as string,
    entityId: v[8] as string | null,
    before: v[9] as string | null,
    after: v[10] as string | null,
    ip: v[11] as string | null,
    userAgent: v[12] as string | null,
    requestId: v[13] as string | null,
    outcome: v[14] as AuditOutcome,
    prevHash: v[15] as string,
    hash: v[16] as string,
    chainVersion: Number(v[17]),
  };
}

/**
 * Every event up to `throughSeq` that matches the filter, oldest first, in batches: one statement
 * through a server-side cursor (db/cursor.ts), so memory stays flat however long the log is and a
 * slow reader holds the cursor back rather than filling memory. The log is append-only, so the
 * events up to a fixed `seq` are a stable snapshot: events written while the export runs are not
 * part of it.
 */
export async function* streamAuditEventBatches(
  db: Db,
  filter: AuditFilter,
  /** pageSize: events a cursor batch (db/cursor.ts default when unset). */
  options: { throughSeq: number; pageSize?: number },
): AsyncGenerator<AuditExportEvent[], void, undefined> {
  const where = and(buildAuditFilter(filter), lte(auditEvents.seq, options.throughSeq));
  const query = sql`select ${eventColumns} from ${auditEvents} where ${where} order by ${auditEvents.seq}`;
  for await (const batch of cursorBatches(db, query, { batchSize: options.pageSize })) yield batch.map(auditEventOf);
}

/** streamAuditEventBatches, one event at a time. */
export async function* streamAuditEvents(
  db: Db,
  filter: AuditFilter,
  options: { throughSeq: number; pageSize?: number },
): AsyncGenerator<AuditExportEvent, void, undefined> {
  for await (const batch of streamAuditEventBatches(db, filter, options)) yield* batch;
}

/**
 * The chain after `afterSeq`, in `seq` order, as the verifier reads it (lib/audit/verify.ts), with
 * `before`/`after` as the database's own JSON text, so the verifier can tell a payload JavaScript
 * reads differently from what is stored (occurred_at as cursorDate takes it). Columns:
 * seq, id, occurred_at, actor_id, actor_role, actor_email, action, entity_type, entity_id,
 * before, after, ip, user_agent, request_id, outcome, prev_hash, hash, chain_version.
 */
export function auditChainBatches(db: Db, afterSeq: number, options: { batchSize?: number } = {}) {
  const query = sql`select ${auditEvents.seq}, ${auditEvents.id}, ${auditEvents.occurredAt},
      ${auditEvents.actorId}, ${auditEvents.actorRole}, ${auditEvents.actorEmail}, ${auditEvents.action},
      ${auditEvents.entityType}, ${auditEvents.entityId}, ${auditEvents.before}::text, ${auditEvents.after}::text,
      ${auditEvents.ip}, ${auditEvents.userAgent}, ${auditEvents.requestId}, ${auditEvents.outcome},
      ${auditEvents.prevHash}, ${auditEvents.hash}, ${auditEvents.chainVersion}
    from ${auditEvents} where ${auditEvents.seq} > ${afterSeq} order by ${auditEvents.seq}`;
  return cursorBatches(db, query, options);
}

/**
 * The distinct actions and record types, for the filter form. A loose index scan (one index probe
 * per distinct value, on the (action, seq) and (entity_type, entity_id) indexes) rather than
 * `select distinct`, which would read the whole table.
 */
export async function listAuditFacets(db: DbOrTx): Promise<AuditFacets> {
  const [actions, entityTypes, people, others] = await Promise.all([
    distinctValues(db, 'action'),
    distinctValues(db, 'entity_type'),
    db
      .select({ id: users.id, name: users.name, email: users.email, role: users.role, active: users.active })
      .from(users)
      .orderBy(asc(users.name), asc(users.email)),
    nonPersonActors(db),
  ]);
  return { actions, entityTypes, actors: { people, others } };
}

export interface AuditFacets {
  actions: string[];
  entityTypes: string[];
  /** Who can be picked: every user, deactivated ones too, and the actors of the log that are no person. */
  actors: {
    people: { id: string; name: string; email: string; role: Role; active: boolean }[];
    /** `system`, `provider:forage` …, and NO_ACCOUNT_ACTOR when the log has such events. */
    others: string[];
  };
}

/** The roles of events with no person, by a loose index scan of audit_events_non_person_idx. */
async function nonPersonActors(db: DbOrTx): Promise<string[]> {
  const rows = await queryRows<{ value: string | null; no_account: boolean }>(
    db,
    sql`with recursive t(value) as (
          (select actor_role from ${auditEvents} where actor_id is null and actor_role is not null order by 1 limit 1)
          union all
          select (select e.actor_role from ${auditEvents} e where e.actor_id is null and e.actor_role > t.value order by 1 limit 1)
          from t where t.value is not null)
        select value, false as no_account from t where value is not null
        union all
        select null, true where exists (select 1 from ${auditEvents} where actor_id is null and actor_role is null)`,
  );
  return rows.map((r) => (r.no_account ? NO_ACCOUNT_ACTOR : r.value!));
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
