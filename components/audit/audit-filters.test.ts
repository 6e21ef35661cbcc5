import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { AuditFilters } from './audit-filters';

const CAROL = '6f1c2b8e-3d4a-4b5c-8d6e-7f8091a2b3c4';
const DAVE = '0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d';
const actors = {
  people: [
    { id: CAROL, name: 'Carol', email: 'carol@example.com', role: 'auditor' as const, active: true },
    { id: DAVE, name: 'Dave', email: 'dave@example.com', role: 'agent' as const, active: false },
  ],
  others: ['provider:forage', 'system', 'no-account'],
};

function render(props: Partial<Parameters<typeof AuditFilters>[0]> = {}) {
  const html = renderToStaticMarkup(createElement(AuditFilters, { values: {}, actions: [], entityTypes: [], actors, ...props }));
  const select = html.match(/<select[^>]*name="actor"[^>]*>[\s\S]*?<\/select>/)?.[0] ?? '';
  const options = [...select.matchAll(/<option value="([^"]*)"( selected="")?>([^<]*)<\/option>/g)].map((m) => ({
    value: m[1],
    selected: Boolean(m[2]),
    text: m[3],
  }));
  return { html, select, options };
}

// "Who" is picked from a list of people and of the log's actors that are no person (the URL keeps
// `?actor=<user id>`); nothing is typed, so nothing is searched by part of an email.
describe('the audit filter form’s "who"', () => {
  it('offers anyone, every person (deactivated ones marked) and each actor that is no person, in words', () => {
    const { select, options } = render();
    expect(options.map((o) => [o.value, o.text])).toEqual([
      ['', 'Anyone'],
      [CAROL, 'Carol (carol@example.com)'],
      [DAVE, 'Dave (dave@example.com), deactivated'],
      ['provider:forage', 'Forage (provider)'],
      ['system', 'System (jobs and scripts)'],
      ['no-account', 'No account (sign-in attempts)'],
    ]);
    expect(select).toContain('<optgroup label="People">');
    expect(select).toContain('<optgroup label="Not a person">');
    expect(options.find((o) => o.selected)?.value ?? '').toBe('');
  });

  it('shows the person in the URL as picked', () => {
    expect(
      render({ values: { actor: CAROL } })
        .options.filter((o) => o.selected)
        .map((o) => o.value),
    ).toEqual([CAROL]);
  });

  it('keeps an old link’s email part selected beside its error, so the person sees what was refused', () => {
    const { html, options } = render({ values: { actor: 'alice@' }, fieldErrors: { actor: ['Pick who from the list.'] } });
    expect(options.filter((o) => o.selected)).toEqual([{ value: 'alice@', selected: true, text: '“alice@” (not on the list)' }]);
    expect(html).toMatch(/<select[^>]*aria-invalid="true"[^>]*name="actor"|<select[^>]*name="actor"[^>]*aria-invalid="true"/);
    expect(html).toContain('Pick who from the list.');
  });

  it('shows a person with no events yet, linked from elsewhere, by id', () => {
    const other = '11111111-2222-4333-8444-555555555555';
    expect(render({ values: { actor: other } }).options.find((o) => o.selected)).toEqual({
      value: other,
      selected: true,
      text: `User ${other}`,
    });
  });
});
