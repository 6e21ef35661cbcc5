import { describe, expect, it } from 'vitest';
import { auditQuery, DATE_RANGE_MESSAGE, isAuditFiltered, parseAuditSearch, rawAuditValues } from './filters-schema';
import { auditWords, filterErrorInWords } from './words';
import { auditRecordLink } from './links';

const REFUND = '11111111-2222-4333-8444-555555555555';
const ORDER = '33333333-4444-4555-8666-777777777777';
const USER = '6f1c2b8e-3d4a-4b5c-8d6e-7f8091a2b3c4';

describe('audit log URL state', () => {
  it('parses every filter and the cursor, trimming and dropping empty values', () => {
    expect(
      parseAuditSearch({
        actor: ` ${USER.toUpperCase()} `,
        action: 'refund.',
        entityType: 'refund',
        entityId: ` ${REFUND} `,
        from: '2026-03-01',
        to: '2026-03-01',
        outcome: 'failure',
        before: '120',
        unknown: 'ignored',
      }),
    ).toEqual({
      ok: true,
      filter: {
        actor: USER,
        action: 'refund.',
        entityType: 'refund',
        entityId: REFUND,
        from: '2026-03-01',
        to: '2026-03-01',
        outcome: 'failure',
      },
      before: 120,
    });
    expect(parseAuditSearch({ actor: '', action: '  ', outcome: '', before: '' })).toEqual({
      ok: true,
      filter: {},
      before: undefined,
    });
  });

  it.each([
    ['an unknown outcome', { outcome: 'maybe' }, 'outcome', /success or failure/],
    ['a day that does not exist', { from: '2026-02-30' }, 'from', /2026-01-31/],
    ['a date in another format', { to: '03/01/2026' }, 'to', /2026-01-31/],
    ['an end before the start', { from: '2026-03-02', to: '2026-03-01' }, 'to', new RegExp(DATE_RANGE_MESSAGE)],
    ['an action with spaces or SQL', { action: "refund'; drop" }, 'action', /refund\.approved/],
    ['a repeated key', { action: ['refund.approved', 'refund.rejected'] }, 'action', /one action/],
    ['a cursor that is not a seq', { before: 'abc' }, 'before', /page link/],
    ['a zero cursor', { before: '0' }, 'before', /page link/],
    ['an overlong record id', { entityId: 'x'.repeat(201) }, 'entityId', /200/],
    // Links from before "who" was a list searched part of an email: refused, not widened to everyone.
    [
      'part of an email (an old link)',
      { actor: 'alice@' },
      'actor',
      /Pick who from the list.*no longer searched by part of an email/,
    ],
    ['a bare provider name (an old link)', { actor: 'forage' }, 'actor', /Pick who from the list/],
    ['a provider that is not an actor id', { actor: 'provider:Forage Inc' }, 'actor', /Pick who from the list/],
    ['a repeated actor', { actor: [USER, 'system'] }, 'actor', /one actor/],
  ] as const)('refuses %s with a message for that field', (_label, raw, field, message) => {
    const parsed = parseAuditSearch(raw as Record<string, string | string[]>);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(Object.keys(parsed.fieldErrors)).toEqual([field]);
    expect(parsed.fieldErrors[field]![0]).toMatch(message);
  });

  it.each([
    ['a person, by user id in any case', USER.toUpperCase(), USER],
    ['the system', ' System ', 'system'],
    ['a provider', 'provider:forage', 'provider:forage'],
    ['a sign-in attempt with no account', 'no-account', 'no-account'],
  ])('takes %s as who', (_label, actor, parsed) => {
    expect(parseAuditSearch({ actor })).toEqual({ ok: true, filter: { actor: parsed }, before: undefined });
  });

  it('keeps what was typed for the form after an error', () => {
    expect(rawAuditValues({ actor: 'bob', from: '2026-02-30', action: ['a', 'b'], junk: 'x' })).toEqual({
      actor: 'bob',
      from: '2026-02-30',
      action: 'a',
    });
  });

  it('writes the filter back to a query string that parses to the same filter', () => {
    const filter = {
      actor: USER,
      action: 'refund.',
      entityType: 'refund',
      entityId: REFUND,
      from: '2026-03-01',
      to: '2026-03-02',
    };
    const query = auditQuery(filter, 42);
    expect(query.toString()).toBe(
      `actor=${USER}&action=refund.&entityType=refund&entityId=${REFUND}&from=2026-03-01&to=2026-03-02&before=42`,
    );
    expect(parseAuditSearch(Object.fromEntries(query))).toEqual({ ok: true, filter, before: 42 });
    expect(auditQuery({}).toString()).toBe('');
    expect(isAuditFiltered({})).toBe(false);
    expect(isAuditFiltered({ outcome: 'success' })).toBe(true);
  });
});

