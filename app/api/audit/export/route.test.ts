import { and, asc, count, eq, getTableColumns, gt, sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DbHandle } from '@/db';
import { auditEvents, type AuditEvent } from '@/db/schema';
import { appendAudit, verifyAuditChain, type AuditContext } from '@/lib/audit';
import { chainHash, GENESIS_HASH } from '@/db/audit-hash';
import { submitApprovedRefund } from '@/lib/refunds/pipeline';
import { pollRefund } from '@/lib/refunds/reconcile';
import { createRefund } from '@/lib/refunds/service';
import { refundInput, refundRow, seededPglite, startProviders, userId, type Providers } from '@/test/refunds';
import { parseCsv } from '@/test/parse-csv';

// Only the session cookie, the database handle and the request headers are stood in for: the
// permission check, zod parsing, the queries, the CSV and the audit trail are the real ones, and
// the refund whose trail is exported really went through the pipeline against the sandbox.
// Behind one trusted proxy, as a deployment that records client addresses is.
vi.stubEnv('TRUSTED_PROXY_HOPS', '1');
const session = vi.hoisted(() => ({ userId: null as string | null }));
const database = vi.hoisted(() => ({ handle: null as DbHandle | null }));
vi.mock('@/lib/auth/session-id', () => ({
  getCookieSession: async () =>
    session.userId ? { userId: session.userId, sid: '00000000-0000-4000-8000-000000000000', oneTime: true } : null,
}));
vi.mock('@/db', async (importOriginal) => ({
  ...(await importOriginal<typeof import('@/db')>()),
  getDb: async () => database.handle!.db,
}));
vi.mock('next/headers', () => ({ headers: async () => new Headers({ 'user-agent': 'vitest' }) }));

const { GET } = await import('./route');

const HEADER = [
  'seq',
  'id',
  'occurred_at',
  'actor_email',
  'actor_role',
  'actor_id',
  'action',
  'entity_type',
  'entity_id',
  'outcome',
  'ip',
  'user_agent',
  'request_id',
  'before',
  'after',
  'prev_hash',
  'hash',
  'chain_version',
] as const;
// A browser's User-Agent is whatever the client sends: a spreadsheet must not run it.
const FORMULA_AGENT = '=HYPERLINK("http://evil.example","Click me")';

let p: Providers;
let ids: { agent: string; manager: string; auditor: string; admin: string };
let refundId: string;

const db = () => database.handle!.db;

function get(query: string) {
  return GET(new Request(`http://localhost/api/audit/export${query}`, { headers: { 'x-forwarded-for': '198.51.100.4' } }));
}
const exportEvents = () =>
  db().select().from(auditEvents).where(eq(auditEvents.action, 'audit.export')).orderBy(asc(auditEvents.seq));
async function auditCount() {
  const [row] = await db().select({ n: count() }).from(auditEvents);
  return row!.n;
}

type Cell = Record<(typeof HEADER)[number], string>;
const cellsOf = (row: string[]): Cell => Object.fromEntries(HEADER.map((h, i) => [h, row[i]!])) as Cell;

/**
 * A CSV row back to the hashed fields, as a verifier outside the app would do it: undo the
 * apostrophe lib/csv puts before a formula-looking cell, empty is null, before/after are JSON.
 */
