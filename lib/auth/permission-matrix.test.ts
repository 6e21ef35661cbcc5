import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { asc, eq, getTableName, gt, is, max, sql } from 'drizzle-orm';
import { PgTable } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { queryRows, type DbHandle } from '@/db';
import * as schema from '@/db/schema';
import { auditEvents, refundLimits, users, type Role, securityCounts } from '@/db/schema';
import { roleEnum, type Provider } from '@/db/schema/enums';
import { SYSTEM_CONTEXT } from '@/lib/audit';
import type { ProviderClient } from '@/lib/providers';
import type { ClientFor } from '@/lib/refunds/pipeline';
import { discoverServerSurface, HTTP_METHODS, ROOT } from '@/test/server-endpoints';
import { orderByNumber, refundInput, seededPglite, startProviders, type Providers } from '@/test/refunds';
import { can, PERMISSIONS, type Permission } from './permissions';

/**
 * The permission matrix (issue #10): every exported server action and every route handler, found
 * in the source (test/server-endpoints.ts), is called unauthenticated and as each role. It must be
 * allowed exactly where `REGISTERED` and the permission map (./permissions.ts) say, and a refused
 * call must change nothing: no row of any table of the schema, no provider call, and in the audit
 * trail nothing but the `access.denied` event of the refusal. An endpoint that is not registered
 * here, or a registered one that no longer exists, fails the test.
 *
 * Refused calls carry an input that would change something if they were let through (the first
 * allowed call with the same input must succeed, which proves it), so "changes nothing" means the
 * gate held, not that the input was empty. Refused callers go first for that reason.
 *
 * Stood in for: the session cookie (which user is signed in), the request headers, the database
 * handle (a seeded PGlite), the providers (the in-process sandbox) and Next.js's cache. The action
 * wrapper, the users table lookup, the permission map, zod and the audit trail are the real ones.
 */

const session = vi.hoisted(() => ({ userId: null as string | null, sid: '' }));
const database = vi.hoisted(() => ({ handle: null as DbHandle | null }));
const provider = vi.hoisted(() => ({ clientFor: null as ClientFor | null, calls: 0 }));
/** Submissions the app fires and forgets, awaited after each call so they cannot land in the next. */
const background = vi.hoisted(() => ({ pending: [] as Promise<unknown>[] }));
/**
 * Auth.js cannot be loaded under Vitest (next-auth's ESM build imports `next/server` without an
 * extension), so `@/lib/auth` is stood in for: signIn and signOut are recorded, and the
 * [...nextauth] route's handlers answer 200. Those two entries therefore show only that the route
 * is registered as public and answers everyone alike, not what Auth.js does.
 */
const authjs = vi.hoisted(() => ({
  signIn: vi.fn(async () => undefined),
  signOut: vi.fn(async () => undefined),
  handler: vi.fn(async () => new Response('{}', { status: 200, headers: { 'content-type': 'application/json' } })),
}));

vi.mock('@/lib/auth/session-id', () => ({
  getSessionIds: async () => (session.userId ? { userId: session.userId, sid: session.sid } : null),
  getCookieSession: async () => (session.userId ? { userId: session.userId, sid: session.sid, oneTime: false } : null),
}));
vi.mock('next-auth', () => ({ AuthError: class extends Error {}, CredentialsSignin: class extends Error {} }));
vi.mock('@/lib/auth', () => ({
  auth: async () => null,
  signIn: authjs.signIn,
  signOut: authjs.signOut,
  handlers: { GET: authjs.handler, POST: authjs.handler },
  oidcEnabled: false,
  oidcName: 'Single sign-on',
}));
vi.mock('@/db', async (importOriginal) => ({
  ...(await importOriginal<typeof import('@/db')>()),
  getDb: async () => database.handle!.db,
  getDbHandle: async () => database.handle!,
}));
vi.mock('next/headers', () => ({
  headers: async () => new Headers({ 'user-agent': 'vitest', 'x-forwarded-for': '203.0.113.9', 'x-request-id': 'matrix' }),
  cookies: async () => ({ get: () => undefined, set: () => {} }),
}));
vi.mock('next/cache', () => ({ revalidatePath: () => {}, revalidateTag: () => {} }));
vi.mock('@/lib/providers', async (importOriginal) => ({
  ...(await importOriginal<typeof import('@/lib/providers')>()),
  getProviderClient: (name: string) => {
    const client = provider.clientFor?.(name as Provider);
    if (!client) throw new Error(`no sandbox client for ${name}`);
    return client;
  },
}));
vi.mock('@/lib/refunds/pipeline', async (importOriginal) => {
  const original = await importOriginal<typeof import('@/lib/refunds/pipeline')>();
  return {
    ...original,
    kickSubmission: (...args: Parameters<typeof original.submitApprovedRefund>) => {
      background.pending.push(original.submitApprovedRefund(...args).catch(() => null));
    },
  };
});

