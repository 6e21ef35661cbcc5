import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { UnauthenticatedError } from '@/lib/errors';

/**
 * The expiry hook exists only in the end-to-end build: `RD_TEST_HOOKS` is inlined by next.config.js
 * when the app is built, so any other build answers 404 whatever its runtime environment says,
 * and the minifier drops the hook's body from it. Here the module reads process.env as the built
 * code reads the inlined value; what runs past the gate is stood in for, to see whether it ran.
 */
const ran = vi.hoisted(() => ({ session: 0, db: 0, expiry: 0 }));
vi.mock('@/lib/auth/session', () => ({
  requireUser: async () => {
    ran.session += 1;
    throw new UnauthenticatedError();
  },
}));
vi.mock('@/db', () => ({
  getDb: async () => {
    ran.db += 1;
    throw new Error('the database was reached');
  },
}));
vi.mock('@/lib/approvals/service', () => ({
  expirePendingApprovals: async () => {
    ran.expiry += 1;
    return 0;
  },
}));

const { POST } = await import('./route');

function post() {
  return POST(
    new Request('http://localhost:3000/api/testing/expire-approvals', {
      method: 'POST',
      headers: { host: 'localhost:3000', origin: 'http://localhost:3000', 'content-type': 'application/json' },
      body: JSON.stringify({ refundId: randomUUID(), asOf: new Date().toISOString() }),
    }),
  );
}

beforeEach(() => {
  ran.session = 0;
  ran.db = 0;
  ran.expiry = 0;
});

describe('POST /api/testing/expire-approvals', () => {
  it('is not there in a build made without RD_TEST_HOOKS=1, even with E2E_TEST_HOOKS=1 at run time', async () => {
    for (const built of [undefined, '', '0', 'true']) {
      vi.stubEnv('RD_TEST_HOOKS', built);
      vi.stubEnv('E2E_TEST_HOOKS', '1');
      const response = await post();
      expect(response.status, `RD_TEST_HOOKS=${built}`).toBe(404);
      expect(ran, `RD_TEST_HOOKS=${built}`).toEqual({ session: 0, db: 0, expiry: 0 });
    }
  });

  it('stays off in the end-to-end build unless the server also runs with E2E_TEST_HOOKS=1', async () => {
    vi.stubEnv('RD_TEST_HOOKS', '1');
    vi.stubEnv('E2E_TEST_HOOKS', undefined);
    expect((await post()).status).toBe(404);
    expect(ran).toEqual({ session: 0, db: 0, expiry: 0 });
  });

  it('with both, goes on to the session check like any route handler', async () => {
    vi.stubEnv('RD_TEST_HOOKS', '1');
    vi.stubEnv('E2E_TEST_HOOKS', '1');
    expect((await post()).status).toBe(401);
    expect(ran).toEqual({ session: 1, db: 0, expiry: 0 });
  });
});
