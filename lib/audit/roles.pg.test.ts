import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { asc, sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAppDb, openDb, queryRows, type DbHandle } from '@/db';
import { canonicalEvent, type ChainedFields } from '@/db/audit-hash';
import { auditEvents } from '@/db/schema';
import { seedDemo } from '@/demo/seed';
import { createRefund } from '@/lib/refunds/service';
import { TEST_DATABASE_URL, warnPostgresSkipped } from '@/test/db';
import { refundInput, userId } from '@/test/refunds';
import { recordAudit, SYSTEM_CONTEXT, verifyAuditChain, verifyAuditTrail, writeAuditCheckpoint } from '.';

/** The findings as the report writes them in English (each also carries `said`, for any language). */
const inEnglish = (findings: { tone: string; text: string }[]) => findings.map(({ tone, text }) => ({ tone, text }));

/**
 * Issue #10, item 10, on PostgreSQL. The README's SQL (section "Database roles") sets up an owner
 * that runs the migrations and an app role; the app role may add and read audit events and do its
 * normal work, but cannot change, delete or truncate audit events, nor switch off or drop the
 * triggers that guard them. The owner can — and what it does to the chain without the audit key is
 * caught: a re-hashed chain, and the newest events cut off.
 */

warnPostgresSkipped('lib/audit/roles.pg.test.ts — the app role’s audit privileges and tampering by the owner on PostgreSQL');

/** The SQL block after `<!-- roles-sql: <name> -->` in the README. */
function readmeSql(name: 'server' | 'database'): string {
  const readme = readFileSync(path.join(process.cwd(), 'README.md'), 'utf8');
  const match = new RegExp(`<!-- roles-sql: ${name} -->\\s*\`\`\`sql\\n([\\s\\S]*?)\`\`\``).exec(readme);
  if (!match) throw new Error(`README.md has no "roles-sql: ${name}" block`);
  return match[1]!;
}

/** Statements split at `;` ending a line, outside `$$ … $$` bodies (CREATE DATABASE cannot share a query). */
function statements(script: string): string[] {
  const out: string[] = [];
  let current = '';
  let inBody = false;
  for (const line of script.split('\n')) {
    if (/^\s*--/.test(line) && !inBody) continue;
    current += `${line}\n`;
    if ((line.match(/\$\$/g)?.length ?? 0) % 2 === 1) inBody = !inBody;
    if (!inBody && /;\s*$/.test(line)) {
      out.push(current.trim());
      current = '';
    }
  }
  if (current.trim()) out.push(current.trim());
  return out;
}

function errorText(error: unknown): string {
  const parts: string[] = [];
  for (let e = error as { message?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e)
    parts.push(String(e.message));
  return parts.join(' | ');
}

async function rejection(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, 'expected the statement to be refused').not.toBeNull();
  return errorText(error);
}

const sha256Chain = (event: ChainedFields) =>
  createHash('sha256').update(event.prevHash).update(canonicalEvent(event)).digest('hex');