// ---------------------------------------------------------------------------------------------
// What is registered

type Caller = Role | null;
type Endpoint = (...args: unknown[]) => Promise<unknown>;
type Gate = Permission | readonly Permission[] | { public: string };

interface World {
  ids: Record<Role, string>;
  pending: Record<'approve' | 'reject' | 'cancel' | 'expire', { id: string; digest: string }>;
  /** A refund whose outcome at the provider is unknown (only a manager settles it by hand). */
  unresolved: string;
  /** A refund the provider refused for its own limits (its approval endpoint can be asked). */
  refusedByProvider: string;
  /** An order the sandbox has and the database does not. */
  importable: { provider: Provider; providerRef: string };
  refreshable: string;
  override: string;
  targets: Record<'deactivate' | 'changeRole' | 'reset', string>;
}

interface Entry {
  /** The permission(s) the endpoint requires, all of them; or public, with the reason. */
  gate: Gate;
  call: (fn: Endpoint, w: World) => Promise<unknown>;
  /**
   * Gated endpoints: the first allowed caller's call succeeds, so the refused calls before it
   * carried an input that would have changed something. `false` with a reason where none can.
   */
  effective?: false;
  /** Public endpoints: a call writes nothing, whoever makes it. */
  readOnly?: true;
}

const json = (body: unknown) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const params = <T>(value: T) => ({ params: Promise.resolve(value) });

