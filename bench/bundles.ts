/**
 * First-load JavaScript per route, read from a production build (issue #12: every dashboard route
 * within 20 kB gz of the framework's shared chunks, the overview within 40 kB).
 *
 * Next.js 16 with Turbopack prints no sizes, so they are read from the build's manifests:
 * - `build-manifest.json` `rootMainFiles`: the framework's runtime, on every page;
 * - `server/app/<entry>_client-reference-manifest.js` `entryJSFiles`: per segment of the route's
 *   tree (layouts, the page, error boundaries), the chunks its client components need: the page's
 *   HTML loads them, or the RSC payload does (an error.tsx is a client component the payload
 *   names), before it hydrates. The not-found, forbidden and global-error boundaries are listed
 *   there too but load only when they render, so they are left out (checked against the scripts a
 *   browser fetched for each page of the demo).
 * A route's first load is the union of the two; "shared" is what every route loads: the root main
 * files and the root layout's chunks (Next's router). Each file is counted once, gzipped at zlib's
 * default level, which is what `next start` sends (its compression middleware). Chunks loaded
 * later (`import()`, next/dynamic) are not first load and are not counted. The `polyfillFiles`
 * are loaded by `nomodule` browsers only; their size is reported beside the figures.
 */
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import zlib from 'node:zlib';
import { atMost, type Figure } from './measure';

/** Targets above the shared chunks, in kB (1,024 bytes) of gzip. */
export const DASHBOARD_BUDGET_KB = 20;
export const OVERVIEW_BUDGET_KB = 40;

export interface RouteBundle {
  /** The URL path, e.g. `/orders/[orderId]`. */
  route: string;
  /** The app entry, e.g. `/(dashboard)/orders/[orderId]/page`. */
  entry: string;
  /** Every JS file of its first load, the shared ones included. */
  files: string[];
  gzipBytes: number;
  /** What it loads beyond the shared chunks. */
  aboveSharedBytes: number;
  /** The budget above the shared chunks, when the route has one (dashboard routes). */
  budgetBytes?: number;
}

export interface BundleReport {
  distDir: string;
  sharedFiles: string[];
  sharedBytes: number;
  polyfillBytes: number;
  routes: RouteBundle[];
}

const OVERVIEW_ENTRY = '/(dashboard)/page';
/** Segments whose chunks load only when they render (see above). */
const ON_DEMAND_SEGMENT = /\/(?:not-found|forbidden|unauthorized|global-error)$/;
const DASHBOARD_GROUP = '/(dashboard)/';

function readJson<T>(file: string): T {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
}

/** The manifest is a script that assigns `globalThis.__RSC_MANIFEST[entry]`; run it in a sandbox. */
function entryJsFiles(distDir: string, entry: string): Record<string, string[]> {
  const file = path.join(distDir, 'server', 'app', `${entry}_client-reference-manifest.js`);
  const sandbox: Record<string, unknown> = {};
  sandbox.globalThis = sandbox;
  sandbox.self = sandbox;
  vm.runInNewContext(fs.readFileSync(file, 'utf8'), sandbox, { filename: file, timeout: 5_000 });
  const manifests = sandbox.__RSC_MANIFEST as Record<string, { entryJSFiles?: Record<string, string[]> }> | undefined;
  const files = manifests?.[entry]?.entryJSFiles;
  if (!files) throw new Error(`${file} has no entryJSFiles for ${entry}`);
  return files;
}

/**
 * Reads a build's first-load JavaScript per page route. Undefined when `distDir` holds no
 * production build; throws when it holds one whose manifests are not the shape described above.
 */
