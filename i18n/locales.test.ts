import { describe, expect, it } from 'vitest';
import { negotiateLocale } from './locales';

describe('negotiateLocale: the browser language as one of ours', () => {
  it.each([
    [undefined, 'en'],
    ['', 'en'],
    ['nb-NO,nb;q=0.9,en;q=0.8', 'nb'],
    ['no', 'nb'],
    ['nn-NO', 'nb'],
    ['en-GB,en;q=0.9,nb;q=0.8', 'en'],
    ['de-DE,de;q=0.9,nb;q=0.5,en;q=0.4', 'nb'],
    ['en;q=0.4,nb;q=0.8', 'nb'],
    ['nb;q=0,en', 'en'],
    ['fr-FR,de', 'en'],
    ['*', 'en'],
    ['NB-no', 'nb'],
    ['nb;q=abc,en;q=0.1', 'en'],
  ])('%s → %s', (header, expected) => {
    expect(negotiateLocale(header)).toBe(expected);
  });
});