const REGISTERED: Record<string, Entry> = {
  // lib/approvals/actions.ts
  'lib/approvals/actions.ts#approveRefundAction': {
    gate: 'approvals.decide',
    call: (fn, w) => fn({ refundId: w.pending.approve.id, linesDigest: w.pending.approve.digest, comment: 'Fine.' }),
  },
  'lib/approvals/actions.ts#rejectRefundAction': {
    gate: 'approvals.decide',
    call: (fn, w) => fn({ refundId: w.pending.reject.id, linesDigest: w.pending.reject.digest, comment: 'Not damaged.' }),
  },
  'lib/approvals/actions.ts#cancelRefundAction': {
    gate: 'refunds.cancel',
    call: (fn, w) => fn({ refundId: w.pending.cancel.id }),
  },

  // lib/audit/actions.ts
  'lib/audit/actions.ts#verifyAuditChainAction': { gate: 'audit.verify', call: (fn) => fn({}) },

  // lib/auth/actions.ts
  'lib/auth/actions.ts#signInAction': {
    gate: { public: 'Signing in: nobody is signed in yet. Input is parsed, attempts are throttled and audited.' },
    readOnly: true,
    call: (fn) => fn(null, new FormData()),
  },
  'lib/auth/actions.ts#signOutAction': {
    gate: { public: 'Ends only the caller’s own session; without one it just clears the cookie.' },
    call: (fn) => fn(),
  },

  // lib/orders/actions.ts
  'lib/orders/actions.ts#importOrderAction': { gate: 'orders.import', call: (fn, w) => fn(w.importable) },
  'lib/orders/actions.ts#refreshOrderAction': { gate: 'orders.import', call: (fn, w) => fn({ orderId: w.refreshable }) },

  // lib/providers/actions.ts
  'lib/providers/actions.ts#testProviderConnectionAction': {
    gate: 'providers.health',
    call: (fn) => fn({ provider: 'forage' }),
  },

  // lib/refunds/actions.ts
  'lib/refunds/actions.ts#createRefundAction': {
    gate: 'refunds.create',
    call: async (fn) => fn(await refundInput(database.handle!.db, 'RD-100040', [{ line: '0412345000087', amount: 2499 }])),
  },
  'lib/refunds/actions.ts#requestProviderApprovalAction': {
    gate: 'refunds.create',
    call: (fn, w) => fn({ refundId: w.refusedByProvider }),
  },
  'lib/refunds/actions.ts#resolveByHandAction': {
    gate: 'refunds.reconcile',
    call: (fn, w) => fn({ refundId: w.unresolved, outcome: 'not_applied', note: 'Not in the provider portal.' }),
  },

  // lib/settings/actions.ts
  'lib/settings/actions.ts#updateLimitsAction': {
    gate: 'settings.manage',
    call: (fn) => fn({ currency: 'USD', approvalThreshold: '150.00', perRefund: '500.00', perDay: '1,000.00' }),
  },
  'lib/settings/actions.ts#removeLimitOverrideAction': {
    gate: 'settings.manage',
    call: (fn, w) => fn({ limitId: w.override }),
  },
  'lib/settings/actions.ts#updateApprovalExpiryAction': { gate: 'settings.manage', call: (fn) => fn({ hours: 72 }) },

  // lib/users/actions.ts
  'lib/users/actions.ts#setUserActiveAction': {
    gate: 'users.manage',
    call: (fn, w) => fn({ userId: w.targets.deactivate, active: false }),
  },
  'lib/users/actions.ts#changeUserRoleAction': {
    gate: 'users.manage',
    call: (fn, w) => fn({ userId: w.targets.changeRole, role: 'admin' }),
  },
  'lib/users/actions.ts#inviteUserAction': {
    gate: 'users.manage',
    call: (fn) => fn({ name: 'Invited Person', email: 'invited@matrix.test', role: 'admin' }),
  },
  'lib/users/actions.ts#resetPasswordAction': {
    gate: 'users.manage',
    call: (fn, w) => fn({ userId: w.targets.reset }),
  },
  'lib/users/actions.ts#setLanguageAction': { gate: 'account.preferences', call: (fn) => fn({ locale: 'nb' }) },
  'lib/users/actions.ts#setOwnPasswordAction': {
    gate: 'account.password',
    // Only a session opened with a one-time password may set one: for the others it is refused as
    // `not_required` after the gate, which is all that can be shown here.
    effective: false,
    call: (fn) => fn({ password: 'a-long-enough-password', confirm: 'a-long-enough-password' }),
  },

  // Route handlers
  'app/api/audit/export/route.ts#GET': {
    gate: ['audit.read', 'export.csv'],
    call: (fn) => fn(new Request('http://localhost/api/audit/export')),
  },
  'app/api/audit/events/[seq]/route.ts#GET': {
    gate: 'audit.read',
    // The first event of the seeded trail: opening its row on the audit page.
    call: (fn) => fn(new Request('http://localhost/api/audit/events/1'), params({ seq: '1' })),
  },
  'app/api/refunds/export/route.ts#GET': {
    gate: 'export.csv',
    call: (fn) => fn(new Request('http://localhost/api/refunds/export')),
  },
  'app/api/refunds/[refundId]/status/route.ts#GET': {
    gate: 'refunds.read',
    call: (fn, w) => fn(new Request(`http://localhost/api/refunds/${w.unresolved}/status`), params({ refundId: w.unresolved })),
  },
  'app/api/testing/expire-approvals/route.ts#POST': {
    // Compiled in only with RD_TEST_HOOKS=1 (vitest sets it, as the e2e build does) and served with E2E_TEST_HOOKS=1 (set below); then it is an admin's.
    gate: 'settings.manage',
    call: (fn, w) =>
      fn(
        new Request(
          'http://localhost/api/testing/expire-approvals',
          json({ refundId: w.pending.expire.id, asOf: new Date(Date.now() + 90 * 86_400_000).toISOString() }),
        ),
      ),
  },
  'app/api/health/route.ts#GET': {
    gate: { public: 'Older name of /api/health/ready: says only ready or not ready.' },
    readOnly: true,
    call: (fn) => fn(),
  },
  'app/api/health/live/route.ts#GET': {
    gate: { public: 'Liveness probe: says only that the process answers; touches nothing.' },
    readOnly: true,
    call: (fn) => fn(),
  },
  'app/api/health/ready/route.ts#GET': {
    gate: { public: 'Readiness probe for load balancers: says only ready or not ready (database and migrations).' },
    readOnly: true,
    call: (fn) => fn(),
  },
  'app/api/metrics/route.ts#GET': {
    // No session: its own bearer token (METRICS_TOKEN, unset here: 404 for everyone). The token's
    // refusals and the series are tested in app/api/metrics/metrics.test.ts.
    gate: { public: 'Prometheus scrape: no session; a bearer token from METRICS_TOKEN, compared in constant time.' },
    readOnly: true,
    call: (fn) => fn(new Request('http://localhost/api/metrics')),
  },
  'app/api/webhooks/[provider]/route.ts#GET': {
    gate: { public: 'Provider callbacks: no session; the provider’s checksum is verified before anything is written.' },
    readOnly: true,
    call: (fn) =>
      fn(
        new Request('http://localhost/api/webhooks/frontpayment?orderUuid=ODR1700000031&status=REFUNDED'),
        params({ provider: 'frontpayment' }),
      ),
  },
  'app/api/webhooks/[provider]/route.ts#POST': {
    gate: { public: 'Provider webhooks: no session; the signature is verified before anything is written.' },
    readOnly: true,
    call: (fn) =>
      fn(new Request('http://localhost/api/webhooks/forage', json({ type: 'refund.succeeded' })), params({ provider: 'forage' })),
  },
  'app/api/auth/[...nextauth]/route.ts#GET': {
    gate: { public: 'Auth.js’s own endpoints (providers, CSRF token, OIDC callback): they establish the session.' },
    readOnly: true,
    call: (fn) => fn(new Request('http://localhost/api/auth/providers')),
  },
  'app/api/auth/[...nextauth]/route.ts#POST': {
    gate: { public: 'Auth.js’s own endpoints (credentials sign-in, sign-out): CSRF-checked by Auth.js.' },
    readOnly: true,
    call: (fn) => fn(new Request('http://localhost/api/auth/signout', { method: 'POST' })),
  },
};

