import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DbHandle } from '@/db';
import { auditEvents, revokedSessions, users } from '@/db/schema';
import { freshPglite } from '@/test/db';

// Auth.js itself (the cookie) is stood in for: what it would decode from the browser's cookie.
const cookie = vi.hoisted(() => ({ session: null as { user: { id: string }; sid?: string } | null }));
const database = vi.hoisted(() => ({ handle: null as DbHandle | null }));
const signOut = vi.hoisted(() => vi.fn(async () => {}));
vi.mock('next-auth', () => ({ AuthError: class extends Error {}, CredentialsSignin: class extends Error {} }));
vi.mock('@/lib/auth', () => ({ auth: async () => cookie.session, signIn: vi.fn(), signOut }));
vi.mock('@/db', async (importOriginal) => ({
  ...(await importOriginal<typeof import('@/db')>()),
  getDb: async () => database.handle!.db,
}));
vi.mock('next/headers', () => ({ headers: async () => new Headers({ 'user-agent': 'vitest', 'x-request-id': 'req-signout' }) }));

const { getSessionUserId } = await import('./session-id');
const { signOutAction } = await import('./actions');

let userId: string;
beforeAll(async () => {
  database.handle = await freshPglite();
  const [user] = await database.handle.db.insert(users).values({ email: 'a@t.test', name: 'A', role: 'agent' }).returning();
  userId = user!.id;
});
afterAll(() => database.handle?.close());

describe('signing out', () => {
  it('ends that session on the server: the same cookie, replayed, is signed out; other sessions stay', async () => {
    const laptop = { user: { id: userId }, sid: crypto.randomUUID() };
    const phone = { user: { id: userId }, sid: crypto.randomUUID() };
    cookie.session = laptop;
    expect(await getSessionUserId()).toBe(userId);

    await signOutAction();
    expect(signOut).toHaveBeenCalledWith({ redirectTo: '/signin' });
    const [row] = await database.handle!.db.select().from(revokedSessions).where(eq(revokedSessions.sid, laptop.sid));
    expect(row!.userId).toBe(userId);
    expect(row!.expiresAt.getTime()).toBeGreaterThan(Date.now() + 7 * 3_600_000);
    expect(await database.handle!.db.select().from(auditEvents).where(eq(auditEvents.action, 'auth.sign_out'))).toHaveLength(1);

    // A re-issued copy of the laptop's cookie (a request that raced the sign-out) is refused.
    cookie.session = { ...laptop };
    expect(await getSessionUserId()).toBeNull();
    cookie.session = phone;
    expect(await getSessionUserId()).toBe(userId);
  });

  it('a cookie without a session id (issued before sessions had ids) counts as signed out', async () => {
    cookie.session = { user: { id: userId } };
    expect(await getSessionUserId()).toBeNull();
  });
});
