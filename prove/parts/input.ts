/**
 * Part 6, bad input: every server action of the build and every route handler of the source, fed
 * property-generated malformed input (wrong types, huge strings, negative and fractional money,
 * unknown ids, other users' ids, extra fields, junk bodies, query strings and cookies) and
 * well-formed input from the wrong person. Each answer must be a clear refusal, never a 5xx, and
 * nothing may be written.
 *
 * What "nothing written" means here, from lib/actions/action.ts, lib/http/route.ts,
 * lib/auth/authenticate.ts and PRODUCT.md §5–6:
 * - every business table (orders, refunds and their lines, submissions, provider refunds and
 *   checks, approvals, jobs, webhook inbox, users, settings, limits) is byte-for-byte the same;
 * - sessions: no row added, ended or changed, `last_seen_at` aside (reading a session touches it,
 *   for the idle timeout);
 * - the audit trail may only grow by `access.denied` events: a refused permission is audited by
 *   design (PCI DSS 10.2.1.4); any other new event means the bad input did something;
 * - `security_counts` and `auth_throttle` may change: refused sign-ins and webhooks are counted
 *   there by design, so that nobody can flood the audit trail without signing in.
 * The app's own job worker is off (JOBS_WORKER=off), so nothing moves in the database but what
 * the requests do; the comparison is made around every single case.
 */
import { createHash, randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type postgres from 'postgres';
import { seedDemo } from '@/demo/seed';
import { DEMO_PASSWORD } from '@/demo/accounts';
import { freshPostgres } from '@/test/db';
import { discoverServerSurface } from '@/test/server-endpoints';
import { appEnv, proveDataset, startSandboxProcess, type Failure, type Part, type PartContext } from '../harness';
import { AppSession, proveBuildDir, serverActions, startAppServer, type ActionAnswer } from '../app-client';

type Who = 'anon' | 'forged' | 'agent' | 'agent2' | 'manager' | 'auditor' | 'admin';
const SIGNED_IN = ['agent', 'agent2', 'manager', 'auditor', 'admin'] as const satisfies readonly Who[];
const ALL_WHO: readonly Who[] = ['anon', 'forged', ...SIGNED_IN];

/** One call of a server action: who calls it with what, and which family of bad input it is. */
interface ActionCase {
  who: Who;
  args: unknown[];
  family: string;
}

/** One request to a route handler. */
/** The metrics endpoint's token on this part's server: the cases send everything but it, in its header. */
const METRICS_TOKEN = 'prove-input-metrics-token-0123456789abcdef';

interface RouteCase {
  who: Who;
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
  /** A foreign Origin header instead of the app's own. */
  foreignOrigin?: boolean;
  family: string;
}

/** What the generators need from the seeded database: real ids that must still be refused. */
interface Fixtures {
  users: Record<Exclude<Who, 'anon' | 'forged'>, string>;
  orderId: string;
  orderLineIds: string[];
  /** Refunds requested by someone other than agent (canceling or resending them is not theirs). */
  othersRefundIds: string[];
  /** Refunds the manager requested (deciding or settling one's own is refused: four eyes). */
  managersRefundIds: string[];
  anyRefundIds: string[];
  defaultLimitId: string;
  sessionIds: string[];
  existingEmail: string;
}

// ─── building blocks ────────────────────────────────────────────────────────────────────────────

const huge = (min: number, max: number) =>
  fc
    .tuple(fc.integer({ min, max }), fc.constantFrom('x', 'é', '😀', '\u0000', "'; drop table refunds; --", '<script>', '9'))
    // At least `length` characters as zod counts them (code points: an emoji is one, not two).
    .map(([length, unit]) => unit.repeat(Math.ceil(length / [...unit].length)));

/** Strings that are no UUID (a UUID field must refuse each). */
const notUuid = fc.oneof(
  fc.string({ maxLength: 40 }).filter((s) => !/^[0-9a-f-]{36}$/i.test(s.trim())),
  fc.constantFrom(
    '',
    ' ',
    '00000000-0000-0000-0000-00000000000',
    '00000000-0000-0000-0000-0000000000000',
    'zzzzzzzz-zzzz-4zzz-8zzz-zzzzzzzzzzzz',
    "' or 1=1 --",
    '../../etc/passwd',
    '{00000000-0000-4000-8000-000000000000}',
    'null',
    'undefined',
  ),
  fc.uuid().map((u) => ` ${u}x`),
  huge(10_000, 200_000),
);

/** Values of a type no field here takes: each must be refused where a string or number is wanted. */
const wrongType = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.array(fc.oneof(fc.integer(), fc.string()), { minLength: 2, maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(fc.integer(), fc.string()), { maxKeys: 3 }),
  fc.constant({ toString: 'x', valueOf: 'y' }),
  fc.bigInt(),
);

/** Money that is never a valid amount in minor units (negative, fractional, not finite, not a number). */
const badMoney = fc.oneof(
  fc.integer({ min: -(2 ** 31), max: -1 }),
  fc.constantFrom(0, -0, 0.5, 1.5, 99.999, 1e309, -1e309, Number.NaN, 2 ** 53 + 2, 1e21, Number.MIN_VALUE),
  fc.double({ min: -1e6, max: 1e6, noNaN: true }).filter((d) => !Number.isInteger(d) || d <= 0),
  fc.constantFrom('NaN', '-1', '0.5', '1e309', 'Infinity', '12,50', 'abc', '', '١٢٣', '0x', '--1', '1_000'),
  fc.constant(null),
  fc.array(fc.integer(), { minLength: 2, maxLength: 3 }),
  fc.constant({}),
);

/** Money that parses but is far above anything the seeded orders hold: refused as too much. */
const tooMuchMoney = fc.integer({ min: 1_000_000_000, max: Number.MAX_SAFE_INTEGER });

/** Text fields a UI form holds: wrong types or too long. */
const badText = (maxLength: number) =>
  fc.oneof(
    wrongType.filter((v) => v !== undefined),
    huge(maxLength + 1, maxLength + 50_000),
  );

const extraFields = fc.dictionary(
  fc.constantFrom(
    'role',
    'requestedBy',
    'status',
    'userId',
    'id',
    'approvedBy',
    'active',
    'isAdmin',
    'constructor',
    'amountMinor',
  ),
  fc.oneof(fc.constantFrom('admin', 'succeeded', true, 0), fc.uuid(), fc.string({ maxLength: 10 })),
  { minKeys: 1, maxKeys: 4 },
);

/** Whole arguments that are not the input object at all. */
const notAnInput = fc.oneof(
  fc.constantFrom<unknown[]>([], [null], [undefined], [1, 2, 3], [[]], ['{"refundId":"x"}']),
  wrongType.map((v) => [v]),
  huge(100_000, 900_000).map((s) => [s]),
  fc.integer({ min: 2, max: 40 }).map((depth) => {
    let value: unknown = 'leaf';
    for (let i = 0; i < depth; i++) value = { nested: value, list: [i, 'x'] };
    return [value];
  }),
);

/**
 * fast-check makes some records with a null prototype, which React's client refuses to send (a
 * browser never has one): each becomes an ordinary object, its keys and values kept.
 */
function plain(value: unknown, seen = new WeakMap<object, unknown>()): unknown {
  if (typeof value !== 'object' || value === null || value instanceof FormData || value instanceof Date) return value;
  if (seen.has(value)) return seen.get(value);
  if (Array.isArray(value)) {
    const list: unknown[] = [];
    seen.set(value, list);
    for (const item of value) list.push(plain(item, seen));
    return list;
  }
  const out: Record<string, unknown> = {};
  seen.set(value, out);
  for (const [key, item] of Object.entries(value)) out[key] = plain(item, seen);
  return out;
}

function toFormData(input: Record<string, unknown>) {
  const form = new FormData();
  for (const [key, value] of Object.entries(input)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) {
      form.append(key, typeof item === 'object' && item !== null ? JSON.stringify(item) : String(item));
    }
  }
  return form;
}

/**
 * A server action's input, field by field: for each field, values it must refuse; an input that
 * is well-formed yet must still be refused (unknown ids, someone else's or one's own record);
 * and, for actions that have none, a valid input sent only by people who may not call it.
 */