/**
 * Functions declared 'use server' inside another module cannot be imported, so they cannot be
 * called from here: each is listed with why it needs no permission (a new one fails the test).
 */
const INLINE_SERVER_ACTIONS: Record<string, { count: number; reason: string }> = {
  'app/(auth)/signin/page.tsx': {
    count: 1,
    reason: 'The single-sign-on button starts an OIDC sign-in; nobody is signed in yet, and Auth.js decides who gets in.',
  },
};

// ---------------------------------------------------------------------------------------------
// Discovery: what the source exposes

const surface = discoverServerSurface();
const endpoints = new Map<string, Endpoint>();
const notFunctions: string[] = [];
for (const file of surface.useServerModules) {
  const exported = (await import(path.join(ROOT, file))) as Record<string, unknown>;
  for (const [name, value] of Object.entries(exported)) {
    if (typeof value === 'function') endpoints.set(`${file}#${name}`, value as Endpoint);
    else notFunctions.push(`${file}#${name}`);
  }
}
for (const file of surface.routeFiles) {
  const exported = (await import(path.join(ROOT, file))) as Record<string, unknown>;
  for (const method of HTTP_METHODS) {
    if (typeof exported[method] === 'function') endpoints.set(`${file}#${method}`, exported[method] as Endpoint);
  }
}

// ---------------------------------------------------------------------------------------------
// Observing a call

const ROLES = roleEnum.enumValues;
const CALLERS: readonly Caller[] = [null, ...ROLES];
const callerName = (caller: Caller) => caller ?? 'unauthenticated';

function isPublic(gate: Gate): gate is { public: string } {
  return typeof gate === 'object' && 'public' in gate;
}
function allowed(gate: Exclude<Gate, { public: string }>, caller: Caller) {
  const required: readonly Permission[] = typeof gate === 'string' ? [gate] : gate;
  return caller !== null && required.every((permission) => can(caller, permission));
}

