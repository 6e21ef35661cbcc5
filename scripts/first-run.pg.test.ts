import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { users } from '@/db/schema';
import { authenticate } from '@/lib/auth/authenticate';
import { freshPostgres, TEST_DATABASE_URL, warnPostgresSkipped } from '@/test/db';
import { REAL_FORAGE_ENV as REAL_FORAGE } from '@/test/deploy';

warnPostgresSkipped('scripts/first-run.pg.test.ts — a PostgreSQL deployment starts with no demo accounts');

const run = promisify(execFile);
/** Runs one of `npm start`'s steps (or an npm script) as a deployment would, with only these variables. */
async function script(file: string, env: Record<string, string>, args: string[] = []) {
  try {
    const { stdout, stderr } = await run('npx', ['tsx', file, ...args], {
      env: {
        NODE_ENV: 'production',
        PATH: process.env.PATH!,
        HOME: process.env.HOME!,
        AUDIT_HMAC_KEY: process.env.AUDIT_HMAC_KEY!,
        ...env,
      },
      timeout: 60_000,
    });
    return { code: 0, out: stdout + stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout + e.stderr };
  }
}

describe.skipIf(!TEST_DATABASE_URL)('a deployment on PostgreSQL, first run', () => {
  let pg: Awaited<ReturnType<typeof freshPostgres>>;
  beforeAll(async () => {
    pg = await freshPostgres(2);
  });
  afterAll(() => pg?.close());

  it('has no demo accounts without DEMO=1, even with the sandbox providers, and says how to make the first admin', async () => {
    const first = await script('scripts/prepare-db.ts', { DATABASE_URL: pg.url, PROVIDERS: 'sandbox' });
    expect(first.code).toBe(0);
    expect(first.out).toContain('npm run admin:create');
    expect(await pg.db.select().from(users)).toEqual([]);
  });

  it('`npm run admin:create` makes the first admin with a one-time password printed once, and only the first', async () => {
    const created = await script('scripts/create-admin.ts', { DATABASE_URL: pg.url }, [
      '--email',
      'Ops@Example.com',
      '--name',
      'Ops Lead',
    ]);
    expect(created.code).toBe(0);
    const otp = created.out.match(/\b[a-z2-9]{4}(?:-[a-z2-9]{4}){3}\b/)?.[0];
    expect(otp).toBeDefined();
    const [admin] = await pg.db.select().from(users);
    expect(admin).toMatchObject({ email: 'ops@example.com', role: 'admin', mustChangePassword: true });
    expect(admin!.oneTimePasswordExpiresAt!.getTime()).toBeGreaterThan(Date.now() + 71 * 3_600_000);
    const signIn = await authenticate(pg.db, {
      email: 'ops@example.com',
      password: otp!,
      ip: null,
      userAgent: null,
      requestId: null,
    });
    expect(signIn.ok).toBe(true);

    const again = await script('scripts/create-admin.ts', { DATABASE_URL: pg.url }, ['--email', 'x@example.com', '--name', 'X']);
    expect(again.code).toBe(1);
    expect(again.out).toContain('An active admin already exists');
    const bad = await script('scripts/create-admin.ts', { DATABASE_URL: pg.url }, ['--email', 'not-an-email']);
    expect(bad.code).toBe(1);
    expect(await pg.db.select().from(users)).toHaveLength(1);
  });

  it('refuses to start when demo accounts sit beside real provider credentials, until they are retired', async () => {
    const other = await freshPostgres(2);
    try {
      expect((await script('scripts/prepare-db.ts', { DATABASE_URL: other.url, PROVIDERS: 'sandbox', DEMO: '1' })).code).toBe(0);
      expect((await other.db.select().from(users)).length).toBeGreaterThan(0);

      const refused = await script('scripts/prepare-db.ts', { DATABASE_URL: other.url, ...REAL_FORAGE });
      expect(refused.code).toBe(2);
      expect(refused.out).toContain('Refusing to start');
      expect((await script('demo/seed-cli.ts', { DATABASE_URL: other.url, ...REAL_FORAGE })).code).toBe(1);

      expect((await script('scripts/retire-demo.ts', { DATABASE_URL: other.url })).out).toMatch(/Retired 6 demo accounts/);
      expect((await script('scripts/prepare-db.ts', { DATABASE_URL: other.url, ...REAL_FORAGE })).code).toBe(0);
      const demo = await authenticate(other.db, {
        email: 'admin@refund-desk.test',
        password: 'refund-desk-demo',
        ip: null,
        userAgent: null,
        requestId: null,
      });
      expect(demo.ok).toBe(false);
    } finally {
      await other.close();
    }
  });
});