describe('auditRecordLink', () => {
  const event = (entityType: string, entityId: string | null, extra: { before?: unknown; after?: unknown } = {}) => ({
    entityType,
    entityId,
    before: extra.before ?? null,
    after: extra.after ?? null,
  });

  it('links refunds and orders to their pages', () => {
    expect(auditRecordLink(event('refund', REFUND))).toEqual({ href: `/refunds/${REFUND}`, kind: 'refund' });
    expect(auditRecordLink(event('order', ORDER))).toEqual({ href: `/orders/${ORDER}`, kind: 'order' });
  });

  it('links a user (a sign-in) to the users screen only for a reader who can open it', () => {
    expect(auditRecordLink(event('user', ORDER), { canOpenUsers: true })).toEqual({ href: '/admin', kind: 'users' });
    expect(auditRecordLink(event('user', ORDER), { canOpenUsers: false })).toBeNull();
    expect(auditRecordLink(event('user', ORDER))).toBeNull();
  });

  it('links an approval (or a webhook) to the refund it names', () => {
    expect(auditRecordLink(event('approval', 'a1', { after: { refundId: REFUND } }))?.href).toBe(`/refunds/${REFUND}`);
    expect(auditRecordLink(event('approval', 'a1', { before: { refundId: REFUND } }))?.href).toBe(`/refunds/${REFUND}`);
    expect(auditRecordLink(event('webhook_event', 'w1', { after: { orderId: ORDER } }))?.href).toBe(`/orders/${ORDER}`);
  });

  it('gives no link where there is no page, or the id is not an id', () => {
    expect(auditRecordLink(event('approval', 'a1'))).toBeNull();
    expect(auditRecordLink(event('route', 'refunds.export'))).toBeNull();
    expect(auditRecordLink(event('audit_log', null))).toBeNull();
    expect(auditRecordLink(event('refund', '../admin'))).toBeNull();
    expect(auditRecordLink(event('refund', 'r1'))).toBeNull();
    expect(auditRecordLink(event('approval', 'a1', { after: { refundId: 'javascript:alert(1)' } }))).toBeNull();
  });
});

describe('filter errors in the reader’s language', () => {
  it.each([
    [{ from: '03/01/2026' }, 'from', 'Bruk en dato som 2026-01-31.'],
    [{ action: ['refund.approved', 'refund.rejected'] }, 'action', 'Oppgi bare én handling.'],
    [{ actor: [USER, 'system'] }, 'actor', 'Oppgi bare én person.'],
    [{ from: '2026-03-02', to: '2026-03-01' }, 'to', 'Sluttdatoen er før startdatoen.'],
    [{ actor: 'alice@' }, 'actor', /^Velg hvem fra listen/],
  ] as const)('%j: the English the export answers with, in Norwegian on the page', (raw, field, norwegian) => {
    const parsed = parseAuditSearch(raw as Record<string, string | string[]>);
    if (parsed.ok) throw new Error('expected an error');
    const english = parsed.fieldErrors[field]![0]!;
    expect(filterErrorInWords(auditWords('en'), english)).toBe(english);
    expect(filterErrorInWords(auditWords('nb'), english)).toMatch(norwegian);
  });
});