function fromCsv(c: Cell) {
  const text = (v: string) => (/^'[=+\-@\t\r]/.test(v) ? v.slice(1) : v);
  const orNull = (v: string) => (v === '' ? null : text(v));
  const json = (v: string): unknown => (v === '' ? null : JSON.parse(text(v)));
  return {
    id: c.id,
    seq: Number(c.seq),
    occurredAt: new Date(c.occurred_at),
    actorId: orNull(c.actor_id),
    actorRole: orNull(c.actor_role),
    actorEmail: orNull(c.actor_email),
    action: text(c.action),
    entityType: text(c.entity_type),
    entityId: orNull(c.entity_id),
    before: json(c.before),
    after: json(c.after),
    ip: orNull(c.ip),
    userAgent: orNull(c.user_agent),
    requestId: orNull(c.request_id),
    outcome: c.outcome,
    prevHash: c.prev_hash,
    chainVersion: Number(c.chain_version),
  };
}

/** A stored event with its payloads as the database's JSON text, which the export writes as is. */
type StoredEvent = AuditEvent & { beforeText: string | null; afterText: string | null };
const storedColumns = {
  ...getTableColumns(auditEvents),
  beforeText: sql<string | null>`${auditEvents.before}::text`,
  afterText: sql<string | null>`${auditEvents.after}::text`,
};

/** What the export must write for a database row, worked out independently of the route. */
function expectedRow(e: StoredEvent): string[] {
  const safe = (v: string) => (/^[=+\-@\t\r]/.test(v) ? `'${v}` : v);
  return [
    String(e.seq),
    e.id,
    e.occurredAt.toISOString(),
    e.actorEmail ?? '',
    e.actorRole ?? '',
    e.actorId ?? '',
    e.action,
    e.entityType,
    e.entityId ?? '',
    e.outcome,
    e.ip ?? '',
    e.userAgent ?? '',
    e.requestId ?? '',
    e.beforeText ?? '',
    e.afterText ?? '',
    e.prevHash,
    e.hash,
    String(e.chainVersion),
  ].map(safe);
}

const trailOf = (id: string) =>
  db()
    .select(storedColumns)
    .from(auditEvents)
    .where(and(eq(auditEvents.entityType, 'refund'), eq(auditEvents.entityId, id)))
    .orderBy(asc(auditEvents.seq));

beforeAll(async () => {
  [database.handle, p] = await Promise.all([seededPglite(), startProviders()]);
  ids = {
    agent: await userId(db(), 'agent@refund-desk.test'),
    manager: await userId(db(), 'manager@refund-desk.test'),
    auditor: await userId(db(), 'auditor@refund-desk.test'),
    admin: await userId(db(), 'admin@refund-desk.test'),
  };
  // One refund from request to success, as the agent's browser and the job runner would drive it.
  const agentContext: AuditContext = {
    actorId: ids.agent,
    actorRole: 'agent',
    actorEmail: 'agent@refund-desk.test',
    ip: '198.51.100.9',
    userAgent: FORMULA_AGENT,
    requestId: 'req-trail-1',
  };
  const created = await createRefund(
    db(),
    { id: ids.agent },
    agentContext,
    await refundInput(db(), 'RD-100001', [{ line: '0412345000018', amount: 449 }]),
  );
  refundId = created.refundId;
  expect(created.status).toBe('approved');
  expect(await submitApprovedRefund(db(), refundId, p.clientFor)).toBe('processing');
  await p.control('settle', { provider: 'forage' });
  await pollRefund(db(), refundId, p.clientFor);
  expect((await refundRow(db(), refundId)).status).toBe('succeeded');
});
afterAll(async () => {
  await p?.close();
  await database.handle?.close();
});
beforeEach(() => {
  session.userId = null;
});

describe('GET /api/audit/export', () => {
  it('answers 401 without a session and writes nothing to the audit log', async () => {
    const before = await auditCount();
    const response = await get('');
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ code: 'unauthenticated' });
    expect(await auditCount()).toBe(before);
  });

  it.each([
    ['an agent', 'agent', 'audit.read,export.csv'],
    ['a manager (may export refunds, not read the audit log)', 'manager', 'audit.read'],
  ] as const)('answers 403 to %s, exports nothing and records the refusal', async (_label, role, missing) => {
    session.userId = ids[role];
    const response = await get(`?entityType=refund&entityId=${refundId}`);
    expect(response.status).toBe(403);
    expect(response.headers.get('content-type')).not.toContain('text/csv');
    expect(await response.json()).toMatchObject({ code: 'forbidden' });
    expect(await exportEvents()).toHaveLength(0);
    const denied = await db()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'access.denied'), eq(auditEvents.actorId, ids[role])));
    expect(denied).toHaveLength(1);
    expect(denied[0]).toMatchObject({
      actorRole: role,
      entityType: 'route',
      entityId: 'audit.export',
      outcome: 'failure',
      ip: '198.51.100.4',
      after: { permission: missing },
    });
  });

  it.each([
    ['an unknown outcome', '?outcome=maybe', 'outcome'],
    ['an end date before the start', '?from=2026-03-02&to=2026-03-01', 'to'],
    ['a date that does not exist', '?from=2026-02-30', 'from'],
    ['a repeated action', '?action=refund.requested&action=refund.approved', 'action'],
    ['an action that is not one', "?action=refund'%3B--", 'action'],
  ])('answers 400 with field errors for %s, and exports nothing', async (_label, query, field) => {
    session.userId = ids.auditor;
    const before = await auditCount();
    const response = await get(query);
    expect(response.status).toBe(400);
    const body = (await response.json()) as { code: string; fieldErrors: Record<string, string[]> };
    expect(body.code).toBe('invalid_input');
    expect(Object.keys(body.fieldErrors)).toEqual([field]);
    expect(body.fieldErrors[field]![0]).toEqual(expect.any(String));
    expect(await auditCount()).toBe(before);
  });

  it("exports one refund's trail, request to success, exactly as stored and verifiable row by row", async () => {
    session.userId = ids.auditor;
    const trail = await trailOf(refundId);
    const response = await get(`?entityType=refund&entityId=${refundId}&before=5`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="audit-log-\d{4}-\d{2}-\d{2}\.csv"$/);
    expect(response.headers.get('cache-control')).toBe('no-store');
    // On the record before the body has been read, with the filter and the row count.
    const [recorded, ...more] = await exportEvents();
    expect(more).toEqual([]);
    expect(recorded).toMatchObject({
      actorId: ids.auditor,
      actorRole: 'auditor',
      actorEmail: 'auditor@refund-desk.test',
      entityType: 'audit_log',
      outcome: 'success',
      ip: '198.51.100.4',
      after: { filters: { entityType: 'refund', entityId: refundId }, throughSeq: recorded!.seq - 1, rows: trail.length },
    });
    // The page's cursor rides along in the link; the export still covers the whole trail.
    expect(recorded!.after).not.toHaveProperty('filters.before');

    const [header, ...rows] = parseCsv(await response.text());
    expect(header).toEqual(HEADER);
    expect(rows).toEqual(trail.map(expectedRow));

    // The story of the refund: requested by the agent, sent, settled at Forage, succeeded.
    const cells = rows.map(cellsOf);
    expect(cells.every((c) => c.entity_type === 'refund' && c.entity_id === refundId)).toBe(true);
    expect(cells[0]).toMatchObject({
      action: 'refund.requested',
      actor_email: 'agent@refund-desk.test',
      actor_role: 'agent',
      actor_id: ids.agent,
      ip: '198.51.100.9',
      request_id: 'req-trail-1',
      outcome: 'success',
      // Neutralised for spreadsheets, and still verifiable (below).
      user_agent: `'${FORMULA_AGENT}`,
    });
    const statuses = cells
      .filter((c) => c.action === 'refund.status_changed')
      .map((c) => (JSON.parse(c.after) as { status: string }).status);
    expect(statuses).toEqual(['submitting', 'processing', 'succeeded']);
    expect(cells.some((c) => c.action === 'provider_refund.status_changed')).toBe(true);
    expect(JSON.parse(cells.at(-1)!.after)).toMatchObject({ status: 'succeeded' });

    for (const c of cells) expect(chainHash(fromCsv(c)), `row #${c.seq}`).toBe(c.hash);
    expect(await verifyAuditChain(db())).toMatchObject({ ok: true });
  });

  it('exports the whole log up to its start, in seq order across stream pages, as one verifiable chain', async () => {
    // More than one keyset page (1000) of the stream, and more than one CSV batch.
    await db().transaction(async (tx) => {
      for (let i = 0; i < 1100; i++) {
        await appendAudit(tx, { ...SYSTEM, requestId: `bulk-${i}` }, { action: 'bulk.event', entityType: 'thing', after: { i } });
      }
    });
    session.userId = ids.admin;
    const head = await auditCount();
    const response = await get('');
    expect(response.status).toBe(200);
    const [header, ...rows] = parseCsv(await response.text());
    expect(header).toEqual(HEADER);
    const stored = await db().select(storedColumns).from(auditEvents).where(gt(auditEvents.seq, 0)).orderBy(asc(auditEvents.seq));
    // Everything up to the head when the export began; its own event is the first one after.
    expect(rows).toHaveLength(head);
    expect(rows).toEqual(stored.slice(0, head).map(expectedRow));
    const own = stored[head]!;
    expect(own).toMatchObject({
      action: 'audit.export',
      actorId: ids.admin,
      after: { filters: {}, throughSeq: head, rows: head },
    });

    let previous = GENESIS_HASH;
    for (const c of rows.map(cellsOf)) {
      expect(c.prev_hash, `row #${c.seq}`).toBe(previous);
      expect(chainHash(fromCsv(c)), `row #${c.seq}`).toBe(c.hash);
      previous = c.hash;
    }
    expect(Number(cellsOf(rows.at(-1)!).seq)).toBe(head);
  });

  it('narrows by the same filters as the page (action prefix, actor, outcome, dates)', async () => {
    session.userId = ids.auditor;
    const trail = await trailOf(refundId);
    const from = trail[0]!.occurredAt.toISOString().slice(0, 10);
    const to = trail.at(-1)!.occurredAt.toISOString().slice(0, 10);
    const rows = parseCsv(await (await get(`?action=refund.&actor=${ids.agent}&outcome=success&from=${from}&to=${to}`)).text())
      .slice(1)
      .map(cellsOf);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.map((r) => r.action)).toEqual(['refund.requested']);
    expect(rows.every((r) => r.entity_id === refundId)).toBe(true);
    const none = parseCsv(await (await get('?from=2000-01-01&to=2000-01-31')).text());
    expect(none).toEqual([HEADER]);
  });

  it('an event tampered in the database no longer verifies in the export, and the chain check names it', async () => {
    const trail = await trailOf(refundId);
    const target = trail.find(
      (e) => e.action === 'refund.status_changed' && (e.after as { status: string }).status === 'succeeded',
    )!;
    // Only a superuser who turns the append-only trigger off can do this.
    await db().execute(sql`alter table audit_events disable trigger user`);
    try {
      await db().execute(
        sql`update audit_events set after = ${JSON.stringify({ status: 'failed' })}::jsonb where id = ${target.id}`,
      );
    } finally {
      await db().execute(sql`alter table audit_events enable trigger user`);
    }
    session.userId = ids.auditor;
    const rows = parseCsv(await (await get(`?entityType=refund&entityId=${refundId}`)).text())
      .slice(1)
      .map(cellsOf);
    const broken = rows.filter((c) => chainHash(fromCsv(c)) !== c.hash).map((c) => c.id);
    expect(broken).toEqual([target.id]);
    expect(await verifyAuditChain(db())).toMatchObject({
      ok: false,
      firstBreak: { id: target.id, seq: target.seq, reason: 'hash_mismatch' },
    });
  });
});

const SYSTEM: AuditContext = { actorId: null, actorRole: 'system', actorEmail: null, ip: null, userAgent: null, requestId: null };
