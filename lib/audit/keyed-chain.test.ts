import { createHash } from 'node:crypto';
import { appendFileSync, copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { asc, sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { migrateDb, MIGRATIONS_FOLDER, openDb, type Db, type DbHandle } from '@/db';
import { canonicalEvent, chainHash, GENESIS_HASH, type ChainedFields } from '@/db/audit-hash';
import { auditEvents, type AuditEvent } from '@/db/schema';
import { sweep } from '@/lib/jobs/handlers';
import { freshPglite } from '@/test/db';
import {
  appendAudit,
  readCheckpoints,
  verifyAuditChain,
  verifyAuditTrail,
  writeAuditCheckpoint,
  writeCheckpoint,
  type AuditContext,
} from '.';
import { say } from './said';

/** The findings as the report writes them in English (each also carries `said`, for any language). */
const inEnglish = (findings: { tone: string; text: string }[]) => findings.map(({ tone, text }) => ({ tone, text }));

/**
 * The keyed chain and the signed checkpoints (issue #10, item 10): an attacker who can write to the
 * database but does not hold the audit key can neither re-hash a rewritten chain nor cut off its
 * newest events unnoticed. The attacks run with the append-only triggers off, as the tables' owner
 * or a superuser could do; lib/audit/roles.pg.test.ts shows the app's own role cannot.
 */

const CONTEXT: AuditContext = {
  actorId: null,
  actorRole: 'system',
  actorEmail: null,
  ip: '203.0.113.9',
  userAgent: 'vitest',
  requestId: null,
};

const OTHER_KEY = 'an-attackers-guess-at-the-audit-key-0123456789';

const allEvents = (db: Db): Promise<AuditEvent[]> => db.select().from(auditEvents).orderBy(asc(auditEvents.seq));

async function appendMany(db: Db, count: number, label = 'test.event') {
  for (let i = 1; i <= count; i += 1) {
    await db.transaction((tx) =>
      appendAudit(tx, CONTEXT, { action: label, entityType: 'thing', entityId: String(i), after: { i } }),
    );
  }
}

/** How an attacker without the key re-hashes: plain SHA-256 over the same canonical row. */
const sha256Chain = (event: ChainedFields) =>
  createHash('sha256').update(event.prevHash).update(canonicalEvent(event)).digest('hex');

/**
 * Rewrites events from `fromSeq` on as an attacker would: `edit` changes the content, `hash` is the
 * attacker's hash function, `version` what the rows claim to be; every later link is recomputed so
 * that `prev_hash` still points at the (new) hash of the row before.
 */
async function rehash(
  db: Db,
  fromSeq: number,
  options: {
    hash: (event: ChainedFields) => string;
    version?: number;
    edit?: (event: AuditEvent) => AuditEvent;
    throughSeq?: number;
  },
) {
  const rows = await allEvents(db);
  let previous = rows.find((r) => r.seq === fromSeq - 1)?.hash ?? GENESIS_HASH;
  for (const original of rows.filter((r) => r.seq >= fromSeq && r.seq <= (options.throughSeq ?? Infinity))) {
    const row = original.seq === fromSeq && options.edit ? options.edit(original) : original;
    const fields: ChainedFields = { ...row, prevHash: previous, chainVersion: options.version ?? row.chainVersion };
    const hash = options.hash(fields);
    await db.execute(
      sql`update audit_events set actor_email = ${fields.actorEmail}, after = ${JSON.stringify(fields.after)}::jsonb,
            prev_hash = ${fields.prevHash}, hash = ${hash}, chain_version = ${fields.chainVersion} where seq = ${row.seq}`,
    );
    previous = hash;
  }
}

const forgeEmail = (row: AuditEvent): AuditEvent => ({ ...row, actorEmail: 'someone-else@example.com' });

describe('the keyed audit chain and its signed checkpoints (PGlite)', () => {
  // One database for the file; each scenario empties the log and starts a new checkpoint directory.
  let handle: DbHandle;
  let dir: string | undefined;
  beforeAll(async () => {
    handle = await freshPglite();
  });
  afterAll(() => handle?.close());
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  /** An empty log (the triggers back on) and a new, empty checkpoint directory. */
  async function reset() {
    await handle.db.execute(sql`alter table audit_events disable trigger user`);
    await handle.db.execute(sql`delete from audit_events`);
    await handle.db.execute(sql`alter table audit_events enable trigger user`);
    dir = mkdtempSync(path.join(tmpdir(), 'rd-audit-checkpoints-'));
    return { db: handle.db, dir };
  }

  /** `count` events, a checkpoint taken of them, and the triggers off for the attacker. */
  async function scenario(count = 5) {
    const { db, dir } = await reset();
    await appendMany(db, count);
    const first = await verifyAuditTrail(db, { dir });
    expect(first).toMatchObject({ ok: true, written: { seq: count, count } });
    await db.execute(sql`alter table audit_events disable trigger user`);
    return { db, dir, rows: await allEvents(db) };
  }

  describe('a chain re-hashed by someone without the key is caught', () => {
    it('an edited event re-hashed with plain SHA-256 (rest of the chain re-linked) is a hash_mismatch at that event', async () => {
      const { db, dir, rows } = await scenario();
      await rehash(db, 3, { hash: sha256Chain, edit: forgeEmail });
      // The chain still links (every prev_hash points at the row before): only the key tells it apart.
      const forged = await allEvents(db);
      forged.slice(1).forEach((row, i) => expect(row.prevHash).toBe(forged[i]!.hash));
      expect(await verifyAuditChain(db)).toMatchObject({
        ok: false,
        verified: 2,
        firstBreak: { reason: 'hash_mismatch', seq: 3, id: rows[2]!.id },
      });
      const report = await verifyAuditTrail(db, { dir });
      expect(report.ok).toBe(false);
      expect(report.headline).toMatch(/^Broken at event #3 \(.+\): Event #3 was changed after it was written/);
      // The same finding in the auditor's language (the page's verify button).
      expect(say(report.headlineSaid, 'nb')).toMatch(
        /^Brutt ved hendelse #3 \(.+\): Hendelse #3 ble endret etter at den ble skrevet/,
      );
      expect(report.written).toBeNull();
    });

    it('an edited event re-hashed with HMAC under another key is a hash_mismatch at that event', async () => {
      const { db, rows } = await scenario();
      await rehash(db, 2, { hash: (e) => chainHash(e, OTHER_KEY), edit: forgeEmail });
      expect(await verifyAuditChain(db)).toMatchObject({
        ok: false,
        verified: 1,
        firstBreak: { reason: 'hash_mismatch', seq: 2, id: rows[1]!.id },
      });
    });

    it('the whole chain re-hashed under another key breaks at event #1', async () => {
      const { db } = await scenario();
      await rehash(db, 1, { hash: (e) => chainHash(e, OTHER_KEY) });
      expect(await verifyAuditChain(db)).toMatchObject({
        ok: false,
        verified: 0,
        firstBreak: { reason: 'hash_mismatch', seq: 1 },
      });
    });

    it('events rewritten as unkeyed (pre-upgrade) events after keyed ones are caught', async () => {
      const { db } = await scenario();
      await rehash(db, 4, { hash: sha256Chain, version: 1, edit: forgeEmail });
      expect(await verifyAuditChain(db)).toMatchObject({
        ok: false,
        verified: 3,
        firstBreak: { reason: 'unkeyed_after_keyed', seq: 4 },
      });
    });

    it('the whole chain rewritten as unkeyed events: the newest checkpoint names an event whose hash changed', async () => {
      const { db, dir } = await scenario();
      await rehash(db, 1, { hash: sha256Chain, version: 1, edit: forgeEmail });
      // On its own the chain looks like one written before the key existed …
      expect(await verifyAuditChain(db)).toMatchObject({ ok: true, verified: 5, legacy: 5 });
      // … but the signed checkpoint taken before the attack says event #5 had another hash.
      const { latest } = readCheckpoints(dir);
      expect(await verifyAuditChain(db, 1000, { checkpoint: latest })).toMatchObject({
        ok: false,
        verified: 4,
        firstBreak: { reason: 'checkpoint_mismatch', seq: 5 },
      });
      const report = await verifyAuditTrail(db, { dir });
      expect(report.ok).toBe(false);
      expect(report.headline).toMatch(
        /Event #5 is not the event the signed checkpoint of .+ recorded: the chain was rewritten since\./,
      );
      // The periodic checkpoint refuses to vouch for it.
      expect(await writeAuditCheckpoint(db, { dir })).toBeNull();
    });

    it('still accepts the intact chain, against its checkpoint, and after more events', async () => {
      const { db, dir, rows } = await scenario();
      const { latest } = readCheckpoints(dir);
      expect(latest).toMatchObject({ seq: 5, count: 5, hash: rows[4]!.hash });
      expect(await verifyAuditChain(db, 2, { checkpoint: latest })).toEqual({
        ok: true,
        verified: 5,
        headHash: rows[4]!.hash,
        checkpoint: latest,
      });
      await db.execute(sql`alter table audit_events enable trigger user`);
      await appendMany(db, 3, 'later.event');
      const report = await verifyAuditTrail(db, { dir });
      expect(report).toMatchObject({ ok: true, headline: 'Chain intact: 8 events verified.', written: { seq: 8, count: 8 } });
      expect(inEnglish(report.findings).filter((f) => f.tone === 'problem')).toEqual([]);
      expect(report.findings.map((f) => f.text)).toEqual(
        expect.arrayContaining([
          expect.stringMatching(
            /matches the signed checkpoint of .+ \(5 events, up to event #5\): no events were deleted from the end/,
          ),
        ]),
      );
      expect(say(report.headlineSaid, 'nb')).toBe('Kjeden er hel: 8 hendelser kontrollert.');
      expect(report.findings.map((f) => say(f.said, 'nb'))).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^Den stemmer med det signerte sjekkpunktet fra .+ \(5 hendelser, til og med hendelse #5\)/),
        ]),
      );
      // English is the same sentence the report stores.
      expect(report.findings.map((f) => say(f.said))).toEqual(report.findings.map((f) => f.text));
    });
  });

  describe('a cut-off tail is caught by the newest checkpoint', () => {
    it('the newest events deleted: the chain alone still links, the checkpoint says more existed', async () => {
      const { db, dir, rows } = await scenario(6);
      await db.execute(sql`delete from audit_events where seq > 4`);
      // What the chain alone cannot show (the gap this closes):
      expect(await verifyAuditChain(db)).toEqual({ ok: true, verified: 4, headHash: rows[3]!.hash });
      const report = await verifyAuditTrail(db, { dir });
      expect(report.ok).toBe(false);
      expect(report.chain).toMatchObject({ ok: false, verified: 4, firstBreak: { reason: 'tail_cut', seq: 5, id: null } });
      expect(report.headline).toMatch(
        /^Events missing from the end of the log: The signed checkpoint of .+ recorded 6 events, ending at event #6; the log now ends at event #4: the newest 2 events were deleted\.$/,
      );
      expect(say(report.headlineSaid, 'nb')).toMatch(
        /^Hendelser mangler på slutten av loggen: .+ loggen slutter nå ved hendelse #4: de 2 nyeste hendelsene ble slettet\.$/,
      );
      expect(report.written).toBeNull();
    });

    it('the periodic checkpoint does not paper over a cut tail, nor over a tail deleted and written again', async () => {
      const { db, dir } = await scenario(6);
      const before = readdirSync(dir).map((f) => readFileSync(path.join(dir, f), 'utf8'));
      await db.execute(sql`delete from audit_events where seq > 3`);
      expect(await writeAuditCheckpoint(db, { dir })).toBeNull();
      // Refill to the same length with other events: the checkpoint's event #6 is not the one there now.
      await db.execute(sql`alter table audit_events enable trigger user`);
      await appendMany(db, 3, 'replacement');
      expect(await writeAuditCheckpoint(db, { dir })).toBeNull();
      expect(readdirSync(dir).map((f) => readFileSync(path.join(dir, f), 'utf8'))).toEqual(before);
      const report = await verifyAuditTrail(db, { dir });
      expect(report.chain).toMatchObject({ ok: false, firstBreak: { reason: 'checkpoint_mismatch', seq: 6 } });
    });

    it('all events deleted: the checkpoint says 5 existed', async () => {
      const { db, dir } = await scenario();
      await db.execute(sql`delete from audit_events`);
      const report = await verifyAuditTrail(db, { dir });
      expect(report.chain).toMatchObject({ ok: false, verified: 0, firstBreak: { reason: 'tail_cut', seq: 1 } });
      expect(report.headline).toMatch(/the log now ends at event #0: the newest 5 events were deleted\./);
    });
  });

  describe('checkpoints', () => {
    it('the sweep writes one only when the chain has grown, after checking what was added', async () => {
      const { db, dir } = await reset();
      expect(await writeAuditCheckpoint(db, { dir })).toBeNull(); // nothing to vouch for yet
      await appendMany(db, 3);
      const first = await writeAuditCheckpoint(db, { dir });
      expect(first).toMatchObject({ seq: 3, count: 3 });
      expect(await writeAuditCheckpoint(db, { dir })).toBeNull(); // unchanged
      await appendMany(db, 2);
      expect(await writeAuditCheckpoint(db, { dir })).toMatchObject({ seq: 5, count: 5 });
      expect(readCheckpoints(dir)).toMatchObject({ latest: { seq: 5, count: 5 }, rejected: [] });
      // An event appended after the checkpoint and then edited: the incremental check finds it.
      await appendMany(db, 1);
      await db.execute(sql`alter table audit_events disable trigger user`);
      await db.execute(sql`update audit_events set after = '{"i": 999}'::jsonb where seq = 6`);
      expect(await writeAuditCheckpoint(db, { dir })).toBeNull();
    });

    it('the job sweep writes one to AUDIT_CHECKPOINT_DIR', async () => {
      const { db, dir } = await reset();
      await appendMany(db, 2);
      const saved = process.env.AUDIT_CHECKPOINT_DIR;
      process.env.AUDIT_CHECKPOINT_DIR = dir;
      try {
        await sweep(db);
      } finally {
        process.env.AUDIT_CHECKPOINT_DIR = saved;
      }
      expect(readCheckpoints(dir)).toMatchObject({ latest: { seq: 2, count: 2 }, rejected: [] });
    });

    it('a checkpoint not signed with the audit key is rejected, reported, and never trusted', async () => {
      const { db, dir } = await scenario();
      // A forged checkpoint claiming fewer events (to hide a cut tail), another one altered by hand,
      // and a line still being written (no newline yet), which is not an error.
      await db.execute(sql`delete from audit_events where seq > 3`);
      const file = readdirSync(dir)[0]!;
      const forged = writeCheckpoint(
        { seq: 3, hash: (await allEvents(db))[2]!.hash, count: 3, at: new Date().toISOString() },
        dir,
        OTHER_KEY,
      );
      const altered = { ...JSON.parse(readFileSync(path.join(dir, file), 'utf8').split('\n')[0]!), count: 3 };
      appendFileSync(path.join(dir, file), `${JSON.stringify(altered)}\nnot json\n{"v":1,"seq":`);
      const read = readCheckpoints(dir);
      expect(read.latest).toMatchObject({ seq: 5, count: 5 });
      expect(read.rejected).toEqual([
        { file, line: 2, reason: 'invalid signature' },
        { file, line: 3, reason: 'invalid signature' },
        { file, line: 4, reason: 'not a checkpoint' },
      ]);
      expect(forged.seq).toBe(3);
      const report = await verifyAuditTrail(db, { dir });
      expect(report.ok).toBe(false);
      expect(report.chain).toMatchObject({ ok: false, firstBreak: { reason: 'tail_cut' } });
      expect(inEnglish(report.findings)).toEqual(
        expect.arrayContaining([
          { tone: 'problem', text: expect.stringMatching(/^3 checkpoint entries are not signed with the audit key/) },
        ]),
      );
    });

    it('with no checkpoint yet, the auditor is told the end of the log cannot be vouched for, and one is written', async () => {
      const { db } = await reset();
      const missing = path.join(dir!, 'not-created-yet');
      await appendMany(db, 2);
      const report = await verifyAuditTrail(db, { dir: missing });
      expect(report).toMatchObject({
        ok: true,
        headline: 'Chain intact: 2 events verified.',
        checkpoint: null,
        written: { seq: 2 },
      });
      expect(inEnglish(report.findings)).toEqual(
        expect.arrayContaining([
          {
            tone: 'caution',
            text: expect.stringMatching(/^No signed checkpoint was found in .+not-created-yet, so this check cannot show/),
          },
          { tone: 'ok', text: 'A new signed checkpoint was written for event #2.' },
          // PGlite has one role, a superuser: the auditor is told the database does not enforce append-only on its own.
          {
            tone: 'caution',
            text: expect.stringMatching(/^The app connects to the database as "postgres", which is a superuser/),
          },
        ]),
      );
      expect(readCheckpoints(missing).latest).toMatchObject({ seq: 2, count: 2 });
    });
  });

  describe('events written before the chain was keyed (chain version 1)', () => {
    /** Events as the code before migration 0014 wrote them: plain SHA-256, version 1. */
    async function legacyEvents(db: Db, count: number) {
      let prevHash = GENESIS_HASH;
      for (let seq = 1; seq <= count; seq += 1) {
        const fields: ChainedFields = {
          id: crypto.randomUUID(),
          seq,
          occurredAt: new Date(Date.UTC(2025, 0, seq)),
          actorId: null,
          actorRole: 'system',
          actorEmail: 'old@example.com',
          action: 'legacy.event',
          entityType: 'thing',
          entityId: String(seq),
          before: null,
          after: { seq },
          ip: null,
          userAgent: null,
          requestId: null,
          outcome: 'success',
          prevHash,
          chainVersion: 1,
        };
        const hash = chainHash(fields);
        expect(hash).toBe(sha256Chain(fields));
        await db.insert(auditEvents).values({ ...fields, outcome: 'success', hash });
        prevHash = hash;
      }
    }

    it('verify as a sealed prefix once a keyed event follows them', async () => {
      const { dir } = await reset();
      await legacyEvents(handle.db, 3);
      const unsealed = await verifyAuditTrail(handle.db, { dir });
      expect(unsealed).toMatchObject({ ok: true, chain: { ok: true, verified: 3, legacy: 3 } });
      expect(inEnglish(unsealed.findings)).toEqual(
        expect.arrayContaining([
          { tone: 'caution', text: expect.stringMatching(/^All 3 events were written before the chain was keyed/) },
        ]),
      );
      await appendMany(handle.db, 2);
      const rows = await allEvents(handle.db);
      expect(rows.map((r) => r.chainVersion)).toEqual([1, 1, 1, 2, 2]);
      expect(rows[3]!.prevHash).toBe(rows[2]!.hash);
      const sealed = await verifyAuditTrail(handle.db, { dir });
      expect(sealed).toMatchObject({ ok: true, chain: { ok: true, verified: 5, legacy: 3 } });
      expect(inEnglish(sealed.findings)).toEqual(
        expect.arrayContaining([
          {
            tone: 'ok',
            text: 'Events #1–#3 were written before the chain was keyed (plain SHA-256); the first keyed event, #4, seals them.',
          },
        ]),
      );
    });

    it('migration 0014 keeps the events written before it verifying, as version 1, sealed by the next keyed event', async () => {
      // A database at migration 0013 with events the code of that time wrote.
      const old = await openDb({ dataDir: 'memory://', migrate: false });
      const folder = mkdtempSync(path.join(tmpdir(), 'rd-migrations-'));
      try {
        const journal = JSON.parse(readFileSync(path.join(MIGRATIONS_FOLDER, 'meta', '_journal.json'), 'utf8')) as {
          entries: { tag: string }[];
        };
        const upgrade = journal.entries.findIndex((e) => e.tag.startsWith('0014_'));
        expect(upgrade).toBe(14);
        mkdirSync(path.join(folder, 'meta'));
        writeFileSync(
          path.join(folder, 'meta', '_journal.json'),
          JSON.stringify({ ...journal, entries: journal.entries.slice(0, upgrade) }),
        );
        for (const entry of journal.entries.slice(0, upgrade)) {
          copyFileSync(path.join(MIGRATIONS_FOLDER, `${entry.tag}.sql`), path.join(folder, `${entry.tag}.sql`));
        }
        await migrate(old.db as unknown as Parameters<typeof migrate>[0], { migrationsFolder: folder });
        let prevHash = GENESIS_HASH;
        for (let seq = 1; seq <= 3; seq += 1) {
          const fields = {
            id: crypto.randomUUID(),
            seq,
            occurredAt: new Date(Date.UTC(2025, 5, seq)),
            actorId: null,
            actorRole: 'system',
            actorEmail: null,
            action: 'before.upgrade',
            entityType: 'thing',
            entityId: null,
            before: null,
            after: { seq },
            ip: null,
            userAgent: null,
            requestId: null,
            outcome: 'success',
            prevHash,
          };
          // What db/audit-hash.ts computed before the key: sha256(prev_hash || canonical row).
          const hash = sha256Chain({ ...fields, chainVersion: 1 });
          await old.db.execute(
            sql`insert into audit_events (id, seq, occurred_at, actor_role, action, entity_type, after, outcome, prev_hash, hash)
                values (${fields.id}, ${seq}, ${fields.occurredAt.toISOString()}, 'system', 'before.upgrade', 'thing',
                        ${JSON.stringify(fields.after)}::jsonb, 'success', ${prevHash}, ${hash})`,
          );
          prevHash = hash;
        }
        await migrateDb(old);
        await appendMany(old.db, 1, 'after.upgrade');
        expect((await allEvents(old.db)).map((r) => [r.action, r.chainVersion])).toEqual([
          ['before.upgrade', 1],
          ['before.upgrade', 1],
          ['before.upgrade', 1],
          ['after.upgrade', 2],
        ]);
        expect(await verifyAuditChain(old.db)).toMatchObject({ ok: true, verified: 4, legacy: 3 });
        // The database names no version for the app: an insert without one is refused.
        expect(
          await old.db
            .execute(
              sql`insert into audit_events (id, seq, occurred_at, action, entity_type, outcome, prev_hash, hash)
                values (gen_random_uuid(), 5, now(), 'x', 'x', 'success', ${'a'.repeat(64)}, ${'b'.repeat(64)})`,
            )
            .then(
              () => 'inserted',
              (e: unknown) => String((e as { cause?: { message?: string } }).cause?.message ?? e),
            ),
        ).toMatch(/null value in column "chain_version"/);
      } finally {
        await old.close();
        rmSync(folder, { recursive: true, force: true });
      }
    });

    it('an unkeyed event edited and re-hashed (valid plain SHA-256) breaks the keyed event that seals it', async () => {
      await reset();
      await legacyEvents(handle.db, 3);
      await appendMany(handle.db, 2);
      const rows = await allEvents(handle.db);
      await handle.db.execute(sql`alter table audit_events disable trigger user`);
      // The attacker re-hashes the unkeyed part; event #4 still points at the old #3 …
      await rehash(handle.db, 2, { hash: sha256Chain, edit: forgeEmail, throughSeq: 3 });
      expect(await verifyAuditChain(handle.db)).toMatchObject({
        ok: false,
        verified: 3,
        firstBreak: { reason: 'prev_hash_mismatch', seq: 4, id: rows[3]!.id },
      });
      // … and pointing it at the new #3 needs a new HMAC for #4, which takes the key.
      const newThird = (await allEvents(handle.db))[2]!.hash;
      await handle.db.execute(
        sql`update audit_events set prev_hash = ${newThird}, hash = ${sha256Chain({ ...rows[3]!, prevHash: newThird })} where seq = 4`,
      );
      expect(await verifyAuditChain(handle.db)).toMatchObject({
        ok: false,
        verified: 3,
        firstBreak: { reason: 'hash_mismatch', seq: 4, id: rows[3]!.id },
      });
    });
  });
});
