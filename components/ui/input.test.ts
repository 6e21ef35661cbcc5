import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { Field, Input } from './input';

/** Renders a Field and reads ids and attributes back from its markup. */
function render(props: Omit<Parameters<typeof Field>[0], 'children'>, control = createElement(Input, { name: 'x' })) {
  const fieldProps: Parameters<typeof Field>[0] = { ...props, children: control };
  const html = renderToStaticMarkup(createElement(Field, fieldProps));
  return {
    html,
    attr(tag: string, name: string) {
      const element = html.match(new RegExp(`<${tag}\\b[^>]*>`))?.[0] ?? '';
      return element.match(new RegExp(`\\s${name}="([^"]*)"`))?.[1];
    },
    idOf(text: string) {
      return html.match(new RegExp(`<p id="([^"]+)"[^>]*>${text}</p>`))?.[1];
    },
  };
}

describe('Field', () => {
  it('labels its control with a generated id', () => {
    const field = render({ label: 'Email' });
    const id = field.attr('input', 'id');
    expect(id).toBeTruthy();
    expect(field.attr('label', 'for')).toBe(id);
    expect(field.attr('input', 'aria-describedby')).toBeUndefined();
    expect(field.attr('input', 'aria-invalid')).toBeUndefined();
  });

  it('points at the hint while there is no error', () => {
    const field = render({ label: 'Password', hint: 'At least 12 characters.' });
    expect(field.attr('input', 'aria-describedby')).toBe(field.idOf('At least 12 characters.'));
  });

  it('points at the first error instead of the hint, and marks the control invalid', () => {
    const field = render({ label: 'Password', hint: 'At least 12 characters.', error: ['Too short.', 'Too plain.'] });
    expect(field.html).not.toContain('At least 12 characters.');
    expect(field.html).not.toContain('Too plain.');
    expect(field.attr('input', 'aria-describedby')).toBe(field.idOf('Too short.'));
    expect(field.attr('input', 'aria-invalid')).toBe('true');
  });

  it("keeps the control's own description and invalid state", () => {
    const control = createElement(Input, { name: 'min', 'aria-describedby': 'amount-hint', 'aria-invalid': true });
    const field = render({ label: 'Amount from', error: 'Not a number.' }, control);
    expect(field.attr('input', 'aria-describedby')).toBe(`amount-hint ${field.idOf('Not a number.')}`);
    expect(render({ label: 'Amount from' }, control).attr('input', 'aria-invalid')).toBe('true');
  });
});