interface Outcome {
  /** Short and stable: `ok`, an action's error code, or `HTTP <status> <code>`. */
  summary: string;
  success: boolean;
  /** The session gate's refusal, if that is what came back. */
  refusal: 'unauthenticated' | 'forbidden' | null;
  status?: number;
}

async function outcomeOf(value: unknown): Promise<Outcome> {
  if (value instanceof Response) {
    const text = await value.text(); // read to the end: streams are closed and their writes done
    let code: string | undefined;
    try {
      code = (JSON.parse(text) as { code?: string }).code;
    } catch {
      code = undefined;
    }
    const refusal =
      value.status === 401 && code === 'unauthenticated'
        ? 'unauthenticated'
        : value.status === 403 && code === 'forbidden'
          ? 'forbidden'
          : null;
    return {
      summary: `HTTP ${value.status}${code ? ` ${code}` : ''}`,
      success: value.ok,
      refusal,
      status: value.status,
    };
  }
  if (value && typeof value === 'object' && 'ok' in value) {
    const result = value as { ok: boolean; code?: string };
    const refusal = !result.ok && (result.code === 'unauthenticated' || result.code === 'forbidden') ? result.code : null;
    return { summary: result.ok ? 'ok' : (result.code ?? 'error'), success: result.ok, refusal };
  }
  return { summary: String(value), success: true, refusal: null };
}

const TABLES = (Object.values(schema) as unknown[])
  .filter((value): value is PgTable => is(value, PgTable))
  .map((table) => getTableName(table))
  // The trail is checked row by row; refusal counts (security_counts) are the intended trace of a
  // refused request, as access.denied is in the trail.
  .filter((name) => name !== getTableName(auditEvents) && name !== getTableName(securityCounts))
  .sort();

/** Row count and checksum of every table but the audit trail and the refusal counts. */
async function snapshot(): Promise<Record<string, string>> {
  const parts = TABLES.map(
    (name) =>
      sql`select ${name} as name, count(*)::text || ':' || md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as sum from ${sql.identifier(name)} t`,
  );
  const rows = await queryRows<{ name: string; sum: string }>(database.handle!.db, sql.join(parts, sql` union all `));
  return Object.fromEntries(rows.map((r) => [r.name, r.sum]));
}

async function auditHead(): Promise<number> {
  const [row] = await database.handle!.db.select({ seq: max(auditEvents.seq) }).from(auditEvents);
  return row?.seq ?? 0;
}
const auditSince = (seq: number) =>
  database.handle!.db.select().from(auditEvents).where(gt(auditEvents.seq, seq)).orderBy(asc(auditEvents.seq));