interface ActionSpec {
  /** Who may call it (the rest are refused for lack of permission). */
  allowed: readonly Who[];
  fields?: Record<string, fc.Arbitrary<unknown>>;
  /** Well-formed input, refused by the service. */
  refused?: fc.Arbitrary<Record<string, unknown>>;
  /** Valid input: sent only by callers without the permission. */
  valid?: fc.Arbitrary<Record<string, unknown>>;
  /** The action takes arguments of its own shape (sign-in, sign-out, the inline OIDC action). */
  custom?: fc.Arbitrary<ActionCase>;
}

function actionCases(spec: ActionSpec): fc.Arbitrary<ActionCase> {
  if (spec.custom) return spec.custom;
  const allowed = fc.constantFrom(...spec.allowed);
  const notAllowed = ALL_WHO.filter((w) => !spec.allowed.includes(w));
  const base = spec.refused ?? spec.valid ?? fc.constant({});
  const families: fc.Arbitrary<ActionCase>[] = [];
  const fields = spec.fields ?? {};
  const names = Object.keys(fields);
  if (names.length > 0) {
    // One to three fields made bad, some others dropped, extra fields added: invalid by the bad field.
    const mutated = fc
      .tuple(
        base,
        fc
          .subarray(names, { minLength: 1, maxLength: Math.min(3, names.length) })
          .chain((bad) => fc.tuple(fc.constant(bad), fc.tuple(...bad.map((name) => fields[name]!)))),
        fc.subarray(names),
        fc.option(extraFields, { nil: undefined }),
        allowed,
      )
      .map(([input, [bad, values], dropped, extra, who]) => {
        const out: Record<string, unknown> = { ...input };
        for (const name of dropped) delete out[name];
        bad.forEach((name, i) => (out[name] = values[i]));
        return { who, args: [{ ...extra, ...out }], family: `bad ${bad.join(', ')}` };
      });
    families.push(mutated, mutated);
    // The same as a form posts it: every value a string. Only fields whose bad values include
    // text or numbers (which stay bad as text); filtering the others would never end.
    const asText = (v: unknown) => typeof v === 'string' || typeof v === 'number';
    const textual = names.filter((name) => fc.sample(fields[name]!, { seed: 1, numRuns: 200 }).some(asText));
    if (textual.length > 0) {
      families.push(
        fc
          .tuple(
            base,
            fc.constantFrom(...textual).chain((name) => fc.tuple(fc.constant(name), fields[name]!.filter(asText))),
            allowed,
          )
          .map(([input, [name, value], who]) => ({
            who,
            args: [toFormData({ ...input, [name]: value })],
            family: `form data, bad ${name}`,
          })),
      );
    }
  }
  if (spec.refused) {
    families.push(
      fc
        .tuple(spec.refused, fc.option(extraFields, { nil: undefined }), allowed)
        .map(([input, extra, who]) => ({ who, args: [{ ...extra, ...input }], family: 'well-formed, refused' })),
    );
  }
  families.push(fc.tuple(notAnInput, allowed).map(([args, who]) => ({ who, args, family: 'not an input' })));
  if (notAllowed.length > 0) {
    families.push(
      fc
        .tuple(spec.valid ?? base, fc.constantFrom(...notAllowed))
        .map(([input, who]) => ({ who, args: [input], family: 'no permission' })),
    );
  }
  return fc.oneof(...families);
}

// ─── the catalogue: every action and route, with its generator ──────────────────────────────────

const ORDER_WRITERS = ['agent', 'agent2', 'manager'] as const satisfies readonly Who[];

