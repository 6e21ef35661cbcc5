import { asc, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Db, DbHandle } from '@/db';
import { auditEvents, users, type AuditEvent } from '@/db/schema';
import { auditHeadSeq, countAuditEvents, listAuditEvents, listAuditFacets, streamAuditEvents } from '@/db/queries/audit';
import { freshPglite, freshPostgres, TEST_DATABASE_URL, warnPostgresSkipped } from '@/test/db';
import { appendAudit, verifyAuditChain, type AuditContext } from '.';
import { parseAuditSearch, type AuditFilter } from './filters-schema';

// The audit log from URL to rows: the filter through the real schema, events written by the real
// appendAudit, then the queries (db/queries/audit.ts) the page and the export share. Both
// databases must agree (PRODUCT.md §2.7, §5).
warnPostgresSkipped('audit log filters, keyset pagination and streaming on PostgreSQL');
const backends = [
  ['PGlite', freshPglite] as const,
  ...(TEST_DATABASE_URL ? [['PostgreSQL', () => freshPostgres(4)] as const] : []),
];

const ALICE = '6f1c2b8e-3d4a-4b5c-8d6e-7f8091a2b3c4';
const BOB = '0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d';
const R1 = '11111111-2222-4333-8444-555555555555';
const R2 = '22222222-3333-4444-8555-666666666666';
const O1 = '33333333-4444-4555-8666-777777777777';

const person = (actorId: string, actorEmail: string, actorRole: string): AuditContext => ({
  actorId,
  actorEmail,
  actorRole,
  ip: '203.0.113.5',
  userAgent: 'vitest',
  requestId: null,
});
const alice = person(ALICE, 'Alice@Example.com', 'agent');
const bob = person(BOB, 'bob@example.com', 'manager');
const system: AuditContext = { actorId: null, actorEmail: null, actorRole: 'system', ip: null, userAgent: null, requestId: null };
const forage: AuditContext = { ...system, actorRole: 'provider:forage' };
/** A single sign-on attempt by an address with no account: no id, no role (lib/auth/index.ts). */
const stranger: AuditContext = { ...system, actorRole: null, actorEmail: 'stranger@example.com' };

type Entry = Parameters<typeof appendAudit>[2];
const FIXTURE: [at: string, who: AuditContext, entry: Entry][] = [
  [
    '2026-03-01T00:00:00.000Z',
    alice,
    { action: 'refund.requested', entityType: 'refund', entityId: R1, after: { status: 'approved' } },
  ],
  [
    '2026-03-01T10:00:00.000Z',
    system,
    { action: 'refund.status_changed', entityType: 'refund', entityId: R1, after: { status: 'processing' } },
  ],
  [
    '2026-03-01T23:59:59.999Z',
    bob,
    { action: 'refund.approved', entityType: 'refund', entityId: R2, before: { status: 'pending_approval' } },
  ],
  [
    '2026-03-02T00:00:00.000Z',
    alice,
    { action: 'order.imported', entityType: 'order', entityId: O1, after: { orderNumber: 'RD-1' } },
  ],
  [
    '2026-03-02T08:00:00.000Z',
    forage,
    { action: 'webhook.received', entityType: 'webhook_event', entityId: 'w1', after: { refundId: R1 } },
  ],
  [
    '2026-03-02T09:00:00.000Z',
    bob,
    { action: 'access.denied', entityType: 'route', entityId: 'refunds.export', outcome: 'failure' },
  ],
  ['2026-03-02T12:00:00.000Z', alice, { action: 'auth.sign_in', entityType: 'user', entityId: ALICE, outcome: 'failure' }],
  [
    '2026-03-02T23:59:59.999Z',
    system,
    { action: 'refund.status_changed', entityType: 'refund', entityId: R1, after: { status: 'succeeded' } },
  ],
  ['2026-03-03T00:00:00.000Z', bob, { action: 'refunds.export', entityType: 'refund_history', after: { provider: 'forage' } }],
  ['2026-03-03T11:00:00.000Z', alice, { action: 'refund.requested', entityType: 'refund', entityId: R2, outcome: 'failure' }],
];
// Volume for pagination: 30 more on the 4th, alternating people, actions and refunds.
for (let i = 0; i < 30; i++) {
  FIXTURE.push([
    new Date(Date.parse('2026-03-04T00:00:00.000Z') + i * 60_000).toISOString(),
    i % 3 === 0 ? bob : i % 3 === 1 ? alice : system,
    {
      action: i % 2 ? 'refund.status_changed' : 'audit.read',
      entityType: i % 2 ? 'refund' : 'audit_log',
      entityId: i % 2 ? (i % 4 === 1 ? R1 : R2) : null,
      after: { i },
      outcome: i % 5 === 0 ? 'failure' : 'success',
    },
  ]);
}

