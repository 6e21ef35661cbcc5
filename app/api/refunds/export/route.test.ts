import { and, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DbHandle } from '@/db';
import { listRefundHistory } from '@/db/queries/refund-history';
import { seedDemo } from '@/demo/seed';
import { auditEvents, orders, users } from '@/db/schema';
import { verifyAuditChain } from '@/lib/audit';
import type { HistoryParams } from '@/lib/refunds/history-schema';
import { freshPglite } from '@/test/db';
import { addHistoryRefunds } from '@/test/history-fixtures';
import { parseCsv } from '@/test/parse-csv';

// Only the session cookie, the database handle and the request headers are stood in for: the
// permission check, zod parsing, the query, the CSV and the audit trail are the real ones.
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
  'refund_id',
  'requested_at',
  'status',
  'amount',
  'currency',
  'amount_minor',
  'order_number',
  'provider',
  'provider_ref',
  'customer',
  'requested_by',
  'reasons',
  'provider_refund_refs',
];
/** The header row people read (English here: the request names no language), one per column above. */
const ENGLISH_HEADER = [
  'Refund ID',
  'Requested at (UTC, ISO 8601)',
  'Status (code)',
  'Amount',
  'Currency',
  'Amount in minor units',
  'Order number',
  'Provider (code)',
  'Provider reference',
  'Customer',
  'Requested by',
  'Reasons (codes)',
  'Provider refund references',
];
const FORMULA_NAME = '=HYPERLINK("http://evil.example","Click me")';
let ids: { agent: string; auditor: string };
let formulaOrder: string;

function get(query: string) {
  return GET(new Request(`http://localhost/api/refunds/export${query}`, { headers: { 'x-forwarded-for': '198.51.100.4' } }));
}

async function exportEvents() {
  return database.handle!.db.select().from(auditEvents).where(eq(auditEvents.action, 'refunds.export'));
}
async function auditCount() {
  const [row] = await database.handle!.db.select({ n: count() }).from(auditEvents);
  return row!.n;
}
async function allIds(params: Partial<HistoryParams>) {
  const out: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await listRefundHistory(database.handle!.db, { ...params, cursor }, { limit: 9 });
    out.push(...page.rows.map((r) => r.id));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return out;
}

beforeAll(async () => {
  database.handle = await freshPglite();
  const db = database.handle.db;
  await seedDemo(db, { now: new Date('2026-11-23T12:00:00Z') });
  await addHistoryRefunds(db, 60);
  const byEmail = async (email: string) => (await db.select().from(users).where(eq(users.email, email)))[0]!.id;
  ids = { agent: await byEmail('agent@refund-desk.test'), auditor: await byEmail('auditor@refund-desk.test') };
  formulaOrder = 'RD-100002';
  await db.update(orders).set({ customerName: FORMULA_NAME }).where(eq(orders.orderNumber, formulaOrder));
});
afterAll(() => database.handle?.close());
beforeEach(() => {
  session.userId = null;
});