function actionSpecs(f: Fixtures): Record<string, ActionSpec> {
  const unknownId = fc.uuid({ version: [4] });
  const wrongKindId = fc.constantFrom(f.orderId, ...f.orderLineIds.slice(0, 3), ...f.sessionIds.slice(0, 3), f.defaultLimitId);
  const anyUserId = fc.constantFrom(...Object.values(f.users));
  const badUuid = fc.oneof(notUuid, wrongType);
  const digest = fc.stringMatching(/^[0-9a-f]{64}$/);
  const line = fc.record({
    orderLineId: fc.constantFrom(...f.orderLineIds),
    quantity: fc.integer({ min: 0, max: 3 }),
    amountMinor: tooMuchMoney,
    reason: fc.constantFrom('damaged', 'wrong_item', 'other'),
    reasonNote: fc.option(fc.string({ maxLength: 20 }), { nil: undefined }),
  });
  const refundInput = fc.record({
    orderId: fc.oneof(unknownId, fc.constant(f.orderId)),
    requestKey: unknownId,
    lines: fc.array(line, { minLength: 1, maxLength: 3 }),
    confirmedTotalMinor: tooMuchMoney,
    note: fc.option(fc.string({ maxLength: 50 }), { nil: undefined }),
  });
  const badLine = fc.oneof(
    fc.tuple(line, fc.constantFrom('amountMinor', 'quantity'), badMoney).map(([l, key, value]) => ({ ...l, [key]: value })),
    line.map((l) => ({ ...l, reason: 'because' })),
    line.map((l) => ({ ...l, reason: 'other', reasonNote: '' })),
    line.map((l) => ({ ...l, orderLineId: 'line-1' })),
    line.map((l) => ({ ...l, reasonNote: 'n'.repeat(501) })),
    wrongType,
  );
  const refundIdOnly = fc.record({
    refundId: fc.oneof(
      unknownId,
      fc.constantFrom(...(f.othersRefundIds.length ? f.othersRefundIds : f.anyRefundIds)),
      wrongKindId,
    ),
  });
  const decision = fc.record({
    refundId: fc.oneof(
      unknownId,
      fc.constantFrom(...f.anyRefundIds),
      fc.constantFrom(...(f.managersRefundIds.length ? f.managersRefundIds : f.anyRefundIds)),
    ),
    linesDigest: digest,
    comment: fc.string({ minLength: 1, maxLength: 40 }).filter((s) => s.trim().length > 0),
  });
  const limits = fc.record({
    currency: fc.constantFrom('USD', 'NOK'),
    userId: fc.oneof(unknownId, fc.constant(f.users.auditor), fc.constant(f.users.admin)),
    approvalThreshold: fc.constantFrom('100.00', '1 000,00', ''),
    perRefund: fc.constantFrom('10.00', ''),
    perDay: fc.constantFrom('500.00', '1'),
  });
  const email = fc.emailAddress().filter((e) => e.length < 200);
  return {
    'lib/refunds/actions.ts#createRefundAction': {
      allowed: ORDER_WRITERS,
      fields: {
        orderId: badUuid,
        requestKey: badUuid,
        note: badText(1000),
        lines: fc.oneof(
          fc.constant([]),
          fc.array(badLine, { minLength: 1, maxLength: 4 }),
          fc
            .constantFrom(...f.orderLineIds)
            .map((id) => [id, id].map((orderLineId) => ({ orderLineId, quantity: 1, amountMinor: 1, reason: 'damaged' }))),
          fc.array(fc.constant({}), { minLength: 201, maxLength: 210 }),
          wrongType,
        ),
        confirmedTotalMinor: badMoney,
        paymentRef: badText(64),
      },
      refused: refundInput,
    },
    'lib/refunds/actions.ts#requestProviderApprovalAction': {
      allowed: ORDER_WRITERS,
      fields: { refundId: badUuid },
      refused: refundIdOnly,
    },
    'lib/refunds/actions.ts#resolveByHandAction': {
      allowed: ['manager'],
      fields: {
        refundId: badUuid,
        outcome: fc.oneof(fc.constantFrom('yes', 'APPLIED', '', 'applied '), wrongType),
        note: fc.oneof(fc.constantFrom('', '   '), badText(1000)),
      },
      refused: fc.record({
        refundId: fc.oneof(unknownId, fc.constantFrom(...f.anyRefundIds)),
        outcome: fc.constantFrom('applied', 'not_applied'),
        note: fc.constant('Checked the provider dashboard.'),
      }),
    },
    'lib/approvals/actions.ts#approveRefundAction': {
      allowed: ['manager'],
      fields: {
        refundId: badUuid,
        linesDigest: fc.oneof(fc.constantFrom('', 'abc', 'G'.repeat(64), 'a'.repeat(63), 'A'.repeat(64)), wrongType),
        comment: badText(1000),
      },
      refused: decision,
    },
    'lib/approvals/actions.ts#rejectRefundAction': {
      allowed: ['manager'],
      fields: {
        refundId: badUuid,
        linesDigest: fc.oneof(fc.constantFrom('', 'xyz', 'a'.repeat(65)), wrongType),
        comment: fc.oneof(fc.constantFrom('', '   ', '\n\t'), badText(1000)),
      },
      refused: decision,
    },
    'lib/approvals/actions.ts#cancelRefundAction': {
      allowed: ORDER_WRITERS,
      fields: { refundId: badUuid },
      refused: refundIdOnly,
    },
    'lib/orders/actions.ts#importOrderAction': {
      allowed: ORDER_WRITERS,
      fields: {
        provider: fc.oneof(fc.constantFrom('stripe', 'FORAGE', '', 'forage '), wrongType),
        providerRef: fc.oneof(
          fc.constantFrom('', 'ab', 'has space', 'semi;colon', 'ÆØÅ-ref', '../etc'),
          huge(65, 100_000),
          wrongType,
        ),
      },
      // References no provider knows: refused by the provider's answer, nothing imported.
      refused: fc.record({
        provider: fc.constantFrom('forage', 'frontpayment'),
        providerRef: fc.stringMatching(/^[A-Za-z0-9]{8,20}$/).map((s) => `zz-unknown-${s}`),
      }),
    },
    'lib/orders/actions.ts#refreshOrderAction': {
      allowed: ORDER_WRITERS,
      fields: { orderId: badUuid },
      refused: fc.record({ orderId: fc.oneof(unknownId, fc.constantFrom(...f.anyRefundIds), anyUserId) }),
    },
    'lib/users/actions.ts#setUserActiveAction': {
      allowed: ['admin'],
      fields: {
        userId: badUuid,
        active: fc.oneof(fc.constantFrom('yes', 'TRUE', '1', 0, 1, ''), fc.constant(null), fc.constant({})),
      },
      // Unknown users, and the admin's own account (deactivating oneself is refused).
      refused: fc.record({ userId: fc.oneof(unknownId, fc.constant(f.users.admin)), active: fc.constant(false) }),
      valid: fc.record({ userId: fc.constant(f.users.agent2), active: fc.boolean() }),
    },
    'lib/users/actions.ts#changeUserRoleAction': {
      allowed: ['admin'],
      fields: { userId: badUuid, role: fc.oneof(fc.constantFrom('superadmin', 'ADMIN', '', 'root'), wrongType) },
      refused: fc.record({ userId: fc.oneof(unknownId, fc.constant(f.users.admin)), role: fc.constantFrom('agent', 'auditor') }),
      valid: fc.record({ userId: fc.constant(f.users.agent2), role: fc.constant('admin') }),
    },
    'lib/users/actions.ts#inviteUserAction': {
      allowed: ['admin'],
      fields: {
        name: fc.oneof(fc.constantFrom('', '   '), badText(120)),
        email: fc.oneof(
          fc.constantFrom('', 'not-an-email', '@x', 'a@', 'a b@c.d'),
          huge(255, 20_000).map((s) => `${s}@x.test`),
          wrongType,
        ),
        role: fc.oneof(fc.constantFrom('owner', 'Admin', ''), wrongType),
      },
      // Someone who already has an account: refused, nothing changed.
      refused: fc.record({
        name: fc.constant('Dup'),
        email: fc.constant(f.existingEmail),
        role: fc.constantFrom('agent', 'admin'),
      }),
      valid: fc.record({ name: fc.constant('Eve'), email: email, role: fc.constant('admin') }),
    },
    'lib/users/actions.ts#resetPasswordAction': {
      allowed: ['admin'],
      fields: { userId: badUuid },
      refused: fc.record({ userId: fc.oneof(unknownId, fc.constant(f.users.admin)) }),
      valid: fc.record({ userId: anyUserId }),
    },
    'lib/users/actions.ts#setOwnPasswordAction': {
      // Open to everyone signed in, but only after a one-time password: nobody here has one.
      allowed: SIGNED_IN,
      fields: {
        password: fc.oneof(fc.constantFrom('', 'short', 'x'.repeat(11)), huge(201, 50_000), wrongType),
        confirm: fc.oneof(wrongType, fc.constant(undefined)),
      },
      refused: fc.string({ minLength: 12, maxLength: 40 }).map((p) => ({ password: p, confirm: p })),
    },
    'lib/users/actions.ts#setLanguageAction': {
      // Everyone signed in may choose the language; only the two the app speaks are accepted.
      allowed: SIGNED_IN,
      fields: {
        locale: fc.oneof(fc.constantFrom('de', 'NB', 'en-US', 'no', ' en', '', 'nb\u0000'), huge(10, 10_000), wrongType),
      },
      valid: fc.record({ locale: fc.constantFrom('en', 'nb') }),
    },
    'lib/settings/actions.ts#updateLimitsAction': {
      allowed: ['admin'],
      fields: {
        currency: fc.oneof(fc.constantFrom('EUR', 'usd ', '', 'US'), wrongType),
        userId: fc.oneof(
          notUuid.filter((s) => s !== ''),
          wrongType.filter((v) => v !== null),
        ),
        approvalThreshold: fc.oneof(
          fc.constantFrom('-1', '0', '0,00', '1e309', 'NaN', 'abc', '12.345', '99999999999999999999'),
          badText(20),
        ),
        perRefund: fc.oneof(fc.constantFrom('-5', '0', 'Infinity', '1.2.3', '5.001'), badText(20)),
        perDay: fc.oneof(fc.constantFrom('-0.01', '0', '--1', '½'), badText(20)),
      },
      // Limits for someone who does not request refunds, or who does not exist.
      refused: limits,
    },
    'lib/settings/actions.ts#removeLimitOverrideAction': {
      allowed: ['admin'],
      fields: { limitId: badUuid },
      // The defaults cannot be removed; unknown ids and ids of other records are not overrides.
      refused: fc.record({ limitId: fc.oneof(fc.constant(f.defaultLimitId), unknownId, anyUserId, wrongKindId) }),
    },
    'lib/settings/actions.ts#updateApprovalExpiryAction': {
      allowed: ['admin'],
      fields: {
        hours: fc.oneof(
          fc.integer({ min: -100_000, max: 0 }),
          fc.integer({ min: 721, max: 2 ** 31 }),
          fc.constantFrom(0.5, 1.5, 1e309, Number.NaN, 'abc', '1.5', '-1', 'Infinity', '1e309', null, '721'),
          fc.constant({}),
        ),
      },
      valid: fc.record({ hours: fc.integer({ min: 1, max: 720 }) }),
    },
    'lib/providers/actions.ts#testProviderConnectionAction': {
      allowed: ['admin'],
      fields: { provider: fc.oneof(fc.constantFrom('paypal', '', 'Forage', 'sandbox'), wrongType, huge(1000, 100_000)) },
      valid: fc.record({ provider: fc.constantFrom('forage', 'frontpayment') }),
    },
    'lib/audit/actions.ts#verifyAuditChainAction': {
      // Takes no input; only who calls it can be wrong (an auditor's call writes its own event).
      allowed: ['auditor', 'admin'],
      custom: fc
        .tuple(
          fc.oneof(
            notAnInput,
            extraFields.map((e) => [e]),
          ),
          fc.constantFrom<Who>('anon', 'forged', 'agent', 'agent2', 'manager'),
        )
        .map(([args, who]) => ({ who, args, family: 'no permission' })),
    },
    'lib/auth/actions.ts#signInAction': {
      allowed: ['anon'],
      custom: signInCases(),
    },
    'lib/auth/actions.ts#signOutAction': {
      allowed: ['anon', 'forged'],
      // Signing out a real session writes by design; the signed-out and forged callers may not.
      custom: fc
        .tuple(
          fc.oneof(
            fc.oneof(fc.string({ maxLength: 20 }), wrongType, huge(1000, 200_000)).map((scope) => [toFormData({ scope })]),
            fc.oneof(fc.string({ maxLength: 20 }), wrongType).map((scope) => [{ scope }]),
            notAnInput,
          ),
          fc.constantFrom<Who>('anon', 'forged'),
        )
        .map(([args, who]) => ({ who, args, family: 'bad scope, signed out' })),
    },
    'app/(auth)/signin/page.tsx#$$RSC_SERVER_ACTION_0': {
      // The "continue with OIDC" form's inline action: no input, and no OIDC provider configured.
      allowed: ALL_WHO,
      custom: fc
        .tuple(
          fc.oneof(
            notAnInput,
            extraFields.map((e) => [e]),
          ),
          fc.constantFrom<Who>('anon', 'forged', 'agent'),
        )
        .map(([args, who]) => ({ who, args, family: 'arguments to an action without input' })),
    },
  };
}

