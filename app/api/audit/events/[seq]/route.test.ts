import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DbHandle } from '@/db';
import { listAuditEvents } from '@/db/queries/audit';
import { auditEvents, users } from '@/db/schema';
import { AuditTable } from '@/components/audit/audit-table';
import { recordAudit, SYSTEM_CONTEXT } from '@/lib/audit';
import { freshPglite } from '@/test/db';

/**
 * The audit page lists events without their before/after; a row's change is fetched from here when
 * it is opened. Stood in for: the session cookie, the database handle and the request headers; the
 * permission check, the users-table lookup, the audit trail and the query are the real ones.
 */
const session = vi.hoisted(() => ({ userId: null as string | null }));
const database = vi.hoisted(() => ({ handle: null as DbHandle | null }));
vi.mock('@/lib/auth/session-id', () => ({
  getCookieSession: async () =>
    session.userId ? { userId: session.userId, sid: '00000000-0000-4000-8000-000000000000', oneTime: false } : null,
}));
vi.mock('@/db', async (importOriginal) => ({
  ...(await importOriginal<typeof import('@/db')>()),
  getDb: async () => database.handle!.db,
}));
vi.mock('next/headers', () => ({
  headers: async () => new Headers({ 'user-agent': 'vitest', 'x-request-id': 'req-audit-event' }),
}));

const { GET } = await import('./route');

const get = (seq: string) => GET(new Request(`http://localhost/api/audit/events/${seq}`), { params: Promise.resolve({ seq }) });

let ids: { auditor: string; agent: string };
let seqs: { change: number; none: number };
const BIG_NOTE = 'x'.repeat(5_000);

beforeAll(async () => {
  database.handle = await freshPglite();
  const db = database.handle.db;
  const people = await db
    .insert(users)
    .values([
      { email: 'auditor@t.test', name: 'Auditor', role: 'auditor' },
      { email: 'agent@t.test', name: 'Agent', role: 'agent' },
    ])
    .returning({ id: users.id, email: users.email });
  ids = {
    auditor: people.find((p) => p.email === 'auditor@t.test')!.id,
    agent: people.find((p) => p.email === 'agent@t.test')!.id,
  };
  await recordAudit(db, SYSTEM_CONTEXT, {
    action: 'provider.exchange',
    entityType: 'refund',
    entityId: '00000000-0000-4000-8000-0000000000aa',
    before: { status: 'processing' },
    after: { status: 'succeeded', note: BIG_NOTE, request: { authorization: 'Bearer abc', client_secret: 's3cret' } },
  });
  await recordAudit(db, SYSTEM_CONTEXT, { action: 'jobs.tick', entityType: 'job' });
  const [newest, older] = await db
    .select({ seq: auditEvents.seq, action: auditEvents.action })
    .from(auditEvents)
    .orderBy(desc(auditEvents.seq));
  expect([newest!.action, older!.action]).toEqual(['jobs.tick', 'provider.exchange']);
  seqs = { none: newest!.seq, change: older!.seq };
});
afterAll(() => database.handle?.close());
beforeEach(() => {
  session.userId = null;
});

describe('GET /api/audit/events/[seq]', () => {
  it('answers 401 without a session and 403 for a role without audit.read', async () => {
    expect((await get(String(seqs.change))).status).toBe(401);
    session.userId = ids.agent;
    const response = await get(String(seqs.change));
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ code: 'forbidden' });
  });

  it('answers 400 for something that is not an event number, 404 for one that does not exist', async () => {
    session.userId = ids.auditor;
    // Numbers only as the page writes them: no hex, exponent, sign, spaces or leading zeros that
    // Number() would read as some other event.
    for (const bad of ['abc', '0', '-1', '1.5', '1e400', '0x1', '1e0', '+1', ' 1', '01', '']) {
      const response = await get(bad);
      expect(response.status, bad).toBe(400);
      expect(await response.json()).toMatchObject({ code: 'invalid_input' });
    }
    const missing = await get('999999');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ code: 'not_found' });
  });

  it('gives an auditor the before and after as the page showed them (secrets redacted), never cached, and audits the read', async () => {
    session.userId = ids.auditor;
    const response = await get(String(seqs.change));
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = (await response.json()) as { seq: number; before: string | null; after: string | null };
    expect(body.seq).toBe(seqs.change);
    expect(body.before).toBe(JSON.stringify({ status: 'processing' }, null, 2));
    expect(JSON.parse(body.after!)).toEqual({
      status: 'succeeded',
      note: BIG_NOTE,
      request: { authorization: '[redacted]', client_secret: '[redacted]' },
    });

    const [read] = await database
      .handle!.db.select()
      .from(auditEvents)
      .where(eq(auditEvents.action, 'audit.read'))
      .orderBy(desc(auditEvents.seq))
      .limit(1);
    expect(read).toMatchObject({
      actorId: ids.auditor,
      entityType: 'audit_event',
      entityId: String(seqs.change),
      outcome: 'success',
    });

    const empty = (await (await get(String(seqs.none))).json()) as { before: string | null; after: string | null };
    expect(empty).toMatchObject({ before: null, after: null });
  });
});

describe('the audit table', () => {
  it('lists events without their before/after, only a Before and an After to open', async () => {
    const { rows } = await listAuditEvents(database.handle!.db, { limit: 50 });
    const html = renderToStaticMarkup(createElement(AuditTable, { events: rows }));
    expect(html).toContain('provider.exchange');
    expect(html).not.toContain(BIG_NOTE.slice(0, 100));
    expect(html).not.toContain('processing');
    const row = html.slice(html.indexOf(`data-seq="${seqs.change}"`));
    expect(row).toMatch(/<summary[^>]*>Before<\/summary>/);
    expect(row).toMatch(/<summary[^>]*>After<\/summary>/);
    // An event with neither says so, with nothing to open.
    const bare = html.slice(html.indexOf(`data-seq="${seqs.none}"`), html.indexOf(`data-seq="${seqs.change}"`));
    expect(bare).not.toContain('<details');
    expect(bare).toContain('—');
  });
});