export function readBundles(distDir: string): BundleReport | undefined {
  const buildManifest = path.join(distDir, 'build-manifest.json');
  const routesManifest = path.join(distDir, 'app-path-routes-manifest.json');
  if (!fs.existsSync(buildManifest) || !fs.existsSync(routesManifest)) return undefined;
  const build = readJson<{ rootMainFiles?: string[]; polyfillFiles?: string[] }>(buildManifest);
  const appRoutes = readJson<Record<string, string>>(routesManifest);
  if (!Array.isArray(build.rootMainFiles)) throw new Error(`${buildManifest} has no rootMainFiles`);

  const sizes = new Map<string, number>();
  const gzipped = (file: string) => {
    let size = sizes.get(file);
    if (size === undefined) {
      size = zlib.gzipSync(fs.readFileSync(path.join(distDir, file))).byteLength;
      sizes.set(file, size);
    }
    return size;
  };
  const total = (files: Iterable<string>) => [...files].reduce((sum, file) => sum + gzipped(file), 0);
  const isJs = (file: string) => file.endsWith('.js');

  const pages = Object.entries(appRoutes)
    .filter(([entry, route]) => entry.endsWith('/page') && !route.startsWith('/_'))
    .sort(([, a], [, b]) => a.localeCompare(b));
  let shared: Set<string> | undefined;
  const routes: RouteBundle[] = [];
  for (const [entry, route] of pages) {
    const segments = entryJsFiles(distDir, entry);
    shared ??= new Set([...build.rootMainFiles, ...(segments['[project]/app/layout'] ?? [])].filter(isJs));
    const files = new Set(build.rootMainFiles.filter(isJs));
    for (const [segment, list] of Object.entries(segments)) {
      if (!ON_DEMAND_SEGMENT.test(segment)) for (const file of list) if (isJs(file)) files.add(file);
    }
    const gzipBytes = total(files);
    const budgetKb =
      entry === OVERVIEW_ENTRY ? OVERVIEW_BUDGET_KB : entry.startsWith(DASHBOARD_GROUP) ? DASHBOARD_BUDGET_KB : undefined;
    routes.push({
      route,
      entry,
      files: [...files].sort(),
      gzipBytes,
      aboveSharedBytes: total([...files].filter((file) => !shared!.has(file))),
      budgetBytes: budgetKb === undefined ? undefined : budgetKb * 1024,
    });
  }
  const sharedFiles = [...(shared ?? new Set(build.rootMainFiles.filter(isJs)))].sort();
  return {
    distDir,
    sharedFiles,
    sharedBytes: total(sharedFiles),
    polyfillBytes: total((build.polyfillFiles ?? []).filter(isJs)),
    routes,
  };
}

export const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;

/** One figure per route, with its target (dashboard routes) as met / MISSED. */
export function bundleFigures(report: BundleReport): Figure[] {
  return report.routes.map((r) => ({
    group: 'first-load JS',
    name: r.route,
    runs: 1,
    medianMs: Number.NaN,
    p95Ms: Number.NaN,
    note: `${kb(r.gzipBytes)} gz, +${kb(r.aboveSharedBytes)} above shared`,
    target:
      r.budgetBytes === undefined
        ? undefined
        : atMost(r.budgetBytes, r.aboveSharedBytes, `≤ ${r.budgetBytes / 1024} kB gz above shared`),
  }));
}

/** The build the bench reads: BENCH_DIST_DIR, else NEXT_DIST_DIR, else `.next` (then `.next-e2e`). */
export function benchDistDir(root: string, env: Record<string, string | undefined> = process.env): string {
  const named = env.BENCH_DIST_DIR || env.NEXT_DIST_DIR;
  if (named) return path.resolve(root, named);
  const candidates = ['.next', '.next-e2e'].map((dir) => path.join(root, dir));
  return candidates.find((dir) => fs.existsSync(path.join(dir, 'build-manifest.json'))) ?? candidates[0]!;
}

/**
 * Prints the per-route table and returns its figures; with no build (or one it cannot read) it
 * says how to make one and returns none: the bench never fails for want of a build.
 */
export function bundleSection(
  root: string,
  log: (line?: string) => void,
  env: Record<string, string | undefined> = process.env,
): Figure[] {
  const distDir = benchDistDir(root, env);
  const shown = path.relative(root, distDir) || '.';
  log(`\nFirst-load JavaScript per route (production build in ${shown}/, gzip)`);
  let report: BundleReport | undefined;
  try {
    report = readBundles(distDir);
  } catch (error) {
    log(`  skipped: could not read the build's manifests (${error instanceof Error ? error.message : String(error)}).`);
    return [];
  }
  if (!report) {
    log(`  skipped: no production build in ${shown}/. Make one with \`npx next build\` (or set BENCH_DIST_DIR).`);
    return [];
  }
  log(
    `  shared by every route (framework): ${kb(report.sharedBytes)} in ${report.sharedFiles.length} files; ` +
      `legacy polyfills (nomodule browsers only): ${kb(report.polyfillBytes)}`,
  );
  const figures = bundleFigures(report);
  const width = Math.max(...report.routes.map((r) => r.route.length), 5);
  log(`  ${'route'.padEnd(width)}  first load  above shared  target`);
  report.routes.forEach((r, i) => {
    const target = figures[i]!.target;
    log(
      `  ${r.route.padEnd(width)}  ${kb(r.gzipBytes).padStart(10)}  ${kb(r.aboveSharedBytes).padStart(12)}  ${
        target ? `${target.met ? 'met' : 'MISSED'}: ${target.text}` : '(no target)'
      }`,
    );
  });
  return figures;
}