/** Sign-in: only accounts that do not exist (so no lock-out, no audit event), malformed forms. */
function signInCases(): fc.Arbitrary<ActionCase> {
  const unknownEmail = fc.stringMatching(/^[a-z0-9]{6,16}$/).map((s) => `nobody-${s}@unknown.invalid`);
  const form = fc
    .record({
      email: fc.oneof(unknownEmail, fc.constantFrom('', 'not-an-email', '@'), huge(321, 100_000), fc.constant(undefined)),
      password: fc.oneof(
        fc.string({ minLength: 1, maxLength: 30 }),
        fc.constant(''),
        huge(1025, 200_000),
        fc.constant(undefined),
      ),
      callbackUrl: fc.option(fc.constantFrom('https://evil.test/', '//evil.test', 'javascript:alert(1)', '/\\evil', '/ok'), {
        nil: undefined,
      }),
      extra: fc.option(extraFields, { nil: undefined }),
    })
    .map(({ extra, ...fields }) => [null, toFormData({ ...extra, ...fields })]);
  return fc
    .oneof(
      form.map((args) => ({ args, family: 'form, unknown account' })),
      fc
        .tuple(unknownEmail, fc.string({ maxLength: 20 }), fc.oneof(wrongType, fc.constant(undefined)))
        .map(([email, password, previous]) => ({ args: [previous, { email, password }], family: 'object, not a form' })),
      notAnInput.map((args) => ({ args, family: 'not a form' })),
    )
    .map((c) => ({ ...c, who: 'anon' as const }));
}

interface RouteSpec {
  cases: fc.Arbitrary<RouteCase>;
  /** Auth.js's own protocol answers 2xx/3xx to some junk (the session, the CSRF token). */
  anyNon5xx?: boolean;
}

const queryJunk = fc.dictionary(
  fc.oneof(fc.string({ minLength: 1, maxLength: 10 }), fc.constantFrom('__proto__', 'constructor', 'a[b]', '%')),
  fc.oneof(fc.string({ maxLength: 20 }), huge(1000, 6000)),
  { maxKeys: 4 },
);

function query(pairs: [string, string][]) {
  const search = new URLSearchParams();
  for (const [key, value] of pairs) search.append(key, value);
  return search.toString();
}

/**
 * A query string with one to three bad filter values from `bad` (a value, or whole key–value
 * pairs for what takes two keys or a repeated one), and maybe unknown keys around them.
 */
function badQuery(bad: Record<string, fc.Arbitrary<string | [string, string][]>>) {
  const names = Object.keys(bad);
  return fc
    .tuple(
      fc
        .subarray(names, { minLength: 1, maxLength: 3 })
        .chain((keys) => fc.tuple(fc.constant(keys), fc.tuple(...keys.map((k) => bad[k]!)))),
      fc.option(queryJunk, { nil: undefined }),
    )
    .map(([[keys, values], junk]) => {
      const pairs: [string, string][] = Object.entries(junk ?? {}).filter(([k]) => !names.includes(k));
      keys.forEach((key, i) => {
        const value = values[i]!;
        if (typeof value === 'string') pairs.push([key, value]);
        else pairs.push(...value);
      });
      return query(pairs);
    });
}

const badDay = fc.oneof(
  fc.constantFrom(
    'garbage',
    '2026-13-01',
    '2026-02-31',
    '31/01/2026',
    '2026-1-1',
    '20260101',
    'yesterday',
    '2026-01-01T00:00:00Z',
    "2026-01-01' --",
  ),
  huge(200, 4000),
);
const badAmount = fc.constantFrom('-1', '0.5.5', '1e309', 'NaN', '12.345', '99999999999999', 'Infinity', '1,2,3', '$5', '-0');

