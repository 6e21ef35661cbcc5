/**
 * Part 5, audit: random tamperings of a realistic audit chain, made as the database superuser
 * (append-only triggers switched off), each held against the auditor's own check — the
 * `verifyAuditTrail` that the Verify button on /audit runs (lib/audit/actions.ts), with the signed
 * checkpoints the job sweep wrote. The attacker has the database but neither AUDIT_HMAC_KEY nor
 * write access to AUDIT_CHECKPOINT_DIR.
 *
 * What the verifier cannot see, by design (README "Audit trail"): events appended after the newest
 * checkpoint can be cut off the end unnoticed. The chain keeps a window of such events, and cuts
 * that remove only them (down to exactly the checkpointed head, or short of it) are still made, but
 * counted apart as that documented limit, not as detected or missed tamperings.
 */
import { createHash, createHmac, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { asc } from 'drizzle-orm';
import { appEnv, rng, type Failure, type Part, type PartContext, type PartOutcome, type Rng } from '../harness';

const KINDS = ['edit', 'delete', 'swap', 'rehash', 'cut'] as const;
type Kind = (typeof KINDS)[number];

/** Every column of audit_events: an attacker may change any of them. */
const COLUMNS = [
  'id',
  'seq',
  'occurred_at',
  'actor_id',
  'actor_role',
  'actor_email',
  'action',
  'entity_type',
  'entity_id',
  'before',
  'after',
  'ip',
  'user_agent',
  'request_id',
  'outcome',
  'prev_hash',
  'hash',
  'chain_version',
] as const;
type Column = (typeof COLUMNS)[number];

/** How an attacker without the key recomputes a hash over the canonical row. */
const ATTACKER_HASHES = ['sha256', 'sha256-as-unkeyed', 'hmac-guessed-key', 'hmac-empty-key', 'hmac-raw-guess'] as const;

const SIZES = {
  // ci: a chain of a few hundred events, ~100 tamperings, a few seconds on 2 cores.
  ci: { events: 400, tamperings: 100, window: 5, controlEvery: 25, copies: 4 },
  // Frontpayment orders block new refunds while one is unsettled (no worker runs here), so the
  // full chain needs more orders than the ci one: 16 copies of the demo world.
  full: { events: 3000, tamperings: 1000, window: 20, controlEvery: 50, copies: 16 },
} as const;

interface Tampering {
  kind: Kind;
  /** What was done, in words a person can redo with psql (seq numbers, columns, values). */
  steps: string[];
  /** Removes only events newer than the newest checkpoint: the README's documented blind spot. */
  beyondCheckpoint: boolean;
  /** The seq numbers whose rows it changed or removed (for a cheap repair). */
  touched: number[];
}

export const part: Part = {
  name: 'audit',
  title: 'Audit: random superuser tamperings of the keyed chain, held against the auditor’s Verify',
  run,
};

async function run(ctx: PartContext): Promise<PartOutcome> {
  const size = SIZES[ctx.size];
  const random = rng(ctx.seed);
  const { freshPostgres } = await import('@/test/db');
  const handle = await freshPostgres(8);
  // No provider is called here (no job runs); the sandbox URL only satisfies the app's env.
  Object.assign(process.env, appEnv(handle.url, 'http://127.0.0.1:9'));
  // App modules read their env when loaded (the logger's level), so they come after it is set.
  const { seedDemo } = await import('@/demo/seed');
  const { proveDataset } = await import('../harness');
  const { auditEvents, orders, users } = await import('@/db/schema');
  const { actorContext } = await import('@/lib/audit');
  const { verifyAuditTrail } = await import('@/lib/audit/trail');
  const { checkpointDir, readCheckpoints } = await import('@/lib/audit/checkpoints');
  const { sweep } = await import('@/lib/jobs/handlers');
  const { createRefund } = await import('@/lib/refunds/service');
  const { cancelRefund } = await import('@/lib/approvals/service');
  const { getOrderFigures } = await import('@/db/queries/refundable');
  const { REFUND_REASONS } = await import('@/lib/refunds/constants');
  const { SafeError } = await import('@/lib/errors');
  const { canonicalEvent, chainHash, GENESIS_HASH } = await import('@/db/audit-hash');
  type AuditEvent = typeof auditEvents.$inferSelect;
  type Fields = Parameters<typeof chainHash>[0];
  const { db, superuser: su } = handle;
  const started = Date.now();

  try {
    // ── A realistic chain, written by the app's own code ────────────────────────────────────────
    await seedDemo(db, { dataset: proveDataset(size.copies) });
    // The full size's ~1,000 refunds by two agents pass their daily limits (USD 1,000.00): without
    // a limit the requests keep being written (and audited) instead of refused after a while.
    await su`update refund_limits set per_day_minor = null where user_id is null`;
    const staff = await db.select().from(users);
    const agents = staff.filter((u) => u.role === 'agent');
    const orderIds = (await db.select({ id: orders.id }).from(orders)).map((o) => o.id);
    const contextOf = (user: (typeof staff)[number]) =>
      actorContext(user, {
        ip: `198.51.100.${random.int(1, 254)}`,
        userAgent: random.pick(['Mozilla/5.0 (Macintosh)', 'Mozilla/5.0 (Windows NT 10.0)', 'Mozilla/5.0 (iPhone)']),
        requestId: randomUUID(),
      });
    const headSeq = async () => Number((await su`select coalesce(max(seq), 0)::bigint as n from audit_events`)[0]!.n);

    /** Refund requests of a few cents on random lines, some canceled again: two kinds of events, real payloads. */
    async function appendEvents(target: number) {
      let refusedInARow = 0;
      let lastRefusal = '';
      while ((await headSeq()) < target) {
        // Every order full or every agent at a limit: say so rather than try for ever.
        if (refusedInARow > 200)
          throw new Error(`the chain stopped growing at #${await headSeq()}: 200 refusals in a row, the last: ${lastRefusal}`);
        const agent = random.pick(agents);
        const orderId = random.pick(orderIds);
        const figures = await getOrderFigures(db, orderId);
        const open = figures.lines.filter((l) => l.refundableMinor > 0);
        if (open.length === 0) continue;
        const line = random.pick(open);
        const amount = Math.min(line.refundableMinor, random.int(1, 500));
        try {
          const created = await createRefund(db, agent, contextOf(agent), {
            orderId,
            requestKey: randomUUID(),
            lines: [
              {
                orderLineId: line.orderLineId,
                quantity: 0,
                amountMinor: amount,
                reason: random.pick(REFUND_REASONS.filter((r) => r !== 'other')),
              },
            ],
            confirmedTotalMinor: amount,
          });
          refusedInARow = 0;
          if (random.chance(0.35) && (await headSeq()) < target) {
            await cancelRefund(db, { id: agent.id, role: agent.role }, contextOf(agent), created.refundId);
          }
        } catch (error) {
          // A refusal (order blocked, provider cannot split …) is the app doing its job: try another.
          if (!(error instanceof SafeError)) throw error;
          refusedInARow += 1;
          lastRefusal = error.message;
        }
      }
    }

    await appendEvents(size.events);
    // The checkpoint as the app takes it: the job worker's sweep signs the head outside the database.
    await sweep(db);
    const swept = readCheckpoints().latest;
    if (!swept) throw new Error('the sweep wrote no audit checkpoint');
    // A const of its own, so the functions below (hoisted) see it as never null.
    const checkpoint = swept;
    // Then a few more events, as between two sweeps: newer than the newest checkpoint.
    await appendEvents(checkpoint.seq + size.window);

    const intact: AuditEvent[] = await db.select().from(auditEvents).orderBy(asc(auditEvents.seq));
    const n = intact.length;
    const bySeq = (seq: number) => intact[seq - 1]!;
    if (n !== intact.at(-1)!.seq)
      throw new Error(`the chain is not gapless before any tampering (${n} rows, head #${intact.at(-1)!.seq})`);
    ctx.log(`chain: ${n.toLocaleString('en-US')} events, checkpoint at #${checkpoint.seq}, ${n - checkpoint.seq} newer events`);

    // ── The attacker's side: triggers off, a copy of the intact table to repair from ────────────
    // Each case commits its tampering, because the verifier must read it through the app's own
    // connection pool (a rolled-back superuser transaction would never be seen). Repair is then a
    // diff against a saved copy — delete every row that differs from the copy, re-insert what is
    // missing — which touches only the few rows a case changed (a whole-table reload costs ~10×
    // more with nine indexes), and a digest of the whole table proves the repair exact each time.
    await su`alter table audit_events disable trigger user`;
    await su`create schema prove_audit`;
    await su`create table prove_audit.intact as select * from audit_events`;
    await su`create unique index on prove_audit.intact (id)`;
    const digest = async (table: 'audit_events' | 'prove_audit.intact') =>
      (await su.unsafe(`select md5(string_agg((t.*)::text, '|' order by seq)) as d from ${table} t`))[0]!.d as string;
    const intactDigest = await digest('prove_audit.intact');
    const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
    async function repair(touched: number[]) {
      // The rows the case touched, and any row moved outside 1…n (an edited seq), back from the copy.
      await su.begin(async (tx) => {
        await tx`delete from audit_events where seq = any(${touched}::bigint[]) or seq < 1 or seq > ${n}`;
        await tx`insert into audit_events select * from prove_audit.intact where seq = any(${touched}::bigint[])`;
      });
      if ((await digest('audit_events')) === intactDigest) return;
      // Not exact (a tampering touched more than it said): the full diff against the copy.
      await su.begin(async (tx) => {
        await tx`delete from audit_events a where not exists (
                   select 1 from prove_audit.intact i where i.id = a.id and (i.*)::text = (a.*)::text)`;
        await tx`insert into audit_events select * from prove_audit.intact i
                   where not exists (select 1 from audit_events a where a.id = i.id)`;
      });
      const now = await digest('audit_events');
      if (now !== intactDigest) throw new Error('the audit table could not be restored to its intact state');
    }

    // The checkpoint folder is out of the attacker's reach; but the auditor's check itself signs the
    // head it verified when the chain grew, so a case it passed could leave a checkpoint behind that
    // would change the next case. Restored to the files the sweep wrote.
    const dir = checkpointDir();
    const savedCheckpoints = new Map(readdirSync(dir).map((f) => [f, readFileSync(path.join(dir, f), 'utf8')]));
    function restoreCheckpoints() {
      for (const file of readdirSync(dir)) if (!savedCheckpoints.has(file)) rmSync(path.join(dir, file));
      for (const [file, text] of savedCheckpoints) writeFileSync(path.join(dir, file), text);
    }
    const control = await verifyAuditTrail(db);
    if (!control.ok) throw new Error(`the intact chain does not verify: ${control.headline}`);
    if (control.written) restoreCheckpoints();

    // ── Tamperings ──────────────────────────────────────────────────────────────────────────────
    const guessedKey = `guess-${randomUUID()}-${randomUUID()}`;
    const attackerHash = (how: (typeof ATTACKER_HASHES)[number], fields: Fields): string => {
      switch (how) {
        case 'sha256':
        case 'sha256-as-unkeyed':
          return createHash('sha256').update(fields.prevHash).update(canonicalEvent(fields)).digest('hex');
        case 'hmac-guessed-key':
          return chainHash(fields, guessedKey);
        case 'hmac-empty-key':
          return chainHash(fields, '');
        case 'hmac-raw-guess':
          return createHmac('sha256', guessedKey).update(fields.prevHash).update(canonicalEvent(fields)).digest('hex');
      }
    };
    /** A row: the first, the last, one at the checkpoint, or anywhere (most of the time). */
    const pickSeq = (r: Rng) => {
      const roll = r.next();
      if (roll < 0.1) return 1;
      if (roll < 0.2) return n;
      if (roll < 0.25) return checkpoint.seq;
      return r.int(1, n);
    };

    async function editColumn(r: Rng, seq: number, column: Column): Promise<string> {
      const row = bySeq(seq);
      const text = (value: string | null) =>
        value === null
          ? 'forged'
          : r.pick([
              () => null,
              () => `${value}x`,
              () => `${value} `,
              () => (value.length ? value.slice(0, -1) : 'x'),
              () => value.replace(/[a-z]/, (c) => (c === 'a' ? 'а' : 'a')), // a Cyrillic а for a Latin a: looks alike
            ])();
      const set = async (sqlColumn: string, value: unknown, cast = '') => {
        await su.unsafe(`update audit_events set ${sqlColumn} = $1${cast} where seq = $2`, [value as string, seq]);
        return `update audit_events set ${sqlColumn} = ${JSON.stringify(value)} where seq = ${seq}`;
      };
      switch (column) {
        case 'id':
          return set('id', randomUUID(), '::uuid');
        case 'seq': {
          // A free number: past the end, zero or negative (the column is unique).
          const to = r.pick([n + r.int(1, 50), 0, -seq]);
          return set('seq', to, '::bigint');
        }
        case 'occurred_at': {
          const shiftMs = r.pick([1, -1, 1000, -60_000, 86_400_000, -r.int(2, 10_000_000)]);
          return set('occurred_at', new Date(row.occurredAt.getTime() + shiftMs).toISOString(), '::timestamptz');
        }
        case 'actor_id':
          return set('actor_id', row.actorId === null || r.chance(0.5) ? randomUUID() : null, '::uuid');
        case 'actor_role':
          return set('actor_role', row.actorRole === 'agent' ? r.pick(['manager', 'admin', 'system']) : text(row.actorRole));
        case 'actor_email':
          return set(
            'actor_email',
            row.actorEmail ? r.pick(['manager@refund-desk.test', text(row.actorEmail)]) : 'agent2@refund-desk.test',
          );
        case 'action':
          return set('action', r.pick(['refund.approved', 'refund.rejected', text(row.action) ?? 'refund.approved']));
        case 'entity_type':
          return set('entity_type', r.pick(['order', 'user', `${row.entityType}s`]));
        case 'entity_id':
          return set('entity_id', row.entityId === null || r.chance(0.5) ? randomUUID() : null);
        case 'before':
        case 'after': {
          const value = column === 'before' ? row.before : row.after;
          const written = value === null ? '' : JSON.stringify(value);
          // Sometimes a number respelled so JavaScript reads the same value (null as 1e400, which
          // parses as Infinity; 100 as 100.000000000000000001): jsonb keeps the difference.
          const respelled = /\bnull\b/.test(written)
            ? written.replace(/\bnull\b/, '1e400')
            : written.replace(/(:\s*-?\d+)([,}\]])/, '$1.000000000000000000001$2');
          const edited = r.chance(0.15) && respelled !== written ? null : editJson(r, value);
          const sqlText = edited === null ? respelled : JSON.stringify(edited);
          await su.unsafe(`update audit_events set ${column} = $1::jsonb where seq = $2`, [sqlText as string, seq]);
          return `update audit_events set ${column} = '${sqlText}' where seq = ${seq} (was ${JSON.stringify(value)})`;
        }
        case 'ip':
          // An address: a respelling such as a trailing space or '/32' is the same inet value, no edit.
          return set(
            'ip',
            row.ip === null ? '203.0.113.7' : r.pick([null, row.ip === '203.0.113.7' ? '203.0.113.8' : '203.0.113.7']),
          );
        case 'user_agent':
          return set('user_agent', text(row.userAgent));
        case 'request_id':
          return set('request_id', row.requestId === null || r.chance(0.5) ? randomUUID() : null);
        case 'outcome':
          return set('outcome', row.outcome === 'success' ? 'failure' : 'success', '::audit_outcome');
        case 'prev_hash':
          // prev_hash is unique, and every hash but the head's is already some row's prev_hash.
          return set('prev_hash', r.chance(0.5) || seq === n ? randomHex(r) : bySeq(n).hash);
        case 'hash':
          return set('hash', randomHex(r));
        case 'chain_version':
          return set('chain_version', row.chainVersion === 2 ? 1 : 2, '::smallint');
      }
    }

    /** One random tampering, committed; returns what was done. */
    async function tamper(r: Rng, kind: Kind, index: number): Promise<Tampering> {
      switch (kind) {
        case 'edit': {
          const seq = pickSeq(r);
          const column = r.pick(COLUMNS);
          // Payload amounts are the interesting lie: more often than their share.
          const chosen = r.chance(0.2) ? 'after' : column;
          const step = await editColumn(r, seq, chosen);
          return { kind, steps: [`edit #${seq} column ${chosen}`, step], beyondCheckpoint: false, touched: [seq] };
        }
        case 'delete': {
          const seq = pickSeq(r);
          await su`delete from audit_events where seq = ${seq}`;
          // Deleting the newest event is a one-event tail cut: beyond the checkpoint when it is newer.
          return {
            kind,
            steps: [`delete from audit_events where seq = ${seq}`],
            beyondCheckpoint: seq === n && seq > checkpoint.seq,
            touched: [seq],
          };
        }
        case 'swap': {
          const a = pickSeq(r);
          let b = r.chance(0.4) ? (a < n ? a + 1 : a - 1) : r.int(1, n);
          if (b === a) b = a === 1 ? 2 : a - 1;
          if (r.chance(0.5)) {
            // Whole rows change places (every column but seq): the same as exchanging their seq.
            await su.begin(async (tx) => {
              await tx`update audit_events set seq = -1 where seq = ${a}`;
              await tx`update audit_events set seq = ${a} where seq = ${b}`;
              await tx`update audit_events set seq = ${b} where seq = -1`;
            });
            return {
              kind,
              steps: [`swap rows #${a} and #${b} (every column but seq)`],
              beyondCheckpoint: false,
              touched: [a, b],
            };
          }
          // Only the content changes places; id, seq and both hashes stay, so the links still hold.
          const [x, y] = [bySeq(a), bySeq(b)];
          const content = (tx: typeof su, row: AuditEvent, seq: number) =>
            tx`update audit_events set occurred_at = ${row.occurredAt}, actor_id = ${row.actorId}, actor_role = ${row.actorRole},
                 actor_email = ${row.actorEmail}, action = ${row.action}, entity_type = ${row.entityType}, entity_id = ${row.entityId},
                 before = ${row.before === null ? null : JSON.stringify(row.before)}::jsonb,
                 after = ${row.after === null ? null : JSON.stringify(row.after)}::jsonb, ip = ${row.ip},
                 user_agent = ${row.userAgent}, request_id = ${row.requestId}, outcome = ${row.outcome}
               where seq = ${seq}`;
          // Inside the transaction only its own handle works: the superuser pool has one connection.
          await su.begin(async (tx) => {
            await content(tx as unknown as typeof su, y, a);
            await content(tx as unknown as typeof su, x, b);
          });
          return {
            kind,
            steps: [`swap the content of rows #${a} and #${b} (all but id, seq, prev_hash, hash, chain_version)`],
            beyondCheckpoint: false,
            touched: [a, b],
          };
        }
        case 'rehash': {
          const from = r.chance(0.1) ? 1 : pickSeq(r);
          const how = r.pick(ATTACKER_HASHES);
          const editWhat = r.pick(['actor_email', 'after', 'action', 'nothing'] as const);
          const steps = [`re-hash #${from}…#${n} with ${how}`];
          const rows = intact.slice(from - 1).map((row) => ({ ...row }));
          if (editWhat !== 'nothing') {
            const first = rows[0]!;
            if (editWhat === 'actor_email') first.actorEmail = 'manager@refund-desk.test';
            if (editWhat === 'action') first.action = 'refund.approved';
            if (editWhat === 'after') first.after = editJson(r, first.after);
            await su`update audit_events set actor_email = ${first.actorEmail}, action = ${first.action},
                       after = ${first.after === null ? null : JSON.stringify(first.after)}::jsonb where seq = ${from}`;
            steps.unshift(`edit #${from} ${editWhat}`);
          }
          let previous = from === 1 ? GENESIS_HASH : bySeq(from - 1).hash;
          const version = how === 'sha256-as-unkeyed' ? 1 : 2;
          for (const row of rows) {
            row.prevHash = previous;
            row.chainVersion = version;
            row.hash = attackerHash(how, row);
            previous = row.hash;
          }
          await su`update audit_events t set prev_hash = v.p, hash = v.h, chain_version = v.c
                   from unnest(${su.array(rows.map((x) => x.seq))}::bigint[], ${su.array(rows.map((x) => x.prevHash))}::text[],
                               ${su.array(rows.map((x) => x.hash))}::text[], ${su.array(rows.map((x) => x.chainVersion))}::int[]) as v(s, p, h, c)
                   where t.seq = v.s`;
          return { kind, steps, beyondCheckpoint: false, touched: range(from, n) };
        }
        case 'cut': {
          // Mostly past the checkpoint; sometimes only the newer events, or exactly back to the checkpoint.
          const newer = n - checkpoint.seq;
          const roll = r.next();
          // The first cases after one of each kind: exactly back to the checkpoint, and short of it.
          const keep =
            index === KINDS.length
              ? checkpoint.seq
              : index === KINDS.length + 1
                ? r.int(checkpoint.seq + 1, n - 1)
                : roll < 0.05
                  ? 0
                  : roll < 0.1
                    ? checkpoint.seq
                    : roll < 0.15
                      ? r.int(checkpoint.seq, n - 1)
                      : r.int(0, checkpoint.seq - 1);
          await su`delete from audit_events where seq > ${keep}`;
          return {
            kind,
            steps: [
              `delete from audit_events where seq > ${keep} (${n - keep} newest events; ${newer} were newer than the checkpoint #${checkpoint.seq})`,
            ],
            beyondCheckpoint: keep >= checkpoint.seq,
            touched: range(keep + 1, n),
          };
        }
      }
    }

    const counts = Object.fromEntries(KINDS.map((k) => [k, { made: 0, detected: 0 }])) as Record<
      Kind,
      { made: number; detected: number }
    >;
    const reasons = new Map<string, number>();
    const limit = { made: 0, detected: 0, exactlyToCheckpoint: 0 };
    let controls = 0;
    const failures: Failure[] = [];
    let cases = 0;
    // Each case draws from its own stream (seeded from this one), so a failure names the one seed
    // that redoes its choices, however many events the chain building consumed.
    const seeds = rng(ctx.seed ^ 0x5eed_a0d1);
    for (let index = 0; cases < size.tamperings; index++) {
      const caseSeed = seeds.int(0, 2 ** 32 - 1);
      const r = rng(caseSeed);
      // Every kind in turn, then at random: the ci size covers each kind from its first cases.
      const kind = index < KINDS.length ? KINDS[index]! : index < KINDS.length + 2 ? 'cut' : r.pick(KINDS);
      const tampering = await tamper(r, kind, index);
      const report = await verifyAuditTrail(db);
      const detected = !report.ok;
      if (report.written) restoreCheckpoints();
      await repair(tampering.touched);
      if (tampering.beyondCheckpoint) {
        limit.made += 1;
        if (detected) limit.detected += 1;
        if (tampering.steps[0]!.includes(`seq > ${checkpoint.seq} `)) limit.exactlyToCheckpoint += 1;
      } else {
        cases += 1;
        counts[kind].made += 1;
        if (detected) {
          counts[kind].detected += 1;
          const reason = report.chain.ok ? 'checkpoint_file' : report.chain.firstBreak.reason;
          reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
        } else {
          failures.push({
            what: `a ${kind} tampering was not detected: "${report.headline}"`,
            seed: ctx.seed,
            steps: [
              `case ${index} (case seed ${caseSeed}); chain of ${n} events, checkpoint at #${checkpoint.seq}`,
              ...tampering.steps,
            ],
          });
        }
      }
      // Controls: the repaired chain must pass, or "detected" would mean nothing.
      if (index % size.controlEvery === 0) {
        const again = await verifyAuditTrail(db);
        if (!again.ok) throw new Error(`the repaired chain does not verify after case ${index}: ${again.headline}`);
        if (again.written) restoreCheckpoints();
        controls += 1;
      }
    }
    const detected = KINDS.reduce((sum, k) => sum + counts[k].detected, 0);
    ctx.log(`detected ${detected} of ${cases} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return {
      cases,
      unit: 'tamperings',
      failures,
      figures: {
        events: n,
        ...Object.fromEntries(KINDS.map((k) => [k, `${counts[k].detected}/${counts[k].made}`])),
        detected: `${detected}/${cases}`,
        'first break': [...reasons].map(([reason, count]) => `${reason} ${count}`).join(', '),
        'intact controls passed': controls,
        // The documented blind spot, made and shown rather than left out.
        'cuts of only the newer-than-checkpoint events (not covered, README)': `${limit.made} made, ${limit.detected} detected (${limit.exactlyToCheckpoint} exactly to the checkpoint)`,
      },
    };
  } finally {
    await handle.close();
  }
}

function randomHex(r: Rng) {
  let hex = '';
  while (hex.length < 64)
    hex += Math.floor(r.next() * 2 ** 32)
      .toString(16)
      .padStart(8, '0');
  return hex.slice(0, 64);
}

type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** One change to a payload that a reader would see: an amount, a word, a key added or removed. */
function editJson(r: Rng, value: unknown): JsonValue {
  const copy = structuredClone(value ?? null) as JsonValue;
  if (copy === null || typeof copy !== 'object') return { forged: true };
  const leaves: { parent: Record<string, JsonValue> | JsonValue[]; key: string | number }[] = [];
  const walk = (node: JsonValue) => {
    if (node === null || typeof node !== 'object') return;
    for (const [key, child] of Object.entries(node)) {
      const k = Array.isArray(node) ? Number(key) : key;
      if (child !== null && typeof child === 'object') walk(child);
      else leaves.push({ parent: node, key: k });
    }
  };
  walk(copy);
  // Amounts first: they are what a forger wants to change.
  const amounts = leaves.filter((l) => typeof (l.parent as Record<string, JsonValue>)[l.key as string] === 'number');
  const pool = amounts.length && r.chance(0.6) ? amounts : leaves;
  if (pool.length === 0 || r.chance(0.1)) {
    (copy as Record<string, JsonValue>)['forged'] = true;
    return copy;
  }
  const { parent, key } = r.pick(pool);
  const holder = parent as Record<string | number, JsonValue>;
  const old = holder[key];
  if (typeof old === 'number') holder[key] = old + r.pick([1, -1, 100, old || 7]);
  else if (typeof old === 'string') holder[key] = `${old}x`;
  else if (typeof old === 'boolean') holder[key] = !old;
  else holder[key] = 'forged';
  return copy;
}
