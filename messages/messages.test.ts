import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOCALES } from '@/i18n/locales';
import { MESSAGES } from './index';

/**
 * The catalogues agree: every key exists in every language, with the same placeholders, and no
 * message is empty. A key in one language only fails here (issue #13), as does a file that the
 * index does not load.
 */

type Tree = { [key: string]: string | Tree };

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(name, value);
    else for (const [k, v] of flatten(value, name)) out.set(k, v);
  }
  return out;
}

/** The arguments a message takes: `{name}`, `{count, plural, …}`, `{when, date, …}`; `#` is not one. */
function placeholders(message: string): string[] {
  const names = new Set<string>();
  for (const match of message.matchAll(/\{\s*([A-Za-z_][\w]*)\s*(?:,|\})/g)) names.add(match[1]!);
  // Rich-text tags (<link>…</link>) are arguments too.
  for (const match of message.matchAll(/<([A-Za-z][\w]*)>/g)) names.add(`<${match[1]!}>`);
  return [...names].sort();
}

const flat = Object.fromEntries(LOCALES.map((l) => [l, flatten(MESSAGES[l] as unknown as Tree)])) as Record<
  (typeof LOCALES)[number],
  Map<string, string>
>;

describe('message catalogues', () => {
  it.each(LOCALES.filter((l) => l !== 'en'))('%s has exactly the keys English has', (locale) => {
    const english = [...flat.en.keys()].sort();
    const other = [...flat[locale].keys()].sort();
    expect({ missing: english.filter((k) => !flat[locale].has(k)), extra: other.filter((k) => !flat.en.has(k)) }).toEqual({
      missing: [],
      extra: [],
    });
  });

  it.each(LOCALES.filter((l) => l !== 'en'))('%s uses the same placeholders as English in every message', (locale) => {
    const differ = [...flat.en].filter(([key, message]) => {
      const other = flat[locale].get(key);
      return other !== undefined && placeholders(other).join() !== placeholders(message).join();
    });
    expect(differ.map(([key]) => key)).toEqual([]);
  });

  it.each(LOCALES)('%s has no empty message', (locale) => {
    expect([...flat[locale]].filter(([, m]) => m.trim() === '').map(([k]) => k)).toEqual([]);
  });

  it('loads every catalogue file there is, for every language', () => {
    for (const locale of LOCALES) {
      const files = readdirSync(path.join(__dirname, locale)).filter((f) => f.endsWith('.json'));
      expect(files.map((f) => f.replace(/\.json$/, '')).sort()).toEqual(Object.keys(MESSAGES[locale]).sort());
      for (const file of files) {
        const onDisk = JSON.parse(readFileSync(path.join(__dirname, locale, file), 'utf8')) as unknown;
        expect(MESSAGES[locale][file.replace(/\.json$/, '') as keyof (typeof MESSAGES)['en']]).toEqual(onDisk);
      }
    }
  });
});