function routeSpecs(f: Fixtures): Record<string, RouteSpec> {
  const signedIn = fc.constantFrom<Who>(...SIGNED_IN);
  const anyone = fc.constantFrom<Who>(...ALL_WHO);
  const otherMethods = fc.constantFrom('POST', 'PUT', 'PATCH', 'DELETE');
  const junkBody = fc.oneof(
    fc.string({ maxLength: 200 }),
    fc.constantFrom('{', '[]', 'null', '{"refundId":1}', '{"__proto__":{"admin":true}}', '\u0000\u0001', '<xml/>'),
    fc.json({ maxDepth: 3 }),
    huge(10_000, 300_000),
  );
  const junkHeaders = fc.option(
    fc.record(
      {
        'content-type': fc.constantFrom(
          'application/json',
          'text/plain',
          'multipart/form-data; boundary=x',
          'application/x-www-form-urlencoded',
          '*/*',
        ),
        'x-forwarded-for': fc.constantFrom('1.2.3.4', 'garbage', '::1, 10.0.0.1', ''),
        accept: fc.constantFrom('text/x-component', '*/*', 'application/json'),
      },
      { requiredKeys: [] },
    ),
    { nil: undefined },
  );
  return {
    'app/api/refunds/[refundId]/status/route.ts': {
      cases: fc.oneof(
        fc
          .tuple(
            fc.oneof(
              notUuid.filter((s) => s.trim() !== '' && !s.includes('/')),
              fc.uuid({ version: [4] }),
              fc.constantFrom(f.orderId, ...f.sessionIds.slice(0, 2)),
            ),
            anyone,
          )
          .map(([id, who]) => ({
            who,
            method: 'GET',
            path: `/api/refunds/${encodeURIComponent(id)}/status`,
            family: 'bad or unknown id',
          })),
        fc.tuple(otherMethods, fc.constantFrom(...f.anyRefundIds), signedIn, junkBody).map(([method, id, who, body]) => ({
          who,
          method,
          path: `/api/refunds/${id}/status`,
          body,
          family: 'method not allowed',
        })),
      ),
    },
    'app/api/refunds/export/route.ts': {
      cases: fc.oneof(
        fc
          .tuple(
            badQuery({
              from: badDay,
              to: badDay,
              status: fc.oneof(
                fc.constantFrom('bogus', 'SUCCEEDED', 'succeeded,nope'),
                fc
                  .array(fc.constantFrom('nope', 'x'), { minLength: 1, maxLength: 3 })
                  .map((list) => list.map((v): [string, string] => ['status', v])),
              ),
              provider: fc.constantFrom('paypal', 'FORAGE', 'x'),
              agent: notUuid.filter((s) => s.trim() !== '' && s.length < 5000),
              reason: fc.constantFrom('whim', 'DAMAGED'),
              min: badAmount,
              max: badAmount,
              currency: fc.constantFrom('EUR', 'XXX', 'usdd'),
              sort: fc.constantFrom('amount; drop table refunds', 'random', '-'),
              cursor: huge(501, 3000),
              order: huge(101, 3000),
              range: fc.constant<[string, string][]>([
                ['min', '10'],
                ['max', '1'],
              ]),
            }),
            fc.constantFrom<Who>('manager', 'auditor', 'admin'),
          )
          .map(([q, who]) => ({ who, method: 'GET', path: `/api/refunds/export?${q}`, family: 'bad filter' })),
        fc
          .tuple(fc.option(queryJunk, { nil: undefined }), fc.constantFrom<Who>('anon', 'forged', 'agent', 'agent2'))
          .map(([junk, who]) => ({
            who,
            method: 'GET',
            path: `/api/refunds/export?${query(Object.entries(junk ?? {}))}`,
            family: 'no permission',
          })),
        fc
          .tuple(otherMethods, signedIn, junkBody)
          .map(([method, who, body]) => ({ who, method, path: '/api/refunds/export', body, family: 'method not allowed' })),
      ),
    },
    'app/api/audit/export/route.ts': {
      cases: fc.oneof(
        fc
          .tuple(
            badQuery({
              actor: huge(255, 3000),
              action: fc.constantFrom('bad action!', 'refund..', '*', '.refund', "x'; --"),
              entityType: fc.constantFrom('a b', 'refund.x', '%', 'é'),
              entityId: huge(201, 3000),
              from: badDay,
              to: badDay,
              outcome: fc.constantFrom('maybe', 'SUCCESS', 'fail'),
              before: fc.constantFrom('0', '-1', 'abc', '1.5', '9999999999999999', '01'),
              repeated: fc.constantFrom('action', 'actor', 'outcome').map((k): [string, string][] => [
                [k, 'a'],
                [k, 'b'],
              ]),
              range: fc.constant<[string, string][]>([
                ['from', '2026-02-01'],
                ['to', '2026-01-01'],
              ]),
            }),
            fc.constantFrom<Who>('auditor', 'admin'),
          )
          .map(([q, who]) => ({ who, method: 'GET', path: `/api/audit/export?${q}`, family: 'bad filter' })),
        fc
          .tuple(fc.option(queryJunk, { nil: undefined }), fc.constantFrom<Who>('anon', 'forged', 'agent', 'agent2', 'manager'))
          .map(([junk, who]) => ({
            who,
            method: 'GET',
            path: `/api/audit/export?${query(Object.entries(junk ?? {}))}`,
            family: 'no permission',
          })),
        fc
          .tuple(otherMethods, signedIn, junkBody)
          .map(([method, who, body]) => ({ who, method, path: '/api/audit/export', body, family: 'method not allowed' })),
      ),
    },
    'app/api/audit/events/[seq]/route.ts': {
      cases: fc.oneof(
        // Not an event number (400), or a number no event has (404): either way nothing is read or written.
        fc
          .tuple(
            fc.oneof(
              fc.constantFrom('0', '-1', '1.5', '0x1', '1e0', '+1', '01', 'abc', '9999999999999999999', '999999999'),
              notUuid.filter((s) => s.trim() !== '' && !s.includes('/') && !/^[1-9]\d*$/.test(s)),
              huge(100, 3000),
            ),
            fc.constantFrom<Who>('auditor', 'admin'),
          )
          .map(([seq, who]) => ({
            who,
            method: 'GET',
            path: `/api/audit/events/${encodeURIComponent(seq)}`,
            family: 'bad or unknown id',
          })),
        fc
          .tuple(fc.integer({ min: 1, max: 5 }), fc.constantFrom<Who>('anon', 'forged', 'agent', 'agent2', 'manager'))
          .map(([seq, who]) => ({ who, method: 'GET', path: `/api/audit/events/${seq}`, family: 'no permission' })),
        fc.tuple(otherMethods, fc.integer({ min: 1, max: 5 }), signedIn, junkBody).map(([method, seq, who, body]) => ({
          who,
          method,
          path: `/api/audit/events/${seq}`,
          body,
          family: 'method not allowed',
        })),
      ),
    },
    'app/api/health/route.ts': {
      // Public and input-free: junk must not change its answer into an error or a write.
      cases: fc.oneof(
        fc.tuple(fc.option(queryJunk, { nil: undefined }), anyone, junkHeaders).map(([junk, who, headers]) => ({
          who,
          method: 'GET',
          path: `/api/health?${query(Object.entries(junk ?? {}))}`,
          headers,
          family: 'junk query',
        })),
        fc
          .tuple(otherMethods, anyone, junkBody)
          .map(([method, who, body]) => ({ who, method, path: '/api/health', body, family: 'method not allowed' })),
      ),
    },
    // Liveness and readiness: public, input-free, like /api/health (its alias).
    ...Object.fromEntries(
      (['live', 'ready'] as const).map((probe) => [
        `app/api/health/${probe}/route.ts`,
        {
          cases: fc.oneof(
            fc.tuple(fc.option(queryJunk, { nil: undefined }), anyone, junkHeaders).map(([junk, who, headers]) => ({
              who,
              method: 'GET',
              path: `/api/health/${probe}?${query(Object.entries(junk ?? {}))}`,
              headers,
              family: 'junk query',
            })),
            fc
              .tuple(otherMethods, anyone, junkBody)
              .map(([method, who, body]) => ({ who, method, path: `/api/health/${probe}`, body, family: 'method not allowed' })),
          ),
        },
      ]),
    ),
    'app/api/metrics/route.ts': {
      // Behind METRICS_TOKEN (set for this server): a missing, malformed or wrong bearer token, or
      // the real one in the query string (never read there), is a 401/403 with a JSON error.
      cases: fc.oneof(
        fc
          .tuple(
            anyone,
            fc.oneof(
              fc.constant(undefined),
              fc.string({ maxLength: 200 }).map((junk) => `Bearer ${junk}`),
              fc.constantFrom('Bearer', 'Basic dXNlcjpwYXNz', `bearer ${METRICS_TOKEN}x`, `Bearer ${METRICS_TOKEN.slice(1)}`),
              fc.string({ minLength: 20_000, maxLength: 40_000 }).map((huge) => `Bearer ${huge}`),
            ),
            fc.boolean(),
          )
          .map(([who, authorization, tokenInQuery]) => ({
            who,
            method: 'GET',
            path: tokenInQuery ? `/api/metrics?token=${METRICS_TOKEN}&access_token=${METRICS_TOKEN}` : '/api/metrics',
            headers: authorization === undefined ? undefined : { authorization },
            family: 'bad token',
          })),
        fc
          .tuple(otherMethods, anyone, junkBody)
          .map(([method, who, body]) => ({ who, method, path: '/api/metrics', body, family: 'method not allowed' })),
      ),
    },
    'app/api/testing/expire-approvals/route.ts': {
      cases: fc.oneof(
        fc
          .tuple(
            fc.oneof(
              junkBody,
              fc
                .record({
                  refundId: fc.oneof(notUuid, fc.uuid({ version: [4] })),
                  asOf: fc.oneof(fc.constantFrom('tomorrow', '', '2026-13-01T00:00:00Z'), wrongType),
                })
                .map((v) => JSON.stringify(v, (_key, x: unknown) => (typeof x === 'bigint' ? Number(x) : x))),
            ),
            anyone,
            junkHeaders,
          )
          .map(([body, who, headers]) => ({
            who,
            method: 'POST',
            path: '/api/testing/expire-approvals',
            body,
            headers,
            family: 'junk body',
          })),
        fc.tuple(fc.constantFrom(...f.anyRefundIds), signedIn).map(([refundId, who]) => ({
          who,
          method: 'POST',
          path: '/api/testing/expire-approvals',
          body: JSON.stringify({ refundId, asOf: '2099-01-01T00:00:00Z' }),
          foreignOrigin: true,
          family: 'foreign origin',
        })),
        fc
          .tuple(fc.constantFrom('GET', 'PUT', 'DELETE'), signedIn)
          .map(([method, who]) => ({ who, method, path: '/api/testing/expire-approvals', family: 'method not allowed' })),
      ),
    },
    'app/api/webhooks/[provider]/route.ts': {
      // Webhooks have their own part (signatures, replays); here only: junk is refused, never a 5xx.
      cases: fc
        .tuple(
          fc.constantFrom('forage', 'frontpayment', 'stripe', 'FORAGE', '..%2f..%2fapi', 'x'.repeat(300)),
          fc.constantFrom('GET', 'POST'),
          fc.option(queryJunk, { nil: undefined }),
          fc.option(
            fc.oneof(
              junkBody,
              fc.constant(JSON.stringify({ id: 'evt_1', type: 'refund.succeeded', data: { refund_id: 'r' } })),
              huge(64 * 1024 + 1, 300_000),
            ),
            { nil: undefined },
          ),
          fc.option(
            fc.record(
              {
                'content-type': fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded'),
                'forage-signature': fc.constantFrom('t=1,v1=00', 'garbage', ''),
                'x-signature': fc.string({ maxLength: 80 }),
              },
              { requiredKeys: [] },
            ),
            { nil: undefined },
          ),
          fc.constantFrom<Who>('anon', 'forged'),
        )
        .map(([provider, method, junk, body, headers, who]) => ({
          who,
          method,
          path: `/api/webhooks/${provider}?${query(Object.entries(junk ?? {}))}`,
          body: method === 'POST' ? body : undefined,
          headers,
          family: 'junk delivery',
        })),
    },
    'app/api/auth/[...nextauth]/route.ts': {
      anyNon5xx: true,
      cases: fc
        .tuple(
          fc.constantFrom(
            'session',
            'csrf',
            'providers',
            'signin',
            'signout',
            'callback/credentials',
            'callback/oidc',
            'error',
            'signin/oidc',
            'nope',
            'callback/%00',
            'x'.repeat(500),
          ),
          fc.constantFrom('GET', 'POST'),
          fc.option(queryJunk, { nil: undefined }),
          fc.option(
            fc.oneof(junkBody, fc.constantFrom('csrfToken=abc&email=a@b.c&password=x', 'callbackUrl=https://evil.test')),
            { nil: undefined },
          ),
          junkHeaders,
          anyone,
        )
        .map(([action, method, junk, body, headers, who]) => ({
          who,
          method,
          path: `/api/auth/${action}?${query(Object.entries(junk ?? {}))}`,
          body: method === 'POST' ? body : undefined,
          headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
          family: 'junk to Auth.js',
        })),
    },
  };
}