// Last, so the pinned sequence numbers below keep their events.
FIXTURE.push(['2026-03-05T09:00:00.000Z', stranger, { action: 'auth.sign_in', entityType: 'user', outcome: 'failure' }]);

/** The filter computed in JS over every event: what the query must return (newest first). */
function matches(e: AuditEvent, f: AuditFilter) {
  const dayStart = (day: string) => Date.parse(`${day}T00:00:00.000Z`);
  const at = e.occurredAt.getTime();
  const actor = f.actor?.toLowerCase();
  const actorOk =
    !actor ||
    (/^[0-9a-f-]{36}$/.test(actor)
      ? e.actorId === actor
      : e.actorId === null && (actor === 'no-account' ? e.actorRole === null : e.actorRole === actor));
  const action = f.action;
  const actionOk =
    !action ||
    (action.endsWith('*')
      ? e.action.startsWith(action.slice(0, -1))
      : action.endsWith('.')
        ? e.action.startsWith(action)
        : e.action === action);
  return (
    actorOk &&
    actionOk &&
    (!f.entityType || e.entityType === f.entityType) &&
    (!f.entityId || e.entityId === f.entityId) &&
    (!f.from || at >= dayStart(f.from)) &&
    (!f.to || at < dayStart(f.to) + 86_400_000) &&
    (!f.outcome || e.outcome === f.outcome)
  );
}

/** The URL values through the real schema, as the page and the export receive them. */
function filterOf(raw: Record<string, string>): AuditFilter {
  const parsed = parseAuditSearch(raw);
  if (!parsed.ok) throw new Error(`fixture filter does not parse: ${JSON.stringify(parsed.fieldErrors)}`);
  return parsed.filter;
}

