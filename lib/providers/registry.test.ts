import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROVIDERS } from '@/db/schema/enums';
import { providerLabel, providerProfile, providerProfiles } from './registry';

const root = path.resolve(import.meta.dirname, '..', '..');
const sources = (dir: string): string[] =>
  readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(rel);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [rel] : [];
  });
/** Product code outside the providers' own folder. */
const outside = ['app', 'components', 'lib', 'db', 'demo']
  .flatMap(sources)
  .filter((file) => !file.startsWith(path.join('lib', 'providers') + path.sep));

describe('the provider registry', () => {
  it('has a profile for every provider the database knows, and nothing asks for one it does not know', () => {
    expect(providerProfiles().map((p) => p.id)).toEqual([...PROVIDERS]);
    for (const id of PROVIDERS) expect(providerProfile(id).id).toBe(id);
    expect(() => providerProfile('nobody')).toThrow(/unknown provider/);
    expect(providerLabel('nobody')).toBe('nobody');
  });

  it('outside lib/providers, no code compares a provider’s name or downcasts a client', () => {
    const names = PROVIDERS.join('|');
    const compares = new RegExp(`(===|!==)\\s*['"](${names})['"]|['"](${names})['"]\\s*(===|!==)`);
    const offenders = outside.filter((file) => {
      const text = readFileSync(path.join(root, file), 'utf8');
      return compares.test(text) || /\bas \w*Client\b/.test(text);
    });
    expect(offenders).toEqual([]);
  });
});