/** Counts every call into a provider client. */
function counted(client: ProviderClient): ProviderClient {
  return new Proxy(client, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        provider.calls += 1;
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

// ---------------------------------------------------------------------------------------------
// The world the calls act on

let p: Providers;
let world: World;
let calls = 0;

async function userIdByEmail(email: string) {
  const [row] = await database.handle!.db.select({ id: users.id }).from(users).where(eq(users.email, email));
  return row!.id;
}

beforeAll(async () => {
  vi.stubEnv('E2E_TEST_HOOKS', '1');
  const [handle, sandbox] = await Promise.all([seededPglite(), startProviders()]);
  database.handle = handle;
  p = sandbox;
  const clients = new Map<string, ProviderClient>();
  provider.clientFor = (name) => {
    if (!clients.has(name)) clients.set(name, counted(p.clientFor(name)));
    return clients.get(name)!;
  };
  const db = handle.db;

  // One signed-in user per role, and the users the admin actions are pointed at.
  const created = await db
    .insert(users)
    .values([
      ...ROLES.map((role) => ({ email: `matrix-${role}@matrix.test`, name: `Matrix ${role}`, role })),
      ...['deactivate', 'change-role', 'reset'].map((what) => ({
        email: `${what}@matrix.test`,
        name: what,
        role: 'agent' as const,
      })),
    ])
    .returning({ id: users.id, email: users.email });
  const idOf = (email: string) => created.find((u) => u.email === email)!.id;
  const ids = Object.fromEntries(ROLES.map((role) => [role, idOf(`matrix-${role}@matrix.test`)])) as Record<Role, string>;
  const agent = { id: ids.agent, role: 'agent' as const };

  const { createRefund } = await import('@/lib/refunds/service');
  const { submitApprovedRefund } = await import('@/lib/refunds/pipeline');
  const { linesDigest } = await import('@/lib/approvals/service');

  // Outcome unknown: Frontpayment answers 500 before applying anything.
  await p.control('faults', { provider: 'frontpayment', operation: 'refund', mode: 'error_before' });
  const unresolved = (
    await createRefund(db, agent, SYSTEM_CONTEXT, await refundInput(db, 'RD-100031', [{ line: '5443', amount: 19900 }]))
  ).refundId;
  expect(await submitApprovedRefund(db, unresolved, p.clientFor)).toBe('outcome_unknown');

  // Refused by Frontpayment for its own per-request threshold.
  await p.control('config', { frontpayment: { perRequestThresholdMinor: 10_000 } });
  const refusedByProvider = (
    await createRefund(db, agent, SYSTEM_CONTEXT, await refundInput(db, 'RD-100018', [{ line: '5422', amount: 19900 }]))
  ).refundId;
  expect(await submitApprovedRefund(db, refusedByProvider, p.clientFor)).toBe('failed');
  await p.control('config', { frontpayment: { perRequestThresholdMinor: 10_000_00 } });

  // Above the NOK approval threshold: each waits for a manager. The requester is the agent caller.
  const pendingRefund = async () => {
    const { refundId, status } = await createRefund(
      db,
      agent,
      SYSTEM_CONTEXT,
      await refundInput(db, 'RD-100042', [{ line: '5475', amount: 249_900 }]),
    );
    expect(status).toBe('pending_approval');
    return { id: refundId, digest: await linesDigest(db, refundId) };
  };
  const pending = {
    approve: await pendingRefund(),
    reject: await pendingRefund(),
    cancel: await pendingRefund(),
    expire: await pendingRefund(),
  };

  const [override] = await db
    .insert(refundLimits)
    .values({ userId: await userIdByEmail('agent2@refund-desk.test'), currency: 'USD', perDayMinor: 50_000 })
    .returning({ id: refundLimits.id });

  world = {
    ids,
    pending,
    unresolved,
    refusedByProvider,
    importable: { provider: 'forage', providerRef: 'juuel5arij' }, // RD-100039, sandbox only
    refreshable: (await orderByNumber(db, 'RD-100034')).id,
    override: override!.id,
    targets: {
      deactivate: idOf('deactivate@matrix.test'),
      changeRole: idOf('change-role@matrix.test'),
      reset: idOf('reset@matrix.test'),
    },
  };
  provider.calls = 0;
});

afterAll(async () => {
  await Promise.allSettled(background.pending);
  vi.unstubAllEnvs();
  await p?.close();
  await database.handle?.close();
});

// ---------------------------------------------------------------------------------------------
// The tests

describe('what the server exposes is what is registered', () => {
  it('finds the server-action modules and the route handlers', () => {
    expect(surface.useServerModules.length).toBeGreaterThan(0);
    expect(surface.routeFiles.length).toBeGreaterThan(0);
    expect(notFunctions, 'a "use server" module may export only async functions').toEqual([]);
  });

  it('every exported server action and route handler is in REGISTERED, and REGISTERED names no other', () => {
    const found = [...endpoints.keys()].sort();
    const registered = Object.keys(REGISTERED).sort();
    expect(
      found.filter((key) => !(key in REGISTERED)),
      'exported but not registered: add it to REGISTERED with its permission',
    ).toEqual([]);
    expect(
      registered.filter((key) => !endpoints.has(key)),
      'registered but not exported any more: remove it from REGISTERED',
    ).toEqual([]);
  });

  it('every inline server action is listed with its reason', () => {
    const counts: Record<string, number> = {};
    for (const { file } of surface.inlineServerActions) counts[file] = (counts[file] ?? 0) + 1;
    expect(counts).toEqual(Object.fromEntries(Object.entries(INLINE_SERVER_ACTIONS).map(([file, { count }]) => [file, count])));
  });

  it('public entries say why; gated ones name permissions of the map', () => {
    for (const [key, { gate }] of Object.entries(REGISTERED)) {
      if (isPublic(gate)) expect(gate.public.length, key).toBeGreaterThan(20);
      else for (const permission of typeof gate === 'string' ? [gate] : gate) expect(PERMISSIONS, key).toHaveProperty(permission);
    }
  });

  it('the before/after snapshot covers every table of the schema', () => {
    expect(TABLES).toEqual(
      expect.arrayContaining(['users', 'orders', 'order_lines', 'refunds', 'refund_lines', 'approvals', 'submissions', 'jobs']),
    );
    expect(TABLES).toEqual(expect.arrayContaining(['provider_checks', 'provider_refunds', 'settings', 'refund_limits']));
  });
});

for (const [key, entry] of Object.entries(REGISTERED)) {
  const gate = entry.gate;
  const open = isPublic(gate);
  // Refused callers first: their (effective) input is still untouched by an allowed call.
  const order = open ? CALLERS : [...CALLERS.filter((c) => !allowed(gate, c)), ...CALLERS.filter((c) => allowed(gate, c))];

  describe(key, () => {
    let firstAllowed = true;
    let publicAnswer: string | undefined;

    for (const caller of order) {
      const expectation = open ? 'public' : allowed(gate, caller) ? 'allowed' : 'refused';
      it(`${callerName(caller)}: ${expectation}`, async () => {
        const first = expectation === 'allowed' && firstAllowed;
        if (expectation === 'allowed') firstAllowed = false;
        const fn = endpoints.get(key);
        expect(fn, `${key} is registered but not exported`).toBeTypeOf('function');
        session.userId = caller ? world.ids[caller] : null;
        session.sid = randomUUID();
        const check = expectation === 'refused' || entry.readOnly;
        const before = check ? await snapshot() : null;
        const seq = await auditHead();
        const providerCalls = provider.calls;

        const outcome = await outcomeOf(await entry.call(fn!, world));
        calls += 1;
        await Promise.allSettled(background.pending.splice(0));
        const added = await auditSince(seq);
        const denied = added.filter((e) => e.action === 'access.denied');
        const what = `${callerName(caller)} → ${key}: ${outcome.summary}`;

        if (expectation === 'refused') {
          const expected = caller === null ? 'unauthenticated' : 'forbidden';
          expect(outcome.refusal, what).toBe(expected);
          if (outcome.status !== undefined) expect(outcome.status, what).toBe(caller === null ? 401 : 403);
          // Nothing changed: no table, no provider call, and in the trail only the refusal itself.
          expect(await snapshot(), what).toEqual(before);
          expect(provider.calls, `${what}: the provider was called`).toBe(providerCalls);
          // A role's refusal is on the record (PCI DSS 10.2.1.4); without a session there is no actor.
          const trail = added.map((e) => ({ action: e.action, outcome: e.outcome, actorId: e.actorId }));
          const refusal = { action: 'access.denied', outcome: 'failure', actorId: caller && world.ids[caller] };
          if (caller === null) expect(trail, `${what}: audit events`).toEqual(trail.map(() => refusal));
          else expect(trail, `${what}: audit events`).toEqual([refusal]);
        } else if (expectation === 'allowed') {
          expect(outcome.refusal, what).toBeNull();
          if (outcome.status !== undefined) expect([401, 403], what).not.toContain(outcome.status);
          expect(denied, `${what}: refused at the gate`).toEqual([]);
          if (first && entry.effective !== false) expect(outcome.success, `${what}: the input must be effective`).toBe(true);
        } else {
          expect(outcome.refusal, what).toBeNull();
          expect(denied, what).toEqual([]);
          publicAnswer ??= outcome.summary;
          expect(outcome.summary, `${what}: a public endpoint answers everyone alike`).toBe(publicAnswer);
          if (entry.readOnly) expect(await snapshot(), what).toEqual(before);
        }
      });
    }
  });
}

describe('coverage', () => {
  it('called every registered endpoint unauthenticated and as every role', () => {
    expect(calls).toBe(Object.keys(REGISTERED).length * CALLERS.length);
  });
});
