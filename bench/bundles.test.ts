import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { benchDistDir, bundleFigures, bundleSection, readBundles } from './bundles';

/**
 * The bench's first-load JavaScript figures, read from a tiny build made here: the manifests in
 * the shape Next.js 16 (Turbopack) writes them, and chunks of known content, so every size can be
 * worked out by hand.
 */

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

function write(root: string, file: string, text: string) {
  fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  fs.writeFileSync(path.join(root, file), text);
}

/** Chunk text of a given length that gzip cannot shrink much, so sizes differ clearly. */
function chunk(seed: number, length: number) {
  let x = seed;
  let out = '';
  while (out.length < length) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    out += x.toString(36);
  }
  return out.slice(0, length);
}

function fixture() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'rd-bundles-'));
  dirs.push(root);
  const files: Record<string, string> = {
    'static/chunks/framework.js': chunk(1, 40_000),
    'static/chunks/turbopack.js': chunk(2, 3_000),
    'static/chunks/polyfills.js': chunk(3, 9_000),
    'static/chunks/router.js': chunk(4, 5_000),
    'static/chunks/not-found.js': chunk(5, 4_000),
    'static/chunks/nav.js': chunk(6, 6_000),
    'static/chunks/error.js': chunk(7, 700),
    'static/chunks/overview.js': chunk(8, 70_000),
    'static/chunks/orders.js': chunk(9, 20_000),
    'static/chunks/signin.js': chunk(10, 2_000),
    'static/chunks/app.css': chunk(11, 5_000),
  };
  for (const [file, text] of Object.entries(files)) write(root, file, text);
  write(
    root,
    'build-manifest.json',
    JSON.stringify({
      pages: { '/_app': [] },
      polyfillFiles: ['static/chunks/polyfills.js'],
      rootMainFiles: ['static/chunks/framework.js', 'static/chunks/turbopack.js'],
    }),
  );
  write(
    root,
    'app-path-routes-manifest.json',
    JSON.stringify({
      '/(dashboard)/page': '/',
      '/(dashboard)/orders/page': '/orders',
      '/(auth)/signin/page': '/signin',
      '/_not-found/page': '/_not-found',
      '/api/health/route': '/api/health',
    }),
  );
  const tree = (page: string[], dashboard = true) => ({
    '[project]/app/layout': ['static/chunks/router.js', 'static/chunks/app.css'],
    '[project]/app/not-found': ['static/chunks/router.js', 'static/chunks/not-found.js'],
    '[project]/node_modules/next/dist/client/components/builtin/global-error': ['static/chunks/router.js'],
    ...(dashboard
      ? {
          '[project]/app/(dashboard)/layout': ['static/chunks/router.js', 'static/chunks/nav.js'],
          '[project]/app/(dashboard)/error': ['static/chunks/router.js', 'static/chunks/nav.js', 'static/chunks/error.js'],
        }
      : {}),
    page,
  });
  const manifest = (entry: string, entryJSFiles: Record<string, string[]>) =>
    `globalThis.__RSC_MANIFEST=(globalThis.__RSC_MANIFEST||{});globalThis.__RSC_MANIFEST[${JSON.stringify(entry)}]=${JSON.stringify(
      {
        moduleLoading: { prefix: '/_next/' },
        clientModules: {},
        entryCSSFiles: {},
        entryJSFiles,
      },
    )};`;
  const pages: [string, Record<string, string[] | Record<string, string[]>>][] = [
    ['/(dashboard)/page', tree(['static/chunks/router.js', 'static/chunks/nav.js', 'static/chunks/overview.js'])],
    ['/(dashboard)/orders/page', tree(['static/chunks/router.js', 'static/chunks/nav.js', 'static/chunks/orders.js'])],
    ['/(auth)/signin/page', tree(['static/chunks/router.js', 'static/chunks/signin.js'], false)],
  ];
  for (const [entry, segments] of pages) {
    const { page, ...rest } = segments as Record<string, string[]> & { page: string[] };
    write(root, `server/app${entry}_client-reference-manifest.js`, manifest(entry, { ...rest, [`[project]/app${entry}`]: page }));
  }
  const gz = (file: string) => zlib.gzipSync(files[file]!).byteLength;
  return { root, gz };
}