describe.each(backends)('audit log queries (%s)', (_name, open) => {
  let handle: DbHandle;
  let db: Db;
  let all: AuditEvent[];

  /** Every page of the filtered list, following `nextBeforeSeq` until it is null. */
  async function allPages(filter: AuditFilter, limit: number) {
    const pages: AuditEvent[][] = [];
    let beforeSeq: number | undefined;
    for (let guard = 0; guard < 100; guard++) {
      const page = await listAuditEvents(db, { ...filter, beforeSeq, limit });
      pages.push(page.rows);
      if (page.nextBeforeSeq === null) return pages;
      expect(page.rows).toHaveLength(limit);
      expect(page.nextBeforeSeq).toBe(page.rows.at(-1)!.seq);
      beforeSeq = page.nextBeforeSeq;
    }
    throw new Error('pagination did not end');
  }

  const seqsOf = (rows: AuditEvent[]) => rows.map((r) => r.seq);
  const expected = (filter: AuditFilter) =>
    all
      .filter((e) => matches(e, filter))
      .map((e) => e.seq)
      .reverse();

  beforeAll(async () => {
    handle = await open();
    db = handle.db;
    // appendAudit stamps `new Date()`: only Date is faked, so the database's own timers run.
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      for (const [at, who, entry] of FIXTURE) {
        vi.setSystemTime(new Date(at));
        await db.transaction((tx) => appendAudit(tx, who, entry));
      }
    } finally {
      vi.useRealTimers();
    }
    all = await db.select().from(auditEvents).orderBy(asc(auditEvents.seq));
    expect(all).toHaveLength(FIXTURE.length);
    expect(all.map((e) => e.occurredAt.toISOString())).toEqual(FIXTURE.map(([at]) => at));
  });
  afterAll(() => handle?.close());

  it('lists every event newest first when nothing is filtered', async () => {
    const page = await listAuditEvents(db, { limit: 200 });
    expect(seqsOf(page.rows)).toEqual(all.map((e) => e.seq).reverse());
    expect(page.nextBeforeSeq).toBeNull();
  });

  const CASES: [string, Record<string, string>][] = [
    ['actor by user id', { actor: ALICE }],
    ['actor by user id in capitals', { actor: BOB.toUpperCase() }],
    ['actor "system" (no person)', { actor: 'system' }],
    ['actor "provider:forage" (a provider webhook)', { actor: 'provider:forage' }],
    ['actor "no-account" (a sign-in by an unknown address)', { actor: 'no-account' }],
    ['exact action', { action: 'refund.requested' }],
    ['action prefix with a dot', { action: 'refund.' }],
    ['action prefix with a star', { action: 'refund*' }],
    ['record type', { entityType: 'refund' }],
    ["one refund's trail", { entityType: 'refund', entityId: R1 }],
    ['outcome failure', { outcome: 'failure' }],
    ['outcome success', { outcome: 'success' }],
    ['one UTC day', { from: '2026-03-02', to: '2026-03-02' }],
    ['from a day on', { from: '2026-03-03' }],
    ['up to a day', { to: '2026-03-01' }],
    ['everything at once', { actor: ALICE, action: 'refund.', from: '2026-03-01', to: '2026-03-03', outcome: 'success' }],
  ];

  it.each(CASES)('filters by %s: exactly the matching events, fewer than all', async (_label, raw) => {
    const filter = filterOf(raw);
    const want = expected(filter);
    expect(want.length).toBeGreaterThan(0);
    expect(want.length).toBeLessThan(all.length);
    const page = await listAuditEvents(db, { ...filter, limit: 200 });
    expect(seqsOf(page.rows)).toEqual(want);
    expect(await countAuditEvents(db, filter, await auditHeadSeq(db))).toBe(want.length);
  });

  it('pins the filters to known events (the JS reference above could share a mistake)', async () => {
    const list = async (raw: Record<string, string>) =>
      seqsOf((await listAuditEvents(db, { ...filterOf(raw), limit: 200 })).rows);
    // Both ends of a UTC day are in it; the last millisecond before and the first after are not.
    expect(await list({ from: '2026-03-02', to: '2026-03-02' })).toEqual([8, 7, 6, 5, 4]);
    expect(await list({ from: '2026-03-01', to: '2026-03-01' })).toEqual([3, 2, 1]);
    expect(await list({ entityType: 'refund', entityId: R1, to: '2026-03-03' })).toEqual([8, 2, 1]);
    // `refund.` is refund actions only; `refund*` also takes `refunds.export`.
    expect(await list({ action: 'refund.', to: '2026-03-03' })).toEqual([10, 8, 3, 2, 1]);
    expect(await list({ action: 'refund*', to: '2026-03-03' })).toEqual([10, 9, 8, 3, 2, 1]);
    expect(await list({ action: 'refund.*', to: '2026-03-03' })).toEqual([10, 8, 3, 2, 1]);
    expect(await list({ actor: 'provider:forage' })).toEqual([5]);
    expect(await list({ actor: 'no-account' })).toEqual([41]);
    expect(await list({ actor: ALICE, outcome: 'failure', to: '2026-03-03' })).toEqual([10, 7]);
    // A person's events, not those of no person that carry a role of the same name.
    expect(await list({ actor: 'system', to: '2026-03-03' })).toEqual([8, 2]);
    // LIKE wildcards typed by a person are literal characters.
    expect(await list({ action: 'refund_' })).toEqual([]);
    // A filter nothing matches is an empty list, not an error.
    expect(await list({ entityType: 'refund', entityId: O1 })).toEqual([]);
  });

  it.each([1, 4, 7, 10, 200])('pages of %i neither overlap nor skip, unfiltered and filtered', async (limit) => {
    for (const raw of [{}, { action: 'refund.' }, { from: '2026-03-02', to: '2026-03-04', outcome: 'success' }] as Record<
      string,
      string
    >[]) {
      const filter = filterOf(raw);
      const pages = await allPages(filter, limit);
      const seqs = pages.flat().map((e) => e.seq);
      expect(seqs).toEqual(expected(filter));
      expect(new Set(seqs).size).toBe(seqs.length);
      // The last page is never empty unless the whole list is, even when it ends exactly on a page.
      if (seqs.length) expect(pages.at(-1)!.length).toBeGreaterThan(0);
    }
  });

  it('a page that ends exactly on the last event says there is no next page', async () => {
    const filter = filterOf({ from: '2026-03-02', to: '2026-03-02' });
    expect(expected(filter)).toHaveLength(5);
    const first = await listAuditEvents(db, { ...filter, limit: 5 });
    expect(first.rows).toHaveLength(5);
    expect(first.nextBeforeSeq).toBeNull();
    const split = await listAuditEvents(db, { ...filter, limit: 3 });
    expect(seqsOf(split.rows)).toEqual([8, 7, 6]);
    expect(split.nextBeforeSeq).toBe(6);
    const rest = await listAuditEvents(db, { ...filter, beforeSeq: 6, limit: 3 });
    expect(seqsOf(rest.rows)).toEqual([5, 4]);
    expect(rest.nextBeforeSeq).toBeNull();
  });

  it('streams oldest first in keyset pages, up to the snapshot end, for any page size', async () => {
    for (const pageSize of [1, 3, 40, 1000]) {
      for (const raw of [{}, { entityType: 'refund' }, { actor: BOB }] as Record<string, string>[]) {
        const filter = filterOf(raw);
        const seqs: number[] = [];
        for await (const e of streamAuditEvents(db, filter, { throughSeq: all.length, pageSize })) seqs.push(e.seq);
        expect(seqs).toEqual([...expected(filter)].reverse());
      }
    }
    const through = 12;
    const seqs: number[] = [];
    for await (const e of streamAuditEvents(db, {}, { throughSeq: through, pageSize: 5 })) seqs.push(e.seq);
    expect(seqs).toEqual(Array.from({ length: through }, (_, i) => i + 1));
    expect(await countAuditEvents(db, filterOf({ entityType: 'refund' }), through)).toBe(
      all.filter((e) => e.seq <= through && e.entityType === 'refund').length,
    );
  });

  it('lists the distinct actions and record types for the filter form', async () => {
    const facets = await listAuditFacets(db);
    expect(facets.actions).toEqual([...new Set(all.map((e) => e.action))].sort());
    expect(facets.entityTypes).toEqual([...new Set(all.map((e) => e.entityType))].sort());
    expect(facets.entityTypes).toEqual(['audit_log', 'order', 'refund', 'refund_history', 'route', 'user', 'webhook_event']);
  });

  it('lists who can be picked: every user, deactivated too, and the log’s actors that are no person', async () => {
    const [carol, dave] = await db
      .insert(users)
      .values([
        { email: 'carol@example.com', name: 'Carol', role: 'auditor' },
        { email: 'dave@example.com', name: 'Dave', role: 'agent', active: false },
      ])
      .returning({ id: users.id });
    try {
      const { actors } = await listAuditFacets(db);
      expect(actors.people).toEqual([
        { id: carol!.id, name: 'Carol', email: 'carol@example.com', role: 'auditor', active: true },
        { id: dave!.id, name: 'Dave', email: 'dave@example.com', role: 'agent', active: false },
      ]);
      expect(actors.others).toEqual(['provider:forage', 'system', 'no-account']);
    } finally {
      await db.delete(users).where(inArray(users.id, [carol!.id, dave!.id]));
    }
  });

  it('refuses a "who" that is not a pick from the list, as links from before the list asked', () => {
    for (const actor of ['alice@', 'ALICE@', 'example.com', 'forage', '%', '_']) {
      expect(parseAuditSearch({ actor }).ok, actor).toBe(false);
    }
  });

  it('leaves an intact chain behind', async () => {
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true, verified: all.length });
  });
});

describe('listAuditFacets on an empty log', () => {
  it('returns no values', async () => {
    const { db, close } = await freshPglite();
    try {
      expect(await listAuditFacets(db)).toEqual({ actions: [], entityTypes: [], actors: { people: [], others: [] } });
      expect(await auditHeadSeq(db)).toBe(0);
      expect(await listAuditEvents(db)).toEqual({ rows: [], nextBeforeSeq: null });
    } finally {
      await close();
    }
  });
});