describe('GET /api/refunds/export', () => {
  it('answers 401 without a session and writes nothing to the audit log', async () => {
    const before = await auditCount();
    const response = await get('');
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ code: 'unauthenticated' });
    expect(await auditCount()).toBe(before);
  });

  it('answers 403 to an agent, exports nothing and records the refusal', async () => {
    session.userId = ids.agent;
    const response = await get('?provider=forage');
    expect(response.status).toBe(403);
    expect(response.headers.get('content-type')).not.toContain('text/csv');
    expect(await response.json()).toMatchObject({ code: 'forbidden' });
    expect(await exportEvents()).toHaveLength(0);
    const denied = await database
      .handle!.db.select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'access.denied'), eq(auditEvents.actorId, ids.agent)));
    expect(denied).toHaveLength(1);
    expect(denied[0]).toMatchObject({ entityId: 'refunds.export', outcome: 'failure', ip: '198.51.100.4' });
  });

  it('answers 403 to a user who has not yet replaced their one-time password, and exports nothing', async () => {
    const db = database.handle!.db;
    const [pending] = await db
      .insert(users)
      .values({ email: 'new.auditor@refund-desk.test', name: 'New Auditor', role: 'auditor', mustChangePassword: true })
      .returning();
    session.userId = pending!.id;
    const response = await get('');
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ code: 'password_change_required' });
    expect(await exportEvents()).toHaveLength(0);
    await db.update(users).set({ active: false }).where(eq(users.id, pending!.id));
  });

  it('streams exactly the filtered rows to an auditor, in the chosen order, and audits the export first', async () => {
    session.userId = ids.auditor;
    const params: Partial<HistoryParams> = {
      provider: 'forage',
      status: ['succeeded', 'failed', 'approved'],
      sort: 'amount_asc',
    };
    const first = await listRefundHistory(database.handle!.db, params, { limit: 3 });
    // The page's cursor rides along in the link; the export still starts at the first row.
    const response = await get(
      `?provider=forage&status=succeeded&status=failed,approved&sort=amount_asc&cursor=${first.nextCursor}&from=`,
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="refunds-\d{4}-\d{2}-\d{2}\.csv"$/);
    expect(response.headers.get('cache-control')).toBe('no-store');
    // On the record before the body has been read.
    expect(await exportEvents()).toHaveLength(1);

    const [header, ...rows] = parseCsv(await response.text());
    expect(header).toEqual(ENGLISH_HEADER);
    const want = await allIds(params);
    expect(want.length).toBeGreaterThan(9);
    expect(rows.map((r) => r[0])).toEqual(want);
    for (const row of rows) {
      const cell = Object.fromEntries(HEADER.map((h, i) => [h, row[i]!]));
      expect(cell.provider).toBe('forage');
      expect(['succeeded', 'failed', 'approved']).toContain(cell.status);
      expect(cell.currency).toBe('USD');
      expect(Number.isNaN(Date.parse(cell.requested_at!))).toBe(false);
      // The decimal amount is the minor units, exactly.
      expect(cell.amount).toBe(`${Math.floor(Number(cell.amount_minor) / 100)}.${cell.amount_minor!.padStart(3, '0').slice(-2)}`);
      expect(cell.reasons!.split(';').length).toBeGreaterThan(0);
    }
    expect(rows.some((r) => r[12]!.length > 0)).toBe(true);

    const events = await exportEvents();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      actorId: ids.auditor,
      actorRole: 'auditor',
      entityType: 'refund_history',
      outcome: 'success',
      ip: '198.51.100.4',
      after: { provider: 'forage', status: ['succeeded', 'failed', 'approved'], sort: 'amount_asc' },
    });
    expect(events[0]!.after).not.toHaveProperty('cursor');
  });

  it('exports every refund when nothing is filtered', async () => {
    session.userId = ids.auditor;
    const rows = parseCsv(await (await get('')).text());
    expect(rows.slice(1).map((r) => r[0])).toEqual(await allIds({}));
    expect(rows).toHaveLength(1 + 26 + 60);
  });

  it('neutralises a formula-looking customer name', async () => {
    session.userId = ids.auditor;
    const response = await get(`?order=${formulaOrder}`);
    const [, ...rows] = parseCsv(await response.text());
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row[HEADER.indexOf('customer')]).toBe(`'${FORMULA_NAME}`);
  });

  it('answers 400 with field errors for a value it cannot use, and exports nothing', async () => {
    session.userId = ids.auditor;
    const before = (await exportEvents()).length;
    const bad = await get('?status=succeeded&status=bogus');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: 'invalid_input', fieldErrors: { status: [expect.any(String)] } });
    const range = await get('?min=20.00&max=10');
    expect(range.status).toBe(400);
    expect(await range.json()).toMatchObject({ fieldErrors: { max: [expect.stringContaining('minimum')] } });
    expect((await get('?min=12.345')).status).toBe(400);
    expect((await exportEvents()).length).toBe(before);
  });

  it('leaves an intact audit chain behind', async () => {
    expect(await verifyAuditChain(database.handle!.db)).toMatchObject({ ok: true });
  });
});