describe('readBundles', () => {
  it("sums each page route's first-load chunks, gzipped, and what it loads beyond the shared ones", () => {
    const { root, gz } = fixture();
    const report = readBundles(root)!;
    const shared = ['static/chunks/framework.js', 'static/chunks/router.js', 'static/chunks/turbopack.js'];
    expect(report.sharedFiles).toEqual(shared);
    expect(report.sharedBytes).toBe(shared.reduce((n, f) => n + gz(f), 0));
    expect(report.polyfillBytes).toBe(gz('static/chunks/polyfills.js'));
    // Page routes only (no API routes, no Next's own _not-found), sorted by path.
    expect(report.routes.map((r) => r.route)).toEqual(['/', '/orders', '/signin']);

    const [overview, orders, signin] = report.routes;
    // The not-found and global-error boundaries load only when they render; CSS is not JavaScript.
    expect(overview!.files).toEqual(
      [...shared, 'static/chunks/error.js', 'static/chunks/nav.js', 'static/chunks/overview.js'].sort(),
    );
    const own = (r: typeof overview, files: string[]) => {
      expect(r!.aboveSharedBytes).toBe(files.reduce((n, f) => n + gz(f), 0));
      expect(r!.gzipBytes).toBe(report.sharedBytes + r!.aboveSharedBytes);
    };
    own(overview, ['static/chunks/error.js', 'static/chunks/nav.js', 'static/chunks/overview.js']);
    own(orders, ['static/chunks/error.js', 'static/chunks/nav.js', 'static/chunks/orders.js']);
    own(signin, ['static/chunks/signin.js']);

    // The overview has 40 kB above the shared chunks, other dashboard routes 20, sign-in none.
    expect(overview!.budgetBytes).toBe(40 * 1024);
    expect(orders!.budgetBytes).toBe(20 * 1024);
    expect(signin!.budgetBytes).toBeUndefined();
  });

  it('no build: undefined, so the bench can say how to make one', () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'rd-bundles-empty-'));
    dirs.push(empty);
    expect(readBundles(empty)).toBeUndefined();
    const lines: string[] = [];
    expect(bundleSection(empty, (line = '') => lines.push(line), { BENCH_DIST_DIR: empty })).toEqual([]);
    expect(lines.join('\n')).toMatch(/skipped: no production build .*npx next build/);
  });
});

describe('bundleFigures', () => {
  it('one figure per route, met or missed against its budget', () => {
    const { root } = fixture();
    const report = readBundles(root)!;
    const figures = bundleFigures(report);
    expect(figures.map((f) => [f.name, f.target?.met])).toEqual([
      ['/', false], // ~70 kB of incompressible text: over 40 kB
      ['/orders', true],
      ['/signin', undefined],
    ]);
    expect(figures[0]!.target!.text).toBe('≤ 40 kB gz above shared');
    expect(figures[1]!.note).toMatch(/^\d+\.\d kB gz, \+\d+\.\d kB above shared$/);
  });

  it('prints a line per route with its target', () => {
    const { root } = fixture();
    const lines: string[] = [];
    const figures = bundleSection(root, (line = '') => lines.push(line), { BENCH_DIST_DIR: root });
    expect(figures).toHaveLength(3);
    const text = lines.join('\n');
    expect(text).toMatch(/^ {2}\/ +[\d.]+ kB +[\d.]+ kB {2}MISSED: ≤ 40 kB gz above shared$/m);
    expect(text).toMatch(/^ {2}\/orders +[\d.]+ kB +[\d.]+ kB {2}met: ≤ 20 kB gz above shared$/m);
    expect(text).toMatch(/^ {2}\/signin .*\(no target\)$/m);
  });
});

describe('benchDistDir', () => {
  it('BENCH_DIST_DIR, then NEXT_DIST_DIR, then .next', () => {
    expect(benchDistDir('/repo', { BENCH_DIST_DIR: 'build-a', NEXT_DIST_DIR: 'build-b' })).toBe('/repo/build-a');
    expect(benchDistDir('/repo', { NEXT_DIST_DIR: '.next-e2e' })).toBe('/repo/.next-e2e');
    expect(benchDistDir('/nowhere', {})).toBe('/nowhere/.next');
  });
});