// ─── checks ────────────────────────────────────────────────────────────────────────────────────

const truncate = (text: string, max = 400) => (text.length > max ? `${text.slice(0, max)}… (${text.length} chars)` : text);

/** A short, exact-enough description of an input for a failure report. */
export function describeInput(value: unknown): string {
  const seen = new WeakSet();
  const replacer = (_key: string, v: unknown): unknown => {
    if (typeof v === 'bigint') return `${v}n`;
    if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
    if (typeof v === 'string' && v.length > 80) return `${v.slice(0, 40)}…<${v.length} chars>`;
    if (v instanceof FormData) return { FormData: Object.fromEntries([...v.entries()].map(([k, x]) => [k, replacer('', x)])) };
    if (typeof v === 'object' && v !== null) {
      if (seen.has(v)) return '[circular]';
      seen.add(v);
    }
    return v === undefined ? '[undefined]' : v;
  };
  try {
    return truncate(JSON.stringify(value, replacer) ?? String(value), 600);
  } catch {
    return truncate(String(value), 600);
  }
}

/**
 * An action result whose long strings React streamed as text rows (`2:T<byte length in hex>,…`,
 * with no newline after them; here the sign-in form's email given back), which app-client's
 * line-by-line reader misses: the rows read by their lengths, the result row with each `$<row>`
 * reference as a placeholder. Enough to see `ok`, `error` and `code`.
 */
function resultWithTextRows(raw: string | null): unknown {
  if (!raw) return null;
  const bytes = Buffer.from(raw, 'utf8');
  const rows = new Map<string, string>();
  for (let i = 0; i < bytes.length;) {
    const colon = bytes.indexOf(0x3a, i);
    if (colon < 0) break;
    const id = bytes.subarray(i, colon).toString();
    if (bytes[colon + 1] === 0x54) {
      const comma = bytes.indexOf(0x2c, colon + 2);
      const length = parseInt(bytes.subarray(colon + 2, comma).toString(), 16);
      rows.set(id, bytes.subarray(comma + 1, comma + 1 + length).toString());
      i = comma + 1 + length;
    } else {
      const end = bytes.indexOf(0x0a, colon) < 0 ? bytes.length : bytes.indexOf(0x0a, colon);
      rows.set(id, bytes.subarray(colon + 1, end).toString());
      i = end + 1;
    }
  }
  try {
    const ref = /^"?\$@([0-9a-f]+)"?$/.exec(String((JSON.parse(rows.get('0') ?? 'null') as { a?: unknown } | null)?.a))?.[1];
    if (!ref) return null;
    return JSON.parse(rows.get(ref) ?? 'null', (_key, value: unknown) =>
      typeof value === 'string' && /^\$[0-9a-f]+$/.test(value) ? '[text row]' : value,
    );
  } catch {
    return null;
  }
}

const isSignInRedirect = (location: string | null) => !!location && /\/(?:api\/auth\/)?signin(?:[?/]|$)/.test(location);

/** What is wrong with an action's answer to a bad input, or null when it is a clear refusal. */
function judgeAction(answer: ActionAnswer<unknown>, who: Who, key: string): string | null {
  if (answer.status >= 500) return `answered ${answer.status}`;
  const value = (answer.value ?? resultWithTextRows(answer.raw)) as { ok?: unknown; error?: unknown; code?: unknown } | null;
  if (value && typeof value === 'object') {
    if (value.ok !== false) return `accepted it: ${truncate(JSON.stringify(value), 200)}`;
    if (typeof value.error !== 'string' || value.error.trim().length < 8)
      return `no readable error: ${truncate(JSON.stringify(value), 200)}`;
    if (typeof value.code !== 'string' || value.code === '') return 'no error code';
    if (value.code === 'internal') return `an internal error (a 500 in disguise): ${value.error}`;
    return null;
  }
  // Signed-out callers are sent to the sign-in page by the proxy; sign-out and the OIDC form end there.
  const redirects = who === 'anon' || who === 'forged' || key.endsWith('#signOutAction') || key.includes('$$RSC_SERVER_ACTION');
  if (redirects && isSignInRedirect(answer.redirect)) return null;
  if (answer.status >= 400 && answer.status < 500) return null;
  return `no action result (${answer.status}, redirect ${answer.redirect ?? 'none'}): ${truncate(answer.raw ?? '', 200)}`;
}

function judgeRoute(
  status: number,
  type: string,
  body: string,
  location: string | null,
  c: RouteCase,
  spec: RouteSpec,
): string | null {
  if (status >= 500) return `answered ${status}: ${truncate(body, 200)}`;
  if (spec.anyNon5xx) return null;
  // Node's own refusals of a query string or headers past its 16 KB limit: clear by themselves.
  if (status === 431 || status === 414) return null;
  if (c.path.startsWith('/api/health') && c.method === 'GET') return status === 200 ? null : `health answered ${status}`;
  if (status >= 300 && status < 400) {
    return (c.who === 'anon' || c.who === 'forged') && isSignInRedirect(location) ? null : `redirected to ${location}`;
  }
  if (status < 400) return `accepted it (${status}): ${truncate(body, 200)}`;
  // Next.js answers a method no handler exports with an empty 405: a clear refusal by itself.
  if (status === 405) return null;
  if (!type.includes('json')) return `a ${status} without a JSON error (${type}): ${truncate(body, 120)}`;
  try {
    const parsed = JSON.parse(body) as { error?: unknown };
    if (typeof parsed.error !== 'string' || parsed.error === '')
      return `a ${status} whose JSON has no error: ${truncate(body, 120)}`;
  } catch {
    return `a ${status} with unreadable JSON: ${truncate(body, 120)}`;
  }
  return null;
}

// ─── the database's state ──────────────────────────────────────────────────────────────────────

/** Tables whose every row must be unchanged by a refused request. */
const FROZEN_TABLES = [
  'approvals',
  'jobs',
  'order_lines',
  'order_payments',
  'orders',
  'provider_checks',
  'provider_refunds',
  'refund_limits',
  'refund_lines',
  'refunds',
  'settings',
  'submissions',
  'users',
  'webhook_events',
] as const;

interface DbState {
  digests: Record<string, string>;
  auditSeq: number;
}

async function dbState(sql: postgres.Sql): Promise<DbState> {
  const parts = [
    ...FROZEN_TABLES.map(
      (t) => `select '${t}' as name, md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as digest from ${t} t`,
    ),
    // last_seen_at moves on every signed-in request (the idle timeout): everything else may not.
    `select 'sessions', md5(coalesce(string_agg(concat_ws(',', sid, user_id, expires_at, ended_at, end_reason, one_time), '|' order by sid), '')) from sessions`,
  ];
  const rows = await sql.unsafe<{ name: string; digest: string }[]>(parts.join(' union all '));
  const [head] = await sql<{ seq: string }[]>`select coalesce(max(seq), 0)::text as seq from audit_events`;
  return { digests: Object.fromEntries(rows.map((r) => [r.name, r.digest])), auditSeq: Number(head!.seq) };
}