describe.skipIf(!TEST_DATABASE_URL)('two database roles: the app adds and reads audit events, the owner migrates', () => {
  const suffix = randomUUID().replace(/-/g, '').slice(0, 8);
  const ownerRole = `refund_desk_owner_test_${suffix}`;
  const appRole = `refund_desk_app_test_${suffix}`;
  const database = `rd_test_roles_${suffix}`;
  const urlAs = (role: string) => {
    const url = new URL(TEST_DATABASE_URL!);
    url.username = role;
    url.password = '';
    url.pathname = `/${database}`;
    return url.toString();
  };
  /** The README's SQL with this test's role and database names. */
  const named = (script: string) =>
    script
      .replace(/\brefund_desk_owner\b/g, ownerRole)
      .replace(/\brefund_desk_app\b/g, appRole)
      .replace(/\brefund_desk\b/g, database);

  let admin: postgres.Sql;
  let superuser: postgres.Sql;
  let owner: DbHandle;
  let app: DbHandle;
  let dir: string;

  beforeAll(async () => {
    admin = postgres(TEST_DATABASE_URL!, { max: 1, onnotice: () => {} });
    for (const statement of statements(named(readmeSql('server')))) await admin.unsafe(statement);
    const url = new URL(TEST_DATABASE_URL!);
    url.pathname = `/${database}`;
    superuser = postgres(url.toString(), { max: 1, onnotice: () => {} });
    for (const statement of statements(named(readmeSql('database')))) await superuser.unsafe(statement);
    // The owner runs the migrations (as MIGRATION_DATABASE_URL); the app connects without migrating.
    owner = await openDb({ url: urlAs(ownerRole), max: 2 });
    app = await openDb({ url: urlAs(appRole), max: 4, migrate: false });
    dir = mkdtempSync(path.join(tmpdir(), 'rd-audit-checkpoints-'));
  });

  afterAll(async () => {
    await app?.close();
    await owner?.close();
    await superuser?.end({ timeout: 5 });
    await admin.unsafe(`drop database if exists ${database} with (force)`);
    await admin.unsafe(`drop role if exists ${appRole}`);
    await admin.unsafe(`drop role if exists ${ownerRole}`);
    await admin.end({ timeout: 5 });
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('the owner ran the migrations and owns the tables; the app role is neither owner nor superuser', async () => {
    const [who] = await queryRows<{ user: string; superuser: boolean }>(
      app.db,
      sql`select current_user::text as user, rolsuper as superuser from pg_roles where rolname = current_user`,
    );
    expect(who).toEqual({ user: appRole, superuser: false });
    const [table] = await queryRows<{ owner: string }>(
      app.db,
      sql`select tableowner as owner from pg_tables where schemaname = 'public' and tablename = 'audit_events'`,
    );
    expect(table!.owner).toBe(ownerRole);
  });

  it('the app role does its normal work: the demo seed, a refund (orders, refunds, jobs, audit events)', async () => {
    const seeded = await seedDemo(app.db);
    expect(seeded.seeded).toBe(true);
    const agent = { id: await userId(app.db) };
    const input = await refundInput(app.db, 'RD-100003', [{ line: '5401', amount: 100_00, quantity: 0 }]);
    const created = await createRefund(app.db, agent, SYSTEM_CONTEXT, input);
    expect(['approved', 'pending_approval']).toContain(created.status);
    expect(await verifyAuditChain(app.db)).toMatchObject({ ok: true });
  });

  it('the app role may INSERT audit events (through appendAudit) and SELECT them', async () => {
    const before = await app.db.select().from(auditEvents);
    const written = await recordAudit(app.db, SYSTEM_CONTEXT, { action: 'roles.check', entityType: 'thing' });
    const after = await app.db.select().from(auditEvents).orderBy(asc(auditEvents.seq));
    expect(after).toHaveLength(before.length + 1);
    expect(after.at(-1)).toMatchObject({ id: written.id, action: 'roles.check', chainVersion: 2 });
  });

  it('the app role cannot UPDATE, DELETE or TRUNCATE audit events', async () => {
    for (const statement of [
      sql`update audit_events set action = 'forged'`,
      sql`delete from audit_events`,
      sql`delete from audit_events where seq = (select max(seq) from audit_events)`,
      sql`truncate audit_events`,
    ]) {
      expect(await rejection(app.db.execute(statement))).toMatch(/permission denied for table audit_events/);
    }
  });

  it('the app role cannot switch off, drop or add triggers on audit events, nor alter or drop the table', async () => {
    const notOwner = /must be owner of (table|relation) audit_events/;
    expect(await rejection(app.db.execute(sql`alter table audit_events disable trigger user`))).toMatch(notOwner);
    expect(await rejection(app.db.execute(sql`alter table audit_events disable trigger audit_events_no_update_delete`))).toMatch(
      notOwner,
    );
    expect(await rejection(app.db.execute(sql`drop trigger audit_events_no_update_delete on audit_events`))).toMatch(notOwner);
    expect(await rejection(app.db.execute(sql`drop trigger audit_events_no_truncate on audit_events`))).toMatch(notOwner);
    expect(await rejection(app.db.execute(sql`alter table audit_events drop constraint audit_events_seq_unique`))).toMatch(
      notOwner,
    );
    expect(await rejection(app.db.execute(sql`drop table audit_events`))).toMatch(notOwner);
    expect(
      await rejection(
        app.db.execute(
          sql`create trigger sneaky before insert on audit_events for each row execute function audit_events_reject_change()`,
        ),
      ),
    ).toMatch(/permission denied for table audit_events/);
    expect(await rejection(app.db.execute(sql`set session_replication_role = replica`))).toMatch(/permission denied/);
    // Nothing changed: the triggers are there and enabled.
    const triggers = await queryRows<{ tgname: string; tgenabled: string }>(
      app.db,
      sql`select tgname, tgenabled from pg_trigger where tgrelid = 'audit_events'::regclass and not tgisinternal order by tgname`,
    );
    expect(triggers).toEqual([
      { tgname: 'audit_events_no_truncate', tgenabled: 'O' },
      { tgname: 'audit_events_no_update_delete', tgenabled: 'O' },
    ]);
  });

  it('the privileges are exactly INSERT and SELECT on audit events, full read/write elsewhere', async () => {
    const rows = await queryRows<{ table_name: string; privilege_type: string }>(
      app.db,
      sql`select table_name::text, privilege_type::text from information_schema.role_table_grants
          where grantee = current_user and table_schema = 'public' order by 1, 2`,
    );
    const on = (table: string) => rows.filter((r) => r.table_name === table).map((r) => r.privilege_type);
    expect(on('audit_events')).toEqual(['INSERT', 'SELECT']);
    expect(on('refunds')).toEqual(['DELETE', 'INSERT', 'SELECT', 'UPDATE']);
    expect(on('jobs')).toEqual(['DELETE', 'INSERT', 'SELECT', 'UPDATE']);
  });

  it('the chain check, run as the app role, raises no warning about the role; run as the owner, it does', async () => {
    const asApp = await verifyAuditTrail(app.db, { dir });
    expect(asApp).toMatchObject({ ok: true });
    expect(inEnglish(asApp.findings).filter((f) => f.tone !== 'ok')).toEqual([
      // The first check finds no checkpoint yet (and writes one).
      { tone: 'caution', text: expect.stringMatching(/^No signed checkpoint was found/) },
    ]);
    const asOwner = await verifyAuditTrail(owner.db, { dir });
    expect(inEnglish(asOwner.findings)).toEqual(
      expect.arrayContaining([
        {
          tone: 'caution',
          text: expect.stringMatching(
            new RegExp(`^The app connects to the database as "${ownerRole}", which owns the audit table`),
          ),
        },
      ]),
    );
  });

  it('openAppDb migrates as MIGRATION_DATABASE_URL and works as DATABASE_URL', async () => {
    const saved = { url: process.env.DATABASE_URL, migration: process.env.MIGRATION_DATABASE_URL };
    process.env.DATABASE_URL = urlAs(appRole);
    process.env.MIGRATION_DATABASE_URL = urlAs(ownerRole);
    try {
      const handle = await openAppDb({ max: 1 });
      try {
        const [row] = await queryRows<{ user: string }>(handle.db, sql`select current_user::text as user`);
        expect(row!.user).toBe(appRole);
      } finally {
        await handle.close();
      }
      // Migrating as the app role is what fails: it may not create anything.
      const asApp = await openDb({ url: urlAs(appRole), max: 1, migrate: false });
      try {
        expect(await rejection(asApp.db.execute(sql`create table app_made (id int)`))).toMatch(
          /permission denied for schema public/,
        );
      } finally {
        await asApp.close();
      }
    } finally {
      for (const [key, value] of [
        ['DATABASE_URL', saved.url],
        ['MIGRATION_DATABASE_URL', saved.migration],
      ] as const) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  });

  describe('the owner can switch the triggers off; what it then does without the key is caught', () => {
    /** The owner's own connection, triggers off for the statement's transaction only. */
    const asOwnerWithoutTriggers = (statement: ReturnType<typeof sql>) =>
      owner.db.transaction(async (tx) => {
        await tx.execute(sql`alter table audit_events disable trigger user`);
        await tx.execute(statement);
        await tx.execute(sql`alter table audit_events enable trigger user`);
      });

    it('an intact chain is accepted, and a checkpoint of its head is written', async () => {
      const report = await verifyAuditTrail(app.db, { dir });
      expect(report).toMatchObject({ ok: true });
      expect(report.headline).toMatch(/^Chain intact: \d+ events verified\.$/);
      await recordAudit(app.db, SYSTEM_CONTEXT, { action: 'roles.after_checkpoint', entityType: 'thing' });
      expect(await writeAuditCheckpoint(app.db, { dir })).toMatchObject({ seq: expect.any(Number) });
    });

    it('a re-hashed chain: one event rewritten, it and every later one re-hashed without the key', async () => {
      const original = await owner.db.select().from(auditEvents).orderBy(asc(auditEvents.seq));
      const target = original.at(-3)!;
      try {
        let previous = original.at(-4)!.hash;
        await owner.db.transaction(async (tx) => {
          await tx.execute(sql`alter table audit_events disable trigger user`);
          for (const row of original.slice(-3)) {
            const fields = {
              ...row,
              prevHash: previous,
              actorEmail: row.id === target.id ? 'nobody@example.com' : row.actorEmail,
            };
            const hash = sha256Chain(fields);
            await tx.execute(
              sql`update audit_events set actor_email = ${fields.actorEmail}, prev_hash = ${previous}, hash = ${hash} where id = ${row.id}`,
            );
            previous = hash;
          }
          await tx.execute(sql`alter table audit_events enable trigger user`);
        });
        const report = await verifyAuditTrail(app.db, { dir });
        expect(report.ok).toBe(false);
        expect(report.chain).toMatchObject({
          ok: false,
          firstBreak: { reason: 'hash_mismatch', seq: target.seq, id: target.id },
        });
        expect(report.headline).toMatch(
          new RegExp(`^Broken at event #${target.seq} \\(${target.id}\\): Event #${target.seq} was changed`),
        );
        expect(await writeAuditCheckpoint(app.db, { dir })).toBeNull();
      } finally {
        // Put the original rows back, as they were.
        await owner.db.transaction(async (tx) => {
          await tx.execute(sql`alter table audit_events disable trigger user`);
          for (const row of original.slice(-3)) {
            await tx.execute(
              sql`update audit_events set actor_email = ${row.actorEmail}, prev_hash = ${row.prevHash}, hash = ${row.hash} where id = ${row.id}`,
            );
          }
          await tx.execute(sql`alter table audit_events enable trigger user`);
        });
      }
      expect((await verifyAuditTrail(app.db, { dir })).ok).toBe(true);
    });

    it('a cut-off tail: the newest events deleted by the owner, the checkpoint says more existed', async () => {
      const head = (await app.db.select().from(auditEvents).orderBy(asc(auditEvents.seq))).at(-1)!;
      await asOwnerWithoutTriggers(sql`delete from audit_events where seq > ${head.seq - 3}`);
      // The chain that is left links and hashes correctly …
      expect(await verifyAuditChain(app.db)).toMatchObject({ ok: true, verified: head.seq - 3 });
      // … but the signed checkpoint outside the database names event #head.
      const report = await verifyAuditTrail(app.db, { dir });
      expect(report.ok).toBe(false);
      expect(report.chain).toMatchObject({ ok: false, firstBreak: { reason: 'tail_cut', seq: head.seq - 2, id: null } });
      expect(report.headline).toMatch(
        new RegExp(
          `ending at event #${head.seq}; the log now ends at event #${head.seq - 3}: the newest 3 events were deleted\\.$`,
        ),
      );
      expect(await writeAuditCheckpoint(app.db, { dir })).toBeNull();
    });
  });
});