async function writesBetween(sql: postgres.Sql, before: DbState, after: DbState): Promise<string[]> {
  const changed = Object.keys(before.digests).filter((name) => before.digests[name] !== after.digests[name]);
  const out = changed.map((name) => `${name} changed`);
  if (after.auditSeq > before.auditSeq) {
    const events = await sql<{ action: string; n: number }[]>`
      select action, count(*)::int as n from audit_events where seq > ${before.auditSeq} and action <> 'access.denied' group by action`;
    for (const e of events) out.push(`audit event ${e.action} ×${e.n}`);
  }
  return out;
}

// ─── fixtures, sessions, the run ───────────────────────────────────────────────────────────────

async function loadFixtures(sql: postgres.Sql): Promise<Fixtures> {
  const users = Object.fromEntries(
    (await sql<{ email: string; id: string }[]>`select email, id from users`).map((u) => [u.email.split('@')[0], u.id]),
  ) as Fixtures['users'];
  const [order] = await sql<{ id: string }[]>`
    select o.id from orders o join order_lines l on l.order_id = o.id group by o.id order by count(*) desc, o.id limit 1`;
  const lines = await sql<{ id: string }[]>`select id from order_lines where order_id = ${order!.id} order by id`;
  const refunds = await sql<{ id: string; requested_by: string }[]>`select id, requested_by from refunds order by id`;
  const [limit] = await sql<{ id: string }[]>`select id from refund_limits where user_id is null order by id limit 1`;
  const sessions = await sql<{ sid: string }[]>`select sid from sessions order by sid`;
  if (!order || !lines.length || !refunds.length || !limit || !sessions.length)
    throw new Error('the demo seed lacks what the input part needs');
  return {
    users,
    orderId: order.id,
    orderLineIds: lines.map((l) => l.id),
    othersRefundIds: refunds.filter((r) => r.requested_by !== users.agent).map((r) => r.id),
    managersRefundIds: refunds.filter((r) => r.requested_by === users.manager).map((r) => r.id),
    anyRefundIds: refunds.map((r) => r.id),
    defaultLimitId: limit.id,
    sessionIds: sessions.map((s) => s.sid),
    existingEmail: 'agent2@refund-desk.test',
  };
}

/** A seed per endpoint from the run's seed and its name, so adding an endpoint moves no other. */
function endpointSeed(seed: number, key: string) {
  return createHash('sha256').update(`${seed}:${key}`).digest().readInt32LE(0);
}

/** Raw request for what AppSession.request fixes (the Origin header). */
/** Node's default `--max-http-header-size`: the request line and headers together. */
const NODE_MAX_HEADER_BYTES = 16 * 1024;
/** How undici reports a connection the server closed under it. */
const CLOSED = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET']);

/** The request line and the case's own headers, in bytes: a floor for what the server reads as its head. */
function requestHeadBytes(c: RouteCase): number {
  const line = `${c.method} ${c.path} HTTP/1.1\r\n`;
  const headers = Object.entries(c.headers ?? {})
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('');
  return Buffer.byteLength(line + headers);
}

async function rawRequest(session: AppSession, c: RouteCase): Promise<Response> {
  const headers = new Headers(c.headers);
  if (!c.foreignOrigin) return session.request(c.path, { method: c.method, headers, body: c.body });
  if (session.cookies.size > 0) headers.set('cookie', [...session.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
  headers.set('origin', 'https://evil.test');
  return fetch(`${session.baseUrl}${c.path}`, { method: c.method, headers, body: c.body, redirect: 'manual' });
}

export const part: Part = {
  name: 'input',
  title: 'Bad input: every server action and route handler, malformed and wrong-actor input',
  needsBuild: true,
  async run({ size, seed, log }: PartContext) {
    const perEndpoint = size === 'full' ? 200 : 12;
    const only = process.env.PROVE_INPUT_ENDPOINT;
    const failures: Failure[] = [];
    const distDir = proveBuildDir();
    if (!distDir) throw new Error('no production build with a server-reference manifest (.next-e2e): npm test makes it');

    const dataset = proveDataset(1);
    const sandbox = await startSandboxProcess({ dataset });
    const pg = await freshPostgres(4);
    let app: Awaited<ReturnType<typeof startAppServer>> | null = null;
    try {
      await seedDemo(pg.db, { dataset });
      // The hook route answers 404 unless the server runs with it on: on, so its input is checked too.
      app = await startAppServer('input-app', distDir, {
        ...appEnv(pg.url, sandbox.url),
        JOBS_WORKER: 'off',
        E2E_TEST_HOOKS: '1',
        METRICS_TOKEN,
      });
      const actions = serverActions(distDir);

      // Coverage: the build's actions against the source's, and each against a generator.
      const surface = discoverServerSurface();
      const sourceActionFiles = new Set([...surface.useServerModules, ...surface.inlineServerActions.map((a) => a.file)]);
      const buildActionFiles = new Set([...actions.values()].map((a) => a.file));
      for (const file of sourceActionFiles) {
        if (!buildActionFiles.has(file))
          failures.push({ what: `${file} declares server actions the build does not have (stale build?)`, seed });
      }
      for (const file of buildActionFiles) {
        if (!sourceActionFiles.has(file))
          failures.push({ what: `the build has server actions from ${file}, which the source does not declare`, seed });
      }

      const sessions = {} as Record<Who, AppSession>;
      for (const who of ALL_WHO) sessions[who] = new AppSession(app.url, actions);
      for (const who of SIGNED_IN) await sessions[who].signIn(`${who}@refund-desk.test`, DEMO_PASSWORD);
      // A session cookie that was never issued: it must read as signed out, not as an error.
      const cookieName = [...sessions.agent.cookies.keys()].find((k) => k.includes('session-token'))!;
      sessions.forged.cookies.set(cookieName, `eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0.${randomUUID()}.forged`);

      const fixtures = await loadFixtures(pg.superuser);
      const specs = actionSpecs(fixtures);
      const routes = routeSpecs(fixtures);
      for (const key of actions.keys()) {
        if (!specs[key]) failures.push({ what: `server action ${key} has no bad-input generator in prove/parts/input.ts`, seed });
      }
      for (const key of Object.keys(specs)) {
        if (!actions.has(key)) failures.push({ what: `generator for ${key}, which the build does not have`, seed });
      }
      for (const file of surface.routeFiles) {
        if (!routes[file])
          failures.push({ what: `route handler ${file} has no bad-input generator in prove/parts/input.ts`, seed });
      }

      let cases = 0;
      // The state after one case is the state before the next: nothing else writes (no worker).
      let state: DbState | null = null;
      const families = new Map<string, number>();
      const perEndpointCounts: Record<string, number> = {};
      const record = (key: string, family: string) => {
        cases += 1;
        families.set(family, (families.get(family) ?? 0) + 1);
        perEndpointCounts[key] = (perEndpointCounts[key] ?? 0) + 1;
      };
      const fail = (key: string, index: number, who: Who, problem: string, input: string, answer: string) =>
        failures.push({
          what: `${key} as ${who}: ${problem}`,
          seed,
          steps: [
            `case ${index} of ${key} (rerun just it: PROVE_INPUT_ENDPOINT='${key}')`,
            `input: ${input}`,
            `answer: ${truncate(answer, 300)}`,
          ],
        });

      for (const [key, spec] of Object.entries(specs)) {
        if (!actions.has(key) || (only && !key.includes(only))) continue;
        const samples = fc.sample(actionCases(spec), { seed: endpointSeed(seed, key), numRuns: perEndpoint });
        const started = Date.now();
        for (const [index, c] of samples.entries()) {
          const before = (state ??= await dbState(pg.superuser));
          let answer: ActionAnswer<unknown>;
          try {
            answer = await sessions[c.who].action(key, plain(c.args) as unknown[]);
          } catch (error) {
            fail(
              key,
              index,
              c.who,
              `the call failed: ${error instanceof Error ? error.message : String(error)}`,
              describeInput(c.args),
              '',
            );
            state = null;
            continue;
          }
          record(key, `action: ${c.family.replace(/^bad .*/, 'bad field').replace(/^form data, .*/, 'form data')}`);
          const problem = judgeAction(answer, c.who, key);
          state = await dbState(pg.superuser);
          const writes = await writesBetween(pg.superuser, before, state);
          const shown = `${answer.status} ${answer.value ? JSON.stringify(answer.value) : (answer.redirect ?? answer.raw ?? '')}`;
          if (problem) fail(key, index, c.who, `${c.family}: ${problem}`, describeInput(c.args), shown);
          if (writes.length) fail(key, index, c.who, `${c.family}: wrote ${writes.join(', ')}`, describeInput(c.args), shown);
        }
        log(`${key}: ${perEndpointCounts[key] ?? 0} cases, ${((Date.now() - started) / 1000).toFixed(1)} s`);
      }

      for (const [key, spec] of Object.entries(routes)) {
        if (only && !key.includes(only)) continue;
        const samples = fc.sample(spec.cases, { seed: endpointSeed(seed, key), numRuns: perEndpoint });
        const started = Date.now();
        for (const [index, c] of samples.entries()) {
          const before = (state ??= await dbState(pg.superuser));
          const input = `${c.method} ${truncate(c.path, 300)}${c.body !== undefined ? ` body ${describeInput(c.body)}` : ''}${c.headers ? ` headers ${JSON.stringify(c.headers)}` : ''}${c.foreignOrigin ? ' (foreign Origin)' : ''}`;
          let response: Response;
          let body: string;
          try {
            response = await rawRequest(sessions[c.who], c);
            body = await response.text();
          } catch (error) {
            // Node's fetch reads at most 16 KB of answer headers; a browser reads far more. The
            // proxy's redirect to sign-in carries a huge URL back in Location: an answer, not a 5xx.
            const code = (error as { cause?: { code?: string } }).cause?.code;
            if (code === 'UND_ERR_HEADERS_OVERFLOW') {
              record(key, 'route: answer headers past fetch’s 16 KB (a redirect carrying the URL)');
              state = null;
              continue;
            }
            // Node answers a request head past its 16 KB with 431 and closes the connection at
            // once; a client still sending a body may see only the reset. A refusal all the same,
            // so long as it wrote nothing (checked below as for any answer).
            if (c.body !== undefined && requestHeadBytes(c) > NODE_MAX_HEADER_BYTES && code && CLOSED.has(code)) {
              record(key, 'route: request head past the server’s 16 KB, closed while the body was sent');
              state = await dbState(pg.superuser);
              const writes = await writesBetween(pg.superuser, before, state);
              if (writes.length) fail(key, index, c.who, `${c.family}: wrote ${writes.join(', ')}`, input, `closed (${code})`);
              continue;
            }
            const why = `${error instanceof Error ? error.message : String(error)}${code ? ` (${code})` : ''}`;
            fail(key, index, c.who, `the request failed: ${why}`, input, '');
            state = null;
            continue;
          }
          record(key, `route: ${c.family}`);
          const type = response.headers.get('content-type') ?? '';
          const problem = judgeRoute(response.status, type, body, response.headers.get('location'), c, spec);
          state = await dbState(pg.superuser);
          const writes = await writesBetween(pg.superuser, before, state);
          const shown = `${response.status} ${response.headers.get('location') ?? ''} ${body}`;
          if (problem) fail(key, index, c.who, `${c.family}: ${problem}`, input, shown);
          if (writes.length) fail(key, index, c.who, `${c.family}: wrote ${writes.join(', ')}`, input, shown);
        }
        log(`${key}: ${perEndpointCounts[key] ?? 0} cases, ${((Date.now() - started) / 1000).toFixed(1)} s`);
      }

      // Sign-out from a real session with a bad scope: it signs out (by design, so this block's
      // writes are not checked), this session only, whatever the scope holds; never a 5xx.
      const signOutKey = 'lib/auth/actions.ts#signOutAction';
      if (!only || signOutKey.includes(only)) {
        const keeper = new AppSession(app.url, actions);
        await keeper.signIn('manager2@refund-desk.test', DEMO_PASSWORD);
        const scopes = fc.sample(
          fc.oneof(
            fc.oneof(fc.string({ maxLength: 20 }), wrongType).map((scope) => [plain({ scope })]),
            fc.oneof(fc.string({ maxLength: 20 }), wrongType).map((scope) => [toFormData({ scope: scope as string })]),
            notAnInput.filter((args) => JSON.stringify(args, (_k, v: unknown) => (typeof v === 'bigint' ? 0 : v)).length < 1000),
          ),
          { seed: endpointSeed(seed, `${signOutKey}#signed-in`), numRuns: size === 'full' ? 6 : 2 },
        );
        for (const [index, args] of scopes.entries()) {
          const session = new AppSession(app.url, actions);
          await session.signIn('manager2@refund-desk.test', DEMO_PASSWORD);
          const answer = await session.action(signOutKey, plain(args) as unknown[], { page: '/orders' });
          record(signOutKey, 'action: bad scope, signed in');
          const ended = !(await (await session.request('/api/auth/session')).text()).includes('manager2@');
          const keeperAlive = (await (await keeper.request('/api/auth/session')).text()).includes('manager2@');
          const problem =
            answer.status >= 500
              ? `answered ${answer.status}`
              : !keeperAlive
                ? 'a bad scope ended another session of the user'
                : !ended
                  ? 'did not sign out'
                  : null;
          if (problem) {
            fail(
              signOutKey,
              index,
              'manager',
              `signed in, bad scope: ${problem}`,
              describeInput(args),
              `${answer.status} ${answer.redirect ?? answer.raw ?? ''}`,
            );
          }
        }
        state = null;
      }

      // The sessions used must still be alive: a bad input must not have signed anyone out.
      for (const who of SIGNED_IN) {
        const response = await sessions[who].request('/api/auth/session');
        const text = await response.text();
        if (!text.includes(`${who}@refund-desk.test`)) failures.push({ what: `${who}'s session ended during the run`, seed });
      }
      const errorLines = app.lines.filter((line) => /"level":(?:50|60)|\bError:/.test(line));
      const serverErrors = errorLines.length;
      // Shown, not failed: a refusal may log at error level on purpose; a reader judges them here.
      // One line per kind (the message without its variable tail), with how often it came.
      const kinds = new Map<string, number>();
      for (const line of errorLines) {
        const message = /"(?:msg|message)":"([^"]{0,120})/.exec(line)?.[1] ?? truncate(line, 120);
        const kind = message.replace(/\b(during an action) \w+/, '$1 …');
        kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
      }
      for (const [kind, n] of kinds) log(`server error lines × ${n}: ${kind}`);
      log(
        `${actions.size} actions + ${surface.routeFiles.length} route handlers, ${perEndpoint} cases each; ${serverErrors} error lines in the server log`,
      );
      for (const [family, n] of [...families].sort()) log(`  ${family}: ${n}`);
      // Every failure, grouped, with the first input of each group (the runner prints ten).
      const byProblem = new Map<string, { n: number; first: Failure }>();
      for (const failure of failures) {
        const head = failure.what.replace(/ as \w+:/, ':').replace(/: (answered \d+|accepted it|wrote [^:]+).*$/s, ': $1');
        const group = byProblem.get(head);
        if (group) group.n += 1;
        else byProblem.set(head, { n: 1, first: failure });
      }
      for (const [head, { n, first }] of byProblem) {
        log(`✖ ${n} × ${truncate(head, 200)}`);
        for (const step of first.steps ?? []) log(`    ${truncate(step, 300)}`);
      }
      return {
        cases,
        unit: 'inputs',
        failures,
        figures: {
          endpoints: `${actions.size} actions + ${surface.routeFiles.length} routes`,
          'cases per endpoint': perEndpoint,
          'server error log lines': serverErrors,
        },
      };
    } finally {
      await app?.stop();
      await sandbox.stop();
      await pg.close();
    }
  },
};
